/**
 * A demo OAuth 2.1 authorization server for the sandbox and the tests (never part of a deployment), on `jose`:
 * metadata (RFC 8414, also at the OpenID path), JWKS, dynamic client registration (RFC 7591, public clients),
 * the authorization endpoint (code flow, PKCE S256 required, RFC 8707 `resource`), the token endpoint
 * (authorization_code and refresh_token grants) issuing ES256-signed JWT access tokens (RFC 9068) whose `aud` is
 * the resource. Demo users sign in without a password: `login_hint=<user>` signs that user in at once, otherwise
 * the authorization endpoint shows a page to pick one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface DemoUser {
  sub: string;
  name: string;
  groups: string[];
}

export const DEMO_USERS: DemoUser[] = [
  { sub: 'alice', name: 'Alice Ops', groups: ['ops'] },
  { sub: 'bob', name: 'Bob Dev', groups: ['dev'] },
];

export interface AuthorizationServerOptions {
  users?: DemoUser[];
  /** Resources (RFC 8707) tokens may be issued for; the first is the default when a client names none. */
  resources: string[];
  port?: number;
  tokenLifetimeSeconds?: number;
  /**
   * Sandbox: take an unknown client_id with a loopback redirect_uri as registered. Clients such as mcp-remote keep a
   * registration across runs, and the sandbox forgets its clients when it stops.
   */
  adoptUnknownLoopbackClients?: boolean;
}

export interface DemoAuthorizationServer {
  issuer: string;
  close(): Promise<void>;
  /** Signs an access token directly (tests): the user's claims, then `claims` over them; `kid` and `alg` may be changed. */
  mint(sub: string, claims?: Record<string, unknown>, header?: { kid?: string }): Promise<string>;
  /** Requests per path (`/jwks`, `/token`…). */
  hits: Map<string, number>;
}

interface Client {
  redirectUris: string[];
  name: string;
}
interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  sub: string;
  resource: string;
  scope: string;
  expiresAt: number;
}

const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function redirectUriAllowed(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

export async function startDemoAuthorizationServer(options: AuthorizationServerOptions): Promise<DemoAuthorizationServer> {
  const users = options.users ?? DEMO_USERS;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `demo-${randomBytes(4).toString('hex')}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const clients = new Map<string, Client>();
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, Omit<Grant, 'challenge' | 'redirectUri' | 'expiresAt'>>();
  const hits = new Map<string, number>();
  let issuer = '';

  const sign = (user: DemoUser, claims: Record<string, unknown>, header: { kid?: string } = {}) =>
    new SignJWT({ name: user.name, groups: user.groups, ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: header.kid ?? kid })
      .setIssuer(String(claims.iss ?? issuer))
      .setSubject(user.sub)
      .setAudience(String(claims.aud ?? options.resources[0]))
      .setIssuedAt()
      .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : Math.floor(Date.now() / 1000) + lifetime)
      .setJti(randomBytes(8).toString('hex'))
      .sign(privateKey);

  function metadata() {
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      registration_endpoint: `${issuer}/register`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid', 'profile', 'ack'],
    };
  }

  function register(body: string, res: ServerResponse): void {
    let request: { redirect_uris?: unknown; client_name?: unknown; token_endpoint_auth_method?: unknown };
    try {
      request = JSON.parse(body);
    } catch {
      return send(res, 400, { error: 'invalid_client_metadata', error_description: 'the body is not JSON' });
    }
    const uris = request.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || !uris.every((uri) => typeof uri === 'string' && redirectUriAllowed(uri))) {
      return send(res, 400, { error: 'invalid_redirect_uri', error_description: 'redirect_uris must be https or http loopback URLs' });
    }
    const clientId = `client-${randomBytes(8).toString('hex')}`;
    const name = typeof request.client_name === 'string' ? request.client_name.slice(0, 100) : clientId;
    clients.set(clientId, { redirectUris: uris as string[], name });
    send(res, 201, {
      client_id: clientId,
      client_id_issued_at: Math.floor(Date.now() / 1000),
      client_name: name,
      redirect_uris: uris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
  }

  function authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    const clientId = q.get('client_id') ?? '';
    if (
      options.adoptUnknownLoopbackClients &&
      /^[A-Za-z0-9_.-]{1,100}$/.test(clientId) &&
      !clients.has(clientId) &&
      redirectUriAllowed(redirectUri) &&
      new URL(redirectUri).protocol === 'http:'
    ) {
      clients.set(clientId, { redirectUris: [redirectUri], name: clientId });
    }
    const client = clients.get(clientId);
    if (!client?.redirectUris.includes(redirectUri)) return send(res, 400, '<p>Unknown client or redirect_uri.</p>');
    const back = new URL(redirectUri);
    const fail = (error: string, description: string) => {
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      send(res, 302, '', { location: back.href });
    };
    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'only code');
    if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? ''))
      return fail('invalid_request', 'PKCE S256 is required');
    const resource = q.get('resource') ?? options.resources[0]!;
    if (!options.resources.includes(resource)) return fail('invalid_target', 'unknown resource');
    const user = users.find((candidate) => candidate.sub === q.get('login_hint'));
    if (!user) {
      const links = users.map((candidate) => {
        const pick = new URL(url.href);
        pick.searchParams.set('login_hint', candidate.sub);
        return `<li><a href="${html(pick.pathname + pick.search)}">${html(candidate.name)}</a> (groups: ${html(candidate.groups.join(', '))})</li>`;
      });
      return send(
        res,
        200,
        `<!doctype html><title>Demo sign-in</title><h1>Sign in to the sandbox as</h1><ul>${links.join('')}</ul><p>Demo only: no password.</p>`,
      );
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId: q.get('client_id')!,
      redirectUri,
      challenge: q.get('code_challenge')!,
      sub: user.sub,
      resource,
      scope: q.get('scope') ?? '',
      expiresAt: Date.now() + 60_000,
    });
    back.searchParams.set('code', code);
    if (q.get('state')) back.searchParams.set('state', q.get('state')!);
    send(res, 302, '', { location: back.href });
  }

  async function token(body: string, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(body);
    const error = (code: string, description: string) => send(res, 400, { error: code, error_description: description });
    const issue = async (grant: Omit<Grant, 'challenge' | 'redirectUri' | 'expiresAt'>) => {
      const user = users.find((candidate) => candidate.sub === grant.sub)!;
      const refresh = randomBytes(24).toString('base64url');
      refreshTokens.set(refresh, grant);
      const access = await sign(user, { aud: grant.resource, client_id: grant.clientId, scope: grant.scope });
      send(res, 200, { access_token: access, token_type: 'Bearer', expires_in: lifetime, refresh_token: refresh, scope: grant.scope });
    };
    if (form.get('grant_type') === 'refresh_token') {
      const grant = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!grant || grant.clientId !== form.get('client_id')) return error('invalid_grant', 'unknown refresh token');
      refreshTokens.delete(form.get('refresh_token')!);
      return issue(grant);
    }
    if (form.get('grant_type') !== 'authorization_code') return error('unsupported_grant_type', 'authorization_code or refresh_token');
    const code = form.get('code') ?? '';
    const grant = codes.get(code);
    codes.delete(code);
    if (!grant || grant.expiresAt < Date.now()) return error('invalid_grant', 'unknown or expired code');
    if (grant.clientId !== form.get('client_id') || grant.redirectUri !== form.get('redirect_uri'))
      return error('invalid_grant', 'client or redirect_uri differs');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
      return error('invalid_grant', 'PKCE verification failed');
    const resource = form.get('resource');
    if (resource !== null && resource !== grant.resource) return error('invalid_target', 'resource differs from the authorization request');
    return issue(grant);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const run = async () => {
      if (
        req.method === 'GET' &&
        (url.pathname === '/.well-known/oauth-authorization-server' || url.pathname === '/.well-known/openid-configuration')
      )
        return send(res, 200, metadata());
      if (req.method === 'GET' && url.pathname === '/jwks') return send(res, 200, { keys: [jwk] });
      if (req.method === 'GET' && url.pathname === '/authorize') return authorize(url, res);
      if (req.method === 'POST' && url.pathname === '/register') return register(await readBody(req), res);
      if (req.method === 'POST' && url.pathname === '/token') return token(await readBody(req), res);
      send(res, 404, { error: 'not_found' });
    };
    run().catch(() => send(res, 400, { error: 'invalid_request' }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    hits,
    mint(sub, claims = {}, header = {}) {
      const user = users.find((candidate) => candidate.sub === sub) ?? { sub, name: sub, groups: [] };
      return sign(user, claims, header);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
