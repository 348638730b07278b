/**
 * What a plain `tools/call` (the direct path of `serve-request.ts`) needs beyond the HTTP layer: the call runner and
 * the catalogue of the called tool's module. Imported on first need, without the MCP SDK or other tools' modules.
 */
export { runToolCall } from './run-tool-call.ts';
export { toolModuleCatalog } from './tool-module-catalog.ts';
