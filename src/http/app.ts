/**
 * The HTTP face of the server (Hono): `POST /mcp` and `/mcp/v1` serve stateless MCP,
 * `GET /healthz` answers without auth or cloud calls, everything else is a clear error.
 */
import { Hono, type Context } from 'hono';
import type { AccessTokenVerifier } from '../auth/access-token.ts';
import { createMcpPipeline, type McpPipelineDependencies } from '../mcp/serve-request.ts';
import type { AppEnv } from './app-env.ts';
import { oauthDiscoveryRoutes } from './auth-answers.ts';
import { callerAuth } from './caller-auth.ts';
import { jsonRpcError } from './json-rpc-errors.ts';
import { originGuard } from './origin-guard.ts';
import { protectedResourceRoutes } from './protected-resource.ts';
import { readJsonBody } from './read-json-body.ts';
import { fcRequestId, methodForLog, requestLog } from './request-log.ts';

export interface AppDependencies extends McpPipelineDependencies {
  /** Replaces the access-token check of AUTH_MODE oauth/both (tests); default: JWTs of OAUTH_ISSUER. */
  accessTokenVerifier?: AccessTokenVerifier;
}

export const MCP_PATHS = ['/mcp', '/mcp/v1'] as const;

export function createApp(deps: AppDependencies): Hono<AppEnv> {
  const { config, logger } = deps;
  const app = new Hono<AppEnv>();
  const serveMcp = createMcpPipeline(deps);

  app.use('*', requestLog(logger));
  app.use('*', originGuard(config));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  if (config.oauth) protectedResourceRoutes(app, config.oauth, MCP_PATHS);
  else oauthDiscoveryRoutes(app);
  const authenticate = callerAuth(config, deps.accessTokenVerifier);

  const methodNotAllowed = (c: Context<AppEnv>) =>
    c.json(jsonRpcError(-32000, 'Method not allowed: this server is stateless; send JSON-RPC with POST.'), 405, { Allow: 'POST' });

  for (const path of MCP_PATHS) {
    app.post(path, authenticate, async function mcpEndpoint(c) {
      const body = await readJsonBody(c.req.raw, config.maxBodyBytes, config.maxBatchSize);
      if (!body.ok) return c.json(jsonRpcError(body.code, body.message, body.id ?? null), body.status);
      const fields = c.get('logFields');
      fields.rpc = body.messages.map(methodForLog);
      const caller = c.get('caller');
      const answer = await serveMcp({
        request: c.req.raw,
        body: body.value,
        messages: body.messages,
        readOnlyCaller: caller.readOnly,
        user: caller.user,
        logFields: fields,
        requestId: fcRequestId(c.req.raw.headers),
      });
      if (answer.finished) c.set('answered', answer.finished);
      return answer.response;
    });
    app.on(['GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'], path, methodNotAllowed);
  }

  app.notFound((c) =>
    c.json({ error: 'not_found', message: `No route for ${c.req.method} ${c.req.path}. The MCP endpoint is POST /mcp.` }, 404),
  );
  app.onError((error, c) => {
    logger.error('unhandled_http_error', error, { path: c.req.path });
    return c.json(jsonRpcError(-32603, 'Internal error. The failure was logged.'), 500);
  });
  return app;
}
