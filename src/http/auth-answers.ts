/**
 * What the server answers a client that is not authenticated: the refusal of an MCP request without a
 * valid bearer token, and the OAuth discovery and registration endpoints that OAuth-capable clients
 * (MCP Inspector, mcp-remote and so Claude Desktop and Cursor, SDK clients given an auth provider) try
 * after a 401. The one place that knows how callers authenticate, so every client ends on the same
 * instruction: "send Authorization: Bearer <token>".
 *
 * The server takes static bearer tokens and has no OAuth authorization server:
 * - no bearer token → 401 with a bare `Bearer` challenge (RFC 6750 §3.1: no error code when the request
 *   carries no credentials). An OAuth client then looks for metadata and registers itself:
 * - the protected-resource and authorization-server metadata → 404 (there is none), and the registration
 *   endpoint (`POST /register`, where a client without metadata registers) → 403 `access_denied` whose
 *   description is the instruction: the one answer of the flow an OAuth client shows its user;
 * - a wrong token → 403 `invalid_token`. A 401 would send an OAuth client into a sign-in that no
 *   authorization server can complete (it would never say the token is wrong); a 403 makes every client
 *   show the server's message. RFC 6750 says SHOULD 401, and MCP's authorization profile (which this
 *   static-token server does not implement) asks 401 of invalid OAuth tokens.
 * When the server becomes an OAuth protected resource (an issuer configured), the answers change here:
 * RFC 9728 metadata instead of the 404s, `resource_metadata` in the challenge, and 401 for a wrong token.
 */
import type { Context, Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { jsonRpcError } from './json-rpc-errors.ts';

const REALM = 'ack-mcp';

/** The instruction every refusal carries. RFC 6749 error descriptions allow no `"` or `\`. */
export const SEND_TOKEN = 'send Authorization: Bearer <token>, the token the operator of this MCP server gave you';

const NO_OAUTH =
  `This MCP server does not use OAuth (no sign-in, no client registration): ${SEND_TOKEN}. ` +
  'Configure the client with that HTTP header (mcp-remote: --header Authorization:Bearer...).';

/** JSON-RPC error code of a refused request (the SDKs' "unauthorized" convention). */
const REFUSED = -32001;

export type Rejection = 'missing_token' | 'invalid_token';

/** The answer to an MCP request whose bearer token is missing or not valid. */
export function refuseCaller(c: Context<AppEnv>, rejection: Rejection): Response {
  c.set('rejection', rejection);
  if (rejection === 'missing_token') {
    return c.json(jsonRpcError(REFUSED, `Unauthorized: ${SEND_TOKEN}.`), 401, { 'WWW-Authenticate': `Bearer realm="${REALM}"` });
  }
  const description = `The bearer token is not valid: ${SEND_TOKEN}`;
  return c.json(jsonRpcError(REFUSED, `Forbidden: ${description}.`), 403, {
    'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
  });
}

/** Well-known documents OAuth clients look for (RFC 9728, RFC 8414, OpenID Connect discovery), at the root and per path. */
const METADATA_PATHS = ['oauth-protected-resource', 'oauth-authorization-server', 'openid-configuration'].flatMap((name) => [
  `/.well-known/${name}`,
  `/.well-known/${name}/*`,
]);

/** Adds the OAuth discovery and registration answers of a server without an authorization server. */
export function oauthDiscoveryRoutes(app: Hono<AppEnv>): void {
  const noMetadata = (c: Context<AppEnv>) => c.json({ error: 'not_found', message: NO_OAUTH }, 404);
  for (const path of METADATA_PATHS) app.get(path, noMetadata);
  // Clients without metadata fall back to /authorize, /token and /register on the server's origin.
  app.post('/register', (c) => c.json({ error: 'access_denied', error_description: NO_OAUTH }, 403));
  app.post('/token', (c) => c.json({ error: 'unsupported_grant_type', error_description: NO_OAUTH }, 400));
  app.get('/authorize', (c) => c.text(NO_OAUTH, 403));
}
