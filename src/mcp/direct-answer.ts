/**
 * The hot and the first messages of a session, answered without a per-request SDK server and
 * transport (a fresh Ajv instance, a web Request/Response pair and a stream per request cost
 * more than the answer itself), and `initialize` / `tools/list` without loading the SDK at all,
 * so a fresh instance answers them as soon as it listens. Only plain, single, well-formed
 * messages that want a JSON answer take this path; anything else (batches, progress streams,
 * unknown protocol versions, wrong content types, malformed params, anything with `_meta`, so
 * every 2026-07-28 request) goes through the SDK, which stays the reference for every protocol rule: `direct-answer.test.ts` checks each direct answer
 * against the SDK's answer to the same message.
 */
import type { AccessMode } from '../config.ts';
import { INSTRUCTIONS, SERVER_CAPABILITIES, SERVER_INFO, SUPPORTED_PROTOCOL_VERSIONS } from './server-info.ts';
import type { ToolCatalog } from './tool-catalog.ts';
import { isPlainObject } from '../values.ts';

type Id = string | number;

export type DirectRequest =
  | { kind: 'notification' }
  | { kind: 'initialize'; id: Id; protocolVersion: string }
  | { kind: 'tools/list'; id: Id }
  | { kind: 'tools/call'; id: Id; name: string; arguments: Record<string, unknown> | undefined };

/** The message when it can be answered directly, else undefined (the SDK answers it). */
export function directRequest(message: unknown, headers: Headers): DirectRequest | undefined {
  if (!isPlainObject(message) || message.jsonrpc !== '2.0') return undefined;
  if (!(headers.get('content-type') ?? '').includes('application/json')) return undefined;
  const version = headers.get('mcp-protocol-version');
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
  const { id, method, params } = message;
  if (params !== undefined && !isPlainObject(params)) return undefined;
  // `_meta` (progress tokens, the 2026-07-28 envelope) is the SDK's to read.
  if (params?._meta !== undefined) return undefined;
  if (!('id' in message)) return method === 'notifications/initialized' ? { kind: 'notification' } : undefined;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) return undefined;
  if (method === 'tools/list') return params?.cursor === undefined ? { kind: 'tools/list', id } : undefined;
  if (method === 'initialize') {
    const client = params?.clientInfo;
    if (typeof params?.protocolVersion !== 'string' || !isPlainObject(params.capabilities) || !isPlainObject(client)) return undefined;
    if (typeof client.name !== 'string' || typeof client.version !== 'string') return undefined;
    return { kind: 'initialize', id, protocolVersion: params.protocolVersion };
  }
  if (method !== 'tools/call' || !params || typeof params.name !== 'string') return undefined;
  if (params.arguments !== undefined && !isPlainObject(params.arguments)) return undefined;
  if (params.task !== undefined) return undefined;
  return { kind: 'tools/call', id, name: params.name, arguments: params.arguments as Record<string, unknown> | undefined };
}

/** A JSON-RPC response body is shaped as the SDK shapes it: `result`, `jsonrpc`, `id`. */
const RESPONSE_HEAD = '{"result":';
const responseTail = (id: Id) => `,"jsonrpc":"2.0","id":${JSON.stringify(id)}}`;

/** The response body for a result that is already JSON. */
export function responseJson(id: Id, resultJson: string): string {
  return `${RESPONSE_HEAD}${resultJson}${responseTail(id)}`;
}

const RESPONSE_HEAD_BYTES = Buffer.from(RESPONSE_HEAD);

/**
 * {@link responseJson} for a large result encoded once (`tools/list`): the same bytes, built by copying the encoded
 * result instead of concatenating and re-encoding a ~70 KB string per request.
 */
export function responseBytes(id: Id, result: Buffer): Buffer {
  return Buffer.concat([RESPONSE_HEAD_BYTES, result, Buffer.from(responseTail(id))]);
}

/** The `initialize` result: the client's version when supported, else the latest (as the SDK negotiates). */
export function initializeResultJson(protocolVersion: string): string {
  const negotiated = SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersion) ? protocolVersion : SUPPORTED_PROTOCOL_VERSIONS[0]!;
  return JSON.stringify({
    protocolVersion: negotiated,
    capabilities: SERVER_CAPABILITIES,
    serverInfo: SERVER_INFO,
    instructions: INSTRUCTIONS,
  });
}

/** Serialised `tools/list` results per mode, from a catalogue or computed ahead (the build does). */
export type ToolsListJson = Record<AccessMode, string>;

export function toolsListJson(catalog: ToolCatalog): ToolsListJson {
  return { 'read-only': JSON.stringify(catalog.list('read-only')), 'read-write': JSON.stringify(catalog.list('read-write')) };
}
