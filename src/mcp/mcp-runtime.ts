/**
 * Everything a request needs beyond the direct answers (`initialize`, `tools/list`,
 * notifications): the MCP SDK (v2: both eras) and the tool runner
 * (the catalogues load on their own: `catalog-instance.ts`, `tool-module-catalog.ts`). The pipeline
 * imports this module on first need, so a fresh instance answers its first `initialize` and
 * `tools/list` without loading the SDK, zod or any tool definition.
 */
export { isLegacyRequest } from '@modelcontextprotocol/server';
export { serveLegacy } from './serve-legacy.ts';
export { serveModern } from './serve-modern.ts';
