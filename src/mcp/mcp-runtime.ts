/**
 * Everything a request needs beyond the direct answers (`initialize`, `tools/list`,
 * notifications): the MCP SDK server and transport, the tool catalogue and tool runner. The HTTP
 * app imports this module on first need, so a fresh instance answers its first `initialize` and
 * `tools/list` without loading the SDK, zod or any tool definition.
 */
export { runToolCall } from './build-server.ts';
export { serveWithSdk } from './serve-with-sdk.ts';
export { toolCatalog } from './catalog-instance.ts';
