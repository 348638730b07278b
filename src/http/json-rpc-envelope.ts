/**
 * The JSON-RPC 2.0 envelope of each message, checked before anything runs, with the rules the MCP
 * SDK applies (its `JSONRPCMessageSchema`) so that a message passed here is never refused later
 * as a "parse error". Well-formed JSON that is not a valid message is an Invalid Request (-32600),
 * not a Parse error (-32700).
 *
 * Decisions:
 * - `id` is a string or an integer. `null` is refused in requests (MCP: "the ID MUST NOT be null");
 *   JSON-RPC allows it only in error responses, and an error response from a client with `id: null`
 *   is accepted and ignored, as every response from a client is (this server never sends requests).
 * - No members beyond the JSON-RPC ones (the SDK's schemas are strict).
 * - A batch with an invalid message is refused as a whole, naming the message: nothing in it runs.
 */
import { cutShort } from '../text.ts';
import { isPlainObject } from '../values.ts';

export type RpcId = string | number;

export type EnvelopeProblem = { code: -32600 | -32602; message: string; id: RpcId | null };

const REQUEST_MEMBERS = new Set(['jsonrpc', 'id', 'method', 'params']);
const RESULT_MEMBERS = new Set(['jsonrpc', 'id', 'result']);
const ERROR_MEMBERS = new Set(['jsonrpc', 'id', 'error']);

export const isRpcId = (value: unknown): value is RpcId => typeof value === 'string' || Number.isSafeInteger(value);

function unexpectedMember(message: Record<string, unknown>, allowed: Set<string>): string | undefined {
  for (const key in message) if (!allowed.has(key)) return key;
  return undefined;
}

const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** What is wrong with a `_meta` the SDK would refuse (it checks these members in every message). */
function metaProblem(holder: Record<string, unknown>, where: string): string | undefined {
  const meta = holder._meta;
  if (meta === undefined) return undefined;
  if (!isPlainObject(meta)) return `${where}._meta must be an object.`;
  if (meta.progressToken !== undefined && !isRpcId(meta.progressToken))
    return `${where}._meta.progressToken must be a string or an integer.`;
  const task = meta[RELATED_TASK];
  if (task !== undefined && !(isPlainObject(task) && typeof task.taskId === 'string'))
    return `${where}._meta["${RELATED_TASK}"] needs a string taskId.`;
  return undefined;
}

/** A caller's member name, quoted and cut short, for a message. */
const quotedShort = (text: string) => JSON.stringify(cutShort(text, 40));

/** The problem with one message, or undefined when it is a valid JSON-RPC request, notification or response. */
export function envelopeProblem(message: unknown): EnvelopeProblem | undefined {
  const invalid = (text: string, id: RpcId | null = null): EnvelopeProblem => ({ code: -32600, message: `Invalid Request: ${text}`, id });
  if (!isPlainObject(message)) return invalid('expected a JSON-RPC object.');
  const id = isRpcId(message.id) ? message.id : null;
  if (message.jsonrpc !== '2.0') return invalid('"jsonrpc" must be "2.0".', id);
  if ('method' in message) {
    if (typeof message.method !== 'string' || message.method === '') return invalid('"method" must be a non-empty string.', id);
    if ('id' in message && !isRpcId(message.id)) {
      return invalid('"id" must be a string or an integer (null is not allowed in requests); leave it out for a notification.');
    }
    const extra = unexpectedMember(message, REQUEST_MEMBERS);
    if (extra !== undefined) return invalid(`unexpected member ${quotedShort(extra)}.`, id);
    if (message.params !== undefined && !isPlainObject(message.params)) {
      return Array.isArray(message.params)
        ? { code: -32602, message: 'Invalid params: MCP takes named params (an object), not an array.', id }
        : invalid('"params" must be an object.', id);
    }
    const meta = message.params && metaProblem(message.params as Record<string, unknown>, 'params');
    return meta ? { code: -32602, message: `Invalid params: ${meta}`, id } : undefined;
  }
  if ('result' in message) {
    if (!isRpcId(message.id)) return invalid('a response needs the string or integer "id" of its request.');
    if (!isPlainObject(message.result)) return invalid('"result" must be an object.', id);
    const meta = metaProblem(message.result, 'result');
    if (meta) return invalid(meta, id);
    const extra = unexpectedMember(message, RESULT_MEMBERS);
    return extra === undefined ? undefined : invalid(`unexpected member ${quotedShort(extra)}.`, id);
  }
  if ('error' in message) {
    if ('id' in message && message.id !== null && !isRpcId(message.id)) return invalid('"id" must be a string, an integer or null.');
    const error = message.error;
    if (!isPlainObject(error) || !Number.isSafeInteger(error.code) || typeof error.message !== 'string') {
      return invalid('"error" must be an object with an integer "code" and a string "message".', id);
    }
    const extra = unexpectedMember(message, ERROR_MEMBERS);
    return extra === undefined ? undefined : invalid(`unexpected member ${quotedShort(extra)}.`, id);
  }
  return invalid('a message needs a "method" (request or notification), or a "result" or "error" (response).', id);
}

/** True for a response (result or error) from the client: accepted and ignored. */
export function isResponse(message: unknown): boolean {
  return isPlainObject(message) && !('method' in message);
}
