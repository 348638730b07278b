/**
 * The HTTP face of the server (Hono): `POST /mcp` and `/mcp/v1` serve stateless MCP,
 * `GET /healthz` answers without auth or cloud calls, everything else is a clear error.
 */
import { Hono, type Context } from 'hono';
import type { AccessTokenVerifier } from '../auth/access-token.ts';
import { userCredentialSource } from '../auth/user-credentials.ts';
import type { Config } from '../config.ts';
import type { DefaultCredentialChain } from '../credentials/resolve-credentials.ts';
import type { Logger } from '../log.ts';
import type { CallRecord, RequestHooks } from '../mcp/build-server.ts';
import { directRequest, initializeResultJson, responseJson, toolsListJson, type ToolsListJson } from '../mcp/direct-answer.ts';
import { loadMcpRuntime } from '../mcp/load-runtime.ts';
import type { ToolCatalog } from '../mcp/tool-catalog.ts';
import { toolContextFactory } from '../tools/create-tool-context.ts';
import type { AppEnv } from './app-env.ts';
import { oauthDiscoveryRoutes } from './auth-answers.ts';
import { callerAuth } from './caller-auth.ts';
import { jsonRpcError } from './json-rpc-errors.ts';
import { isResponse } from './json-rpc-envelope.ts';
import { originGuard } from './origin-guard.ts';
import { protectedResourceRoutes } from './protected-resource.ts';
import { readJsonBody } from './read-json-body.ts';
import { fcRequestId, methodForLog, requestLog } from './request-log.ts';

export interface AppDependencies {
  config: Config;
  /** The tool catalogue. Called on first need: building it loads every tool definition. */
  catalog: () => ToolCatalog | Promise<ToolCatalog>;
  /** `tools/list` answers computed ahead (the FC build does), so a fresh instance answers them without the catalogue. */
  toolsList?: ToolsListJson;
  logger: Logger;
  defaultChain: DefaultCredentialChain;
  /** Replaces the access-token check of AUTH_MODE oauth/both (tests); default: JWTs of OAUTH_ISSUER. */
  accessTokenVerifier?: AccessTokenVerifier;
}

export const MCP_PATHS = ['/mcp', '/mcp/v1'] as const;

function wantsProgressStream(accept: string, messages: unknown[]): boolean {
  if (!accept.includes('text/event-stream')) return false;
  return messages.some((message) => {
    const m = message as { method?: unknown; params?: { _meta?: { progressToken?: unknown } } };
    return m?.method === 'tools/call' && m.params?._meta?.progressToken !== undefined;
  });
}

export function createApp(deps: AppDependencies): Hono<AppEnv> {
  const { config, logger } = deps;
  const app = new Hono<AppEnv>();
  let listed = deps.toolsList;
  const toolsList = async () => (listed ??= toolsListJson(await deps.catalog()));
  const jsonAnswer = (c: Context<AppEnv>, body: string) => c.body(body, 200, { 'content-type': 'application/json' });

  app.use('*', requestLog(logger));
  app.use('*', originGuard(config));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  if (config.oauth) protectedResourceRoutes(app, config.oauth, MCP_PATHS);
  else oauthDiscoveryRoutes(app);
  const authenticate = callerAuth(config, deps.accessTokenVerifier);
  const userCredentials = config.oauth ? userCredentialSource(config) : undefined;

  const methodNotAllowed = (c: Context<AppEnv>) =>
    c.json(jsonRpcError(-32000, 'Method not allowed: this server is stateless; send JSON-RPC with POST.'), 405, { Allow: 'POST' });

  for (const path of MCP_PATHS) {
    app.post(path, authenticate, async function serveMcp(c) {
      const body = await readJsonBody(c.req.raw, config.maxBodyBytes, config.maxBatchSize);
      if (!body.ok) return c.json(jsonRpcError(body.code, body.message, body.id ?? null), body.status);
      const { messages } = body;
      const fields = c.get('logFields');
      fields.rpc = messages.map(methodForLog);
      const caller = c.get('caller');
      const mode = config.accessMode === 'read-only' || caller.readOnly ? 'read-only' : 'read-write';
      const accept = c.req.header('accept') ?? '';
      const stream = wantsProgressStream(accept, messages);
      const direct = stream ? undefined : directRequest(body.value, c.req.raw.headers);
      if (direct?.kind === 'notification') return c.body(null, 202);
      if (direct?.kind === 'initialize') return jsonAnswer(c, responseJson(direct.id, initializeResultJson(direct.protocolVersion)));
      if (direct?.kind === 'tools/list') return jsonAnswer(c, responseJson(direct.id, (await toolsList())[mode]));
      const calls: CallRecord[] = [];
      const note = (extra: Record<string, unknown>) => Object.assign(fields, extra);
      const requestId = fcRequestId(c.req.raw.headers);
      const hooks: RequestHooks = {
        mode,
        signal: c.req.raw.signal,
        makeContext: toolContextFactory({ config, headers: c.req.raw.headers, mode, defaultChain: deps.defaultChain, note, user: caller.user, userCredentials }),
        onCallFinished(record) {
          calls.push(record);
          fields.calls = calls;
          if (calls.length === 1) Object.assign(fields, { tool: record.tool, outcome: record.outcome, errorCode: record.errorCode, cluster: record.cluster });
        },
        onUnexpected: (error) => logger.error('unexpected_tool_error', error, { requestId }),
        onInvalidOutput: ({ tool, issues }) =>
          logger.error('output_schema_mismatch', { name: 'OutputSchemaMismatch', message: `structured content of ${tool} does not match its output schema` }, { requestId, tool, issues }),
      };
      // Responses from the client answer nothing (this server sends no requests): accepted and ignored.
      const forSdk = messages.filter((message) => !isResponse(message));
      if (forSdk.length === 0) return c.body(null, 202);
      const [runtime, catalog] = await Promise.all([loadMcpRuntime(), deps.catalog()]);
      if (direct?.kind === 'tools/call') {
        const result = await runtime.runToolCall(catalog, hooks, direct.name, direct.arguments, c.req.raw.signal, async () => undefined);
        return jsonAnswer(c, responseJson(direct.id, JSON.stringify(result)));
      }
      const answer = await runtime.serveWithSdk(catalog, hooks, c.req.raw, Array.isArray(body.value) ? forSdk : forSdk[0], stream);
      if (stream) c.set('answered', answer.finished);
      return answer.response;
    });
    app.on(['GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'], path, methodNotAllowed);
  }

  app.notFound((c) => c.json({ error: 'not_found', message: `No route for ${c.req.method} ${c.req.path}. The MCP endpoint is POST /mcp.` }, 404));
  app.onError((error, c) => {
    logger.error('unhandled_http_error', error, { path: c.req.path });
    return c.json(jsonRpcError(-32603, 'Internal error. The failure was logged.'), 500);
  });
  return app;
}
