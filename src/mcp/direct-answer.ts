/**
 * The two hot methods, `tools/list` and `tools/call`, answered without building a per-request
 * SDK server and transport (which costs more than the answer itself: a fresh Ajv instance, a
 * web Request/Response pair and a stream per request). Only plain, single, well-formed requests
 * that want a JSON answer take this path; anything else (batches, initialize, notifications,
 * progress streams, unknown protocol versions, wrong content types) goes through the SDK, which
 * stays the reference for every protocol rule.
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import type { AccessMode } from '../config.ts';
import { runToolCall, type RequestHooks } from './build-server.ts';
import type { ToolCatalog } from './tool-catalog.ts';

export type DirectRequest =
  | { id: string | number; method: 'tools/list' }
  | { id: string | number; method: 'tools/call'; name: string; arguments: Record<string, unknown> | undefined };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request when it can be answered directly, else undefined (the SDK answers it). */
export function directRequest(message: unknown, headers: Headers): DirectRequest | undefined {
  if (!isPlainObject(message) || message.jsonrpc !== '2.0') return undefined;
  const { id, method, params } = message;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) return undefined;
  if (!(headers.get('content-type') ?? '').includes('application/json')) return undefined;
  const version = headers.get('mcp-protocol-version');
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
  if (params !== undefined && !isPlainObject(params)) return undefined;
  if (method === 'tools/list') return params?.cursor === undefined ? { id, method } : undefined;
  if (method !== 'tools/call' || !params || typeof params.name !== 'string') return undefined;
  if (params.arguments !== undefined && !isPlainObject(params.arguments)) return undefined;
  if (params._meta !== undefined || params.task !== undefined) return undefined;
  return { id, method, name: params.name, arguments: params.arguments as Record<string, unknown> | undefined };
}

const listAnswers = new WeakMap<ToolCatalog, Map<AccessMode, string>>();

/** The serialised `tools/list` result for a mode, computed once per catalogue. */
function listJson(catalog: ToolCatalog, mode: AccessMode): string {
  let answers = listAnswers.get(catalog);
  if (!answers) listAnswers.set(catalog, (answers = new Map()));
  let json = answers.get(mode);
  if (json === undefined) answers.set(mode, (json = JSON.stringify(catalog.list(mode))));
  return json;
}

/** The JSON-RPC response body, shaped as the SDK shapes it (`result`, `jsonrpc`, `id`). */
export async function answerDirect(catalog: ToolCatalog, hooks: RequestHooks, request: DirectRequest, signal: AbortSignal): Promise<string> {
  const result =
    request.method === 'tools/list'
      ? listJson(catalog, hooks.mode)
      : JSON.stringify(await runToolCall(catalog, hooks, request.name, request.arguments, signal, async () => undefined));
  return `{"result":${result},"jsonrpc":"2.0","id":${JSON.stringify(request.id)}}`;
}
