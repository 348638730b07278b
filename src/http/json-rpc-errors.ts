/** JSON-RPC error bodies for failures that happen before the MCP layer. */
export function jsonRpcError(code: number, message: string, id: string | number | null = null) {
  return { jsonrpc: '2.0' as const, error: { code, message }, id };
}
