/**
 * The server as an OAuth protected resource (AUTH_MODE oauth or both; MCP authorization, RFC 9728, RFC 6750):
 * - protected resource metadata at `/.well-known/oauth-protected-resource` and the per-path forms for `/mcp` and
 *   `/mcp/v1`, naming this resource and its authorization server;
 * - a 401 whose `WWW-Authenticate: Bearer` challenge points at that metadata (`resource_metadata`), with
 *   `error="invalid_token"` when a token was sent and refused;
 * - the user's 403 when no role is mapped for them, and a 503 when the issuer's keys cannot be had.
 * The authorization server itself is elsewhere (`OAUTH_ISSUER`): this server has no /authorize, /token or /register.
 */
import type { Context, Hono } from 'hono';
import type { OAuthSettings } from '../auth/oauth-settings.ts';
import type { AppEnv } from './app-env.ts';
import { SEND_TOKEN } from './auth-answers.ts';
import { jsonRpcError } from './json-rpc-errors.ts';

const REFUSED = -32001;
const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** Where the metadata of the resource served at `path` is, on the resource's public origin. */
export function metadataUrl(settings: OAuthSettings, path: string): string {
  return `${new URL(settings.resource).origin}${WELL_KNOWN}${path === '/' ? '' : path}`;
}

export function resourceMetadata(settings: OAuthSettings) {
  return {
    resource: settings.resource,
    authorization_servers: [settings.issuer],
    bearer_methods_supported: ['header'],
    resource_signing_alg_values_supported: settings.algorithms,
    resource_name: 'ACK MCP server',
  };
}

/** Serves the metadata (root and per MCP path); the authorization server's own metadata is the issuer's, not ours. */
export function protectedResourceRoutes(app: Hono<AppEnv>, settings: OAuthSettings, mcpPaths: readonly string[]): void {
  const document = JSON.stringify(resourceMetadata(settings));
  const answer = (c: Context<AppEnv>) => c.body(document, 200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
  app.get(WELL_KNOWN, answer);
  for (const path of mcpPaths) app.get(`${WELL_KNOWN}${path}`, answer);
  const elsewhere = (c: Context<AppEnv>) =>
    c.json(
      {
        error: 'not_found',
        message: `This server is an OAuth protected resource; its authorization server is ${settings.issuer} (see ${WELL_KNOWN}/mcp).`,
      },
      404,
    );
  for (const name of ['oauth-authorization-server', 'openid-configuration']) {
    app.get(`/.well-known/${name}`, elsewhere);
    app.get(`/.well-known/${name}/*`, elsewhere);
  }
  app.get(`${WELL_KNOWN}/*`, elsewhere);
}

/** RFC 6750 §3: quoted-string values may not hold `"` or `\`. */
const quoted = (value: string) => value.replace(/["\\]/g, "'");

export function challengeOauth(
  c: Context<AppEnv>,
  settings: OAuthSettings,
  staticTokensToo: boolean,
  refused: { reason: string } | undefined,
): Response {
  c.set('rejection', refused ? 'invalid_token' : 'missing_token');
  const orToken = staticTokensToo ? `, or ${SEND_TOKEN}` : '';
  const where = metadataUrl(settings, c.req.path);
  let challenge = `Bearer realm="ack-mcp", resource_metadata="${where}"`;
  let message = `Unauthorized: sign in with ${settings.issuer} (OAuth; metadata at ${where})${orToken}.`;
  if (refused) {
    c.set('logFields', Object.assign(c.get('logFields'), { tokenRefused: refused.reason }));
    challenge += `, error="invalid_token", error_description="${quoted(`The access token is not valid: ${refused.reason}`)}"`;
    message = `Unauthorized: the access token is not valid (${refused.reason}); sign in again with ${settings.issuer}${orToken}.`;
  }
  return c.json(jsonRpcError(REFUSED, message), 401, { 'WWW-Authenticate': challenge });
}

export function refuseUnmappedUser(c: Context<AppEnv>, message: string): Response {
  c.set('rejection', 'no_role_mapping');
  return c.json(jsonRpcError(REFUSED, message), 403);
}

export function keysUnavailable(c: Context<AppEnv>, reason: string): Response {
  c.set('rejection', 'issuer_keys_unavailable');
  c.set('logFields', Object.assign(c.get('logFields'), { issuerKeys: reason }));
  return c.json(
    jsonRpcError(-32603, "Service unavailable: the authorization server's signing keys cannot be fetched now; try again in a minute."),
    503,
    {
      'Retry-After': '60',
    },
  );
}
