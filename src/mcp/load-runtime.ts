/** Imports the MCP runtime (SDK, catalogue, tools) once, on first need. See `mcp-runtime.ts`. */
export type McpRuntime = typeof import('./mcp-runtime.ts');

let loading: Promise<McpRuntime> | undefined;

export function loadMcpRuntime(): Promise<McpRuntime> {
  loading ??= import('./mcp-runtime.ts');
  return loading;
}
