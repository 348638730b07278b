/**
 * The HTTP face of the server (Hono): `POST /mcp` and `/mcp/v1` serve stateless MCP,
 * `GET /healthz` answers without auth or cloud calls, everything else is a clear error.
 */
import { Hono, type Context } from 'hono';
import type { Config } from '../config.ts';
import type { DefaultCredentialChain } from '../credentials/resolve-credentials.ts';
import type { Logger } from '../log.ts';
import type { RequestHooks } from '../mcp/build-server.ts';
import { directRequest, initializeResultJson, responseJson, toolsListJson, type ToolsListJson } from '../mcp/direct-answer.ts';
import { loadMcpRuntime } from '../mcp/load-runtime.ts';
import type { ToolCatalog } from '../mcp/tool-catalog.ts';
import { toolContextFactory } from '../tools/create-tool-context.ts';
import type { AppEnv } from './app-env.ts';
import { bearerAuth } from './bearer-auth.ts';
import { jsonRpcError } from './json-rpc-errors.ts';
import { readJsonBody } from './read-json-body.ts';

export interface AppDependencies {
  config: Config;
  /** The tool catalogue. Called on first need: building it loads every tool definition. */
  catalog: () => ToolCatalog | Promise<ToolCatalog>;
  /** `tools/list` answers computed ahead (the FC build does), so a fresh instance answers them without the catalogue. */
  toolsList?: ToolsListJson;
  logger: Logger;
  defaultChain: DefaultCredentialChain;
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

  app.use('*', async function logRequest(c, next) {
    const started = performance.now();
    const fields: Record<string, unknown> = {};
    c.set('logFields', fields);
    await next();
    logger.request({
      requestId: c.req.header('x-fc-request-id') ?? undefined,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
      token: c.get('caller')?.tokenName,
      ...(c.get('rejection') ? { rejection: c.get('rejection') } : {}),
      ...fields,
    });
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  const methodNotAllowed = (c: Context<AppEnv>) =>
    c.json(jsonRpcError(-32000, 'Method not allowed: this server is stateless; send JSON-RPC with POST.'), 405, { Allow: 'POST' });

  for (const path of MCP_PATHS) {
    app.post(path, bearerAuth(config.authTokens), async function serveMcp(c) {
      const body = await readJsonBody(c.req.raw, config.maxBodyBytes, config.maxBatchSize);
      if (!body.ok) return c.json(jsonRpcError(body.code, body.message), body.status as 400);
      const messages = Array.isArray(body.value) ? body.value : [body.value];
      const fields = c.get('logFields');
      fields.rpc = messages.map((message) => (message as { method?: unknown })?.method).filter((m) => typeof m === 'string');
      const caller = c.get('caller');
      const mode = config.accessMode === 'read-only' || caller.readOnly ? 'read-only' : 'read-write';
      const accept = c.req.header('accept') ?? '';
      const stream = wantsProgressStream(accept, messages);
      const calls: unknown[] = [];
      const note = (extra: Record<string, unknown>) => Object.assign(fields, extra);

      const hooks: RequestHooks = {
        mode,
        makeContext: toolContextFactory({ config, headers: c.req.raw.headers, mode, defaultChain: deps.defaultChain, note }),
        onCallFinished(outcome) {
          calls.push(outcome);
          fields.calls = calls;
          if (calls.length === 1) Object.assign(fields, { tool: outcome.tool, outcome: outcome.outcome, errorCode: outcome.errorCode });
        },
        onUnexpected: (error) => logger.error('unexpected_tool_error', error, { requestId: c.req.header('x-fc-request-id') }),
      };
      const direct = stream ? undefined : directRequest(body.value, c.req.raw.headers);
      if (direct?.kind === 'notification') return c.body(null, 202);
      if (direct?.kind === 'initialize') return jsonAnswer(c, responseJson(direct.id, initializeResultJson(direct.protocolVersion)));
      if (direct?.kind === 'tools/list') return jsonAnswer(c, responseJson(direct.id, (await toolsList())[mode]));
      const [runtime, catalog] = await Promise.all([loadMcpRuntime(), deps.catalog()]);
      if (direct?.kind === 'tools/call') {
        const result = await runtime.runToolCall(catalog, hooks, direct.name, direct.arguments, c.req.raw.signal, async () => undefined);
        return jsonAnswer(c, responseJson(direct.id, JSON.stringify(result)));
      }
      const server = runtime.buildMcpServer(catalog, hooks);
      const transport = new runtime.WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: !stream });
      await server.connect(transport);
      // The transport insists on both media types in Accept; a JSON-only client gets JSON anyway.
      const headers = new Headers(c.req.raw.headers);
      headers.set('accept', 'application/json, text/event-stream');
      const request = new Request(c.req.raw.url, { method: 'POST', headers });
      const response = await transport.handleRequest(request, { parsedBody: body.value });
      if (!stream) await server.close();
      return response;
    });
    app.on(['GET', 'DELETE', 'PUT', 'PATCH'], path, methodNotAllowed);
  }

  app.notFound((c) => c.json({ error: 'not_found', message: `No route for ${c.req.method} ${c.req.path}. The MCP endpoint is POST /mcp.` }, 404));
  app.onError((error, c) => {
    logger.error('unhandled_http_error', error, { path: c.req.path });
    return c.json(jsonRpcError(-32603, 'Internal error. The failure was logged.'), 500);
  });
  return app;
}
