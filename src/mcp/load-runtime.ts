/** Imports the MCP runtime (SDK, catalogue, tools) once, on first need. See `mcp-runtime.ts`. */
export type McpRuntime = typeof import('./mcp-runtime.ts');
/** The direct `tools/call` path's runtime: no SDK, one tool module at a time. See `call-runtime.ts`. */
export type CallRuntime = typeof import('./call-runtime.ts');

let loading: Promise<McpRuntime> | undefined;
let loadingCall: Promise<CallRuntime> | undefined;

export function loadMcpRuntime(): Promise<McpRuntime> {
  loading ??= import('./mcp-runtime.ts');
  return loading;
}

export function loadCallRuntime(): Promise<CallRuntime> {
  loadingCall ??= import('./call-runtime.ts');
  return loadingCall;
}
