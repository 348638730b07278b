/**
 * Builds the MCP server for one HTTP request (stateless: a fresh server and transport each
 * time, as the SDK requires). Tool definitions and schemas come from the process-wide catalogue.
 * This is the only module that touches the MCP SDK's server API.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { AccessMode } from '../config.ts';
import type { ToolContext } from '../tools/tool-context.ts';
import { callTool, type CallOutcome, type CallToolResult } from './call-tool.ts';
import { INSTRUCTIONS, SERVER_CAPABILITIES, SERVER_INFO } from './server-info.ts';
import type { ToolCatalog } from './tool-catalog.ts';


export interface RequestHooks {
  mode: AccessMode;
  /** Creates the tool context for one call; `progress` is wired to the request's progress token. */
  makeContext(signal: AbortSignal, progress: ToolContext['progress']): ToolContext;
  onCallFinished(outcome: CallOutcome & { durationMs: number }): void;
  onUnexpected(error: unknown): void;
}

/**
 * The SDK server's own JSON Schema validator is only used for elicitation, which this server never
 * sends; its default builds a fresh Ajv instance per server (per request here), the largest cost
 * of a warm request. This one compiles nothing.
 */
const NO_ELICITATION_VALIDATOR = {
  getValidator(): never {
    throw new Error('this server does not validate elicitation schemas');
  },
};

/** One `tools/call`, with the hooks' context, mode and outcome reporting: shared by the SDK server and the direct path. */
export async function runToolCall(
  catalog: ToolCatalog,
  hooks: RequestHooks,
  name: string,
  args: Record<string, unknown> | undefined,
  signal: AbortSignal,
  progress: ToolContext['progress'],
): Promise<CallToolResult> {
  const started = performance.now();
  const ctx = hooks.makeContext(signal, progress);
  const { result, outcome } = await callTool(catalog, hooks.mode, name, args, ctx, hooks.onUnexpected);
  hooks.onCallFinished({ ...outcome, durationMs: Math.round(performance.now() - started) });
  return result;
}

export function buildMcpServer(catalog: ToolCatalog, hooks: RequestHooks): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: structuredClone(SERVER_CAPABILITIES) as { tools: { listChanged: boolean } },
    instructions: INSTRUCTIONS,
    jsonSchemaValidator: NO_ELICITATION_VALIDATOR,
  });
  server.setRequestHandler(ListToolsRequestSchema, () => catalog.list(hooks.mode));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const progressToken = request.params._meta?.progressToken;
    const progress: ToolContext['progress'] = async (value, total, message) => {
      if (progressToken === undefined) return;
      await extra
        .sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress: value, ...(total !== undefined ? { total } : {}), message },
        })
        .catch(() => undefined);
    };
    return runToolCall(catalog, hooks, request.params.name, request.params.arguments, extra.signal, progress);
  });
  return server;
}
