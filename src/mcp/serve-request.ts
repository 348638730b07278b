/**
 * The MCP request pipeline for one HTTP request whose body has been read and whose caller has
 * been authenticated (both by `http/`): the access mode, the per-request hooks and tool-context
 * factory, and the dispatch — a direct answer where one applies (`direct-answer.ts`), else the
 * SDK, for the era the request belongs to (decided by the SDK's own classifier): 2026-07-28
 * (`serve-modern.ts`) or 2025 (`serve-legacy.ts`).
 */
import type { Config } from '../config.ts';
import type { DefaultCredentialChain } from '../credentials/resolve-credentials.ts';
import type { Logger } from '../log.ts';
import type { CallerUser } from '../auth/caller-user.ts';
import { userCredentialSource } from '../auth/user-credentials.ts';
import type { ServerServices } from '../services.ts';
import { toolContextFactory } from '../tools/create-tool-context.ts';
import { directRequest, initializeResultJson, responseBytes, responseJson, toolsListJson, type ToolsListJson } from './direct-answer.ts';
import { modernToolsListId, modernToolsListJson } from './direct-answer-modern.ts';
import { loadCallRuntime, loadMcpRuntime } from './load-runtime.ts';
import type { CallRecord, CatalogSource, RequestHooks } from './run-tool-call.ts';
import type { ToolCatalog } from './tool-catalog.ts';
import type { ToolModuleMap } from '../tools/tool-modules.ts';

export interface McpPipelineDependencies {
  config: Config;
  /** The tool catalogue. Called on first need: building it loads every tool definition. */
  catalog: () => ToolCatalog | Promise<ToolCatalog>;
  /** `tools/list` answers computed ahead (the FC build does), so a fresh instance answers them without the catalogue. */
  toolsList?: ToolsListJson;
  /**
   * Tool name → the module that defines it, computed ahead (the FC build does): a plain `tools/call` then loads that
   * module alone, not the catalogue. Without it (or for a name it lacks) the call uses the catalogue.
   */
  toolModules?: ToolModuleMap;
  logger: Logger;
  defaultChain: DefaultCredentialChain;
  /** Per-process services (kubectl proxy, run slots, caches), created by `server.ts`. */
  services: ServerServices;
}

export interface McpRequest {
  /** The HTTP request (its body already read: `body`). */
  request: Request;
  /** The parsed body: one message or a batch. */
  body: unknown;
  /** The body's messages (one, or a batch's), each a valid JSON-RPC envelope. */
  messages: unknown[];
  /** The authenticated caller may only read (a read-only token, or a user mapped to read-only). */
  readOnlyCaller: boolean;
  /** The signed-in user (AUTH_MODE oauth/both); every call then acts with the user's role session. */
  user?: CallerUser | undefined;
  /** The request's log line: the pipeline adds the calls' outcomes. */
  logFields: Record<string, unknown>;
  requestId?: string;
}

export interface McpAnswer {
  response: Response;
  /** Set for a streamed answer: resolves when it has been sent and every call has settled. */
  finished?: Promise<void>;
}

const isResponse = (message: unknown) =>
  typeof message === 'object' && message !== null && !Array.isArray(message) && !('method' in message);

function wantsProgressStream(accept: string, messages: unknown[]): boolean {
  if (!accept.includes('text/event-stream')) return false;
  return messages.some((message) => {
    const m = message as { method?: unknown; params?: { _meta?: { progressToken?: unknown } } };
    return m?.method === 'tools/call' && m.params?._meta?.progressToken !== undefined;
  });
}

const json = (body: string | Buffer): McpAnswer => ({
  response: new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }),
});

/** The two modes' `tools/list` results, encoded once: every answer then copies bytes instead of encoding ~70 KB. */
type EncodedLists = Record<keyof ToolsListJson, Buffer>;
const encodeLists = (lists: ToolsListJson): EncodedLists => ({
  'read-only': Buffer.from(lists['read-only']),
  'read-write': Buffer.from(lists['read-write']),
});

export function createMcpPipeline(deps: McpPipelineDependencies): (input: McpRequest) => Promise<McpAnswer> {
  const { config, logger } = deps;
  let listed = deps.toolsList;
  const toolsList = async () => (listed ??= toolsListJson(await deps.catalog()));
  // Signed-in users' role sessions, cached per user until they expire (AUTH_MODE oauth/both).
  const userCredentials = config.oauth ? userCredentialSource(config) : undefined;
  // A call's catalogue: its tool's module alone when the build mapped it, else (no map, no such tool) the whole one.
  const catalogs: CatalogSource = {
    all: async () => deps.catalog(),
    async forCall(name) {
      const module = deps.toolModules && Object.hasOwn(deps.toolModules, name) ? deps.toolModules[name] : undefined;
      if (module === undefined) return deps.catalog();
      return (await (await loadCallRuntime()).toolModuleCatalog(module, config.toolsets)) ?? deps.catalog();
    },
  };
  let encoded: EncodedLists | undefined;
  const encodedToolsList = async () => (encoded ??= encodeLists(await toolsList()));
  let modernEncoded: EncodedLists | undefined;
  const modernToolsList = async () => {
    const legacy = await toolsList();
    return (modernEncoded ??= encodeLists({
      'read-only': modernToolsListJson(legacy['read-only']),
      'read-write': modernToolsListJson(legacy['read-write']),
    }));
  };

  return async function serveMcp({ request, body, messages, readOnlyCaller, user, logFields: fields, requestId }) {
    const mode = config.accessMode === 'read-only' || readOnlyCaller ? 'read-only' : 'read-write';
    const stream = wantsProgressStream(request.headers.get('accept') ?? '', messages);
    const direct = stream ? undefined : directRequest(body, request.headers);
    if (direct?.kind === 'notification') return { response: new Response(null, { status: 202 }) };
    if (direct?.kind === 'initialize') return json(responseJson(direct.id, initializeResultJson(direct.protocolVersion)));
    if (direct?.kind === 'tools/list') return json(responseBytes(direct.id, (await encodedToolsList())[mode]));
    const modernListId = direct || Array.isArray(body) ? undefined : modernToolsListId(body as Record<string, unknown>, request.headers);
    if (modernListId !== undefined) return json(responseBytes(modernListId, (await modernToolsList())[mode]));

    const calls: CallRecord[] = [];
    const note = (extra: Record<string, unknown>) => Object.assign(fields, extra);
    const hooks: RequestHooks = {
      mode,
      signal: request.signal,
      makeContext: toolContextFactory({
        config,
        services: deps.services,
        headers: request.headers,
        mode,
        defaultChain: deps.defaultChain,
        note,
        user,
        userCredentials,
      }),
      onCallFinished(record) {
        calls.push(record);
        fields.calls = calls;
        if (calls.length === 1)
          Object.assign(fields, { tool: record.tool, outcome: record.outcome, errorCode: record.errorCode, cluster: record.cluster });
      },
      onUnexpected: (error) => logger.error('unexpected_tool_error', error, { requestId }),
      onInvalidOutput: ({ tool, issues }) =>
        logger.error(
          'output_schema_mismatch',
          { name: 'OutputSchemaMismatch', message: `structured content of ${tool} does not match its output schema` },
          { requestId, tool, issues },
        ),
    };
    // Responses from the client answer nothing (this server sends no requests of its own): accepted and ignored.
    const forSdk = messages.filter((message) => !isResponse(message));
    if (forSdk.length === 0) return { response: new Response(null, { status: 202 }) };
    if (direct?.kind === 'tools/call') {
      const [{ runToolCall }, catalog] = await Promise.all([loadCallRuntime(), catalogs.forCall(direct.name)]);
      const result = await runToolCall(catalog, hooks, direct.name, direct.arguments, request.signal, async () => undefined);
      return json(responseJson(direct.id, JSON.stringify(result)));
    }
    const runtime = await loadMcpRuntime();
    const sdkBody = Array.isArray(body) ? forSdk : forSdk[0];
    const answer = (await runtime.isLegacyRequest(request, sdkBody))
      ? await runtime.serveLegacy(catalogs, hooks, request, sdkBody, stream)
      : await runtime.serveModern(catalogs, hooks, request, sdkBody);
    return (answer.response.headers.get('content-type') ?? '').includes('text/event-stream') ? answer : { response: answer.response };
  };
}
