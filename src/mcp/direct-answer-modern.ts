/**
 * The one 2026-07-28 answer given without the SDK: a plain `tools/list` (`npm run bench`: through
 * the SDK's per-request entry it ran at under a third of the 2025 direct answer's rate). Only the
 * well-formed happy path is answered here: the envelope holds exactly the revision, an object of
 * client capabilities and (optionally) a client name and version; the `MCP-Protocol-Version` and
 * `Mcp-Method` headers match the body; no cursor. Anything else, every error included, is the
 * SDK's to answer (`direct-answer.test.ts` checks this answer equal to the SDK's).
 */
import { MODERN_PROTOCOL_VERSIONS, SERVER_INFO } from './server-info.ts';

const PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
const CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
const ENVELOPE_KEYS = new Set([PROTOCOL_VERSION, CLIENT_CAPABILITIES, CLIENT_INFO]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The id of a plain 2026-07-28 `tools/list` that can be answered directly, else undefined. */
export function modernToolsListId(message: Record<string, unknown>, headers: Headers): string | number | undefined {
  const { id, method, params } = message;
  if (method !== 'tools/list' || !(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
  const version = headers.get('mcp-protocol-version');
  if (version === null || !MODERN_PROTOCOL_VERSIONS.includes(version) || headers.get('mcp-method') !== method) return undefined;
  if (!isPlainObject(params) || Object.keys(params).some((key) => key !== '_meta')) return undefined;
  const meta = params._meta;
  if (!isPlainObject(meta) || Object.keys(meta).some((key) => !ENVELOPE_KEYS.has(key))) return undefined;
  if (meta[PROTOCOL_VERSION] !== version || !isPlainObject(meta[CLIENT_CAPABILITIES])) return undefined;
  const info = meta[CLIENT_INFO];
  if (
    info !== undefined &&
    !(isPlainObject(info) && typeof info.name === 'string' && typeof info.version === 'string' && Object.keys(info).length === 2)
  )
    return undefined;
  return id;
}

/** The 2026-07-28 `tools/list` result from the 2025 one (`{"tools":[…]}`), with the members the SDK adds. */
export function modernToolsListJson(toolsListJson: string): string {
  const extra = { resultType: 'complete', ttlMs: 0, cacheScope: 'private', _meta: { 'io.modelcontextprotocol/serverInfo': SERVER_INFO } };
  return `${toolsListJson.slice(0, -1)},${JSON.stringify(extra).slice(1)}`;
}
