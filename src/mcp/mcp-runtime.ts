/**
 * Everything a request needs beyond the direct answers (`initialize`, `tools/list`,
 * notifications): the MCP SDK (v2: both eras), the tool catalogue and tool runner. The pipeline
 * imports this module on first need, so a fresh instance answers its first `initialize` and
 * `tools/list` without loading the SDK, zod or any tool definition.
 */
export { isLegacyRequest } from '@modelcontextprotocol/server';
export { serveLegacy } from './serve-legacy.ts';
export { serveModern } from './serve-modern.ts';
export { toolCatalog } from './catalog-instance.ts';
