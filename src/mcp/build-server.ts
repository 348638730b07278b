/**
 * Builds the MCP server (the SDK's low-level `Server`, v2) for one HTTP request (stateless: a
 * fresh server each time, as the SDK requires) of either era: the same handlers answer 2025-era
 * requests and 2026-07-28 ones. Tool definitions and schemas come from the process-wide catalogues
 * (a call's from its tool's module alone when the build mapped it).
 * This module, `serve-legacy.ts` and `serve-modern.ts` are the only ones that touch the SDK's server API.
 */
import { inputRequired, ProtocolError, ProtocolErrorCode, ResourceNotFoundError, Server } from '@modelcontextprotocol/server';
import { getPrompt, listPrompts } from '../prompts/get-prompt.ts';
import { allPrompts } from '../prompts/registry.ts';
import type { ToolContext } from '../tools/tool-context.ts';
import type { CallToolResult } from './call-tool.ts';
import { CANNOT_CONFIRM, CONFIRM_SCHEMA, type ConfirmingClient } from './confirmations.ts';
import { type AskToConfirm, type CatalogSource, type RequestHooks, runToolCall } from './run-tool-call.ts';
import { INSTRUCTIONS, MODERN_PROTOCOL_VERSIONS, SERVER_CAPABILITIES, SERVER_INFO, SUPPORTED_PROTOCOL_VERSIONS } from './server-info.ts';

export type { CallRecord, RequestHooks } from './run-tool-call.ts';

/**
 * The SDK server's own JSON Schema validator is only used to check answers to elicitations the
 * server sends itself (2025-era push requests), which this server never sends: its confirmations
 * travel as `input_required` results, whose answers `confirmations.ts` checks. The default builds
 * a fresh Ajv instance per server (per request here), the largest cost of a warm request. This one
 * compiles nothing.
 */
const NO_ELICITATION_VALIDATOR = {
  getValidator(): never {
    throw new Error('this server does not validate elicitation schemas');
  },
};

const PROMPTS_LIST = listPrompts(allPrompts);
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
const isAsk = (result: CallToolResult | AskToConfirm): result is AskToConfirm => 'confirm' in result && !('content' in result);

export function buildMcpServer(catalogs: CatalogSource, hooks: RequestHooks): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: structuredClone(SERVER_CAPABILITIES) as never,
    supportedProtocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS, ...MODERN_PROTOCOL_VERSIONS],
    instructions: INSTRUCTIONS,
    jsonSchemaValidator: NO_ELICITATION_VALIDATOR,
  });
  server.setRequestHandler('tools/list', async () => (await catalogs.all()).list(hooks.mode) as never);
  server.setRequestHandler('prompts/list', () => PROMPTS_LIST as never);
  server.setRequestHandler('prompts/get', (request) => {
    const answer = getPrompt(allPrompts, request.params.name, request.params.arguments);
    if (!answer.ok) throw new ProtocolError(ProtocolErrorCode.InvalidParams, answer.message);
    return answer.result;
  });
  // No resources (yet): the lists answer empty rather than "method not found", which some clients fail on.
  server.setRequestHandler('resources/list', () => ({ resources: [] }));
  server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: [] }));
  server.setRequestHandler('resources/read', (request) => {
    throw new ResourceNotFoundError(request.params.uri, 'This server offers no resources: its data comes from tools (tools/list).');
  });
  server.setRequestHandler('tools/call', async (request, extra) => {
    const progressToken = request.params._meta?.progressToken;
    const progress: ToolContext['progress'] = async (value, total, message) => {
      if (progressToken === undefined) return;
      await extra.mcpReq
        .notify({
          method: 'notifications/progress',
          params: { progressToken, progress: value, ...(total !== undefined ? { total } : {}), message },
        })
        .catch(() => undefined);
    };
    // The SDK aborts `extra.mcpReq.signal` on notifications/cancelled and when the server closes;
    // the client going away aborts the request's signal (in a progress stream as well).
    const signal = AbortSignal.any([extra.mcpReq.signal, hooks.signal]);
    // Only a 2026-07-28 request can be asked to confirm (`input_required`); see confirmations.ts for 2025-era clients.
    const envelope = extra.mcpReq.envelope as { [CLIENT_CAPABILITIES]?: { elicitation?: unknown } } | undefined;
    const client: ConfirmingClient = envelope?.[CLIENT_CAPABILITIES]?.elicitation
      ? { canElicit: true, answer: extra.mcpReq.inputResponses?.confirm, state: extra.mcpReq.requestState() }
      : CANNOT_CONFIRM;
    const catalog = await catalogs.forCall(request.params.name);
    const result = await runToolCall(catalog, hooks, request.params.name, request.params.arguments, signal, progress, client);
    if (!isAsk(result)) return result;
    return inputRequired({
      inputRequests: { confirm: inputRequired.elicit({ message: result.confirm.message, requestedSchema: CONFIRM_SCHEMA as never }) },
      requestState: result.confirm.state,
    }) as never;
  });
  return server;
}
