import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { accessTokenVerifier } from './access-token.ts';
import { issuerKeys } from './issuer-keys.ts';
import { parseOAuthSettings, type OAuthSettings } from './oauth-settings.ts';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const RESOURCE = 'https://mcp.example.com/mcp';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens (JWT) of the configured issuer', () => {
  let server: ReturnType<typeof createServer>;
  let issuer: string;
  let settings: OAuthSettings;
  let privateKey: Key;
  let publicJwk: JWK;
  let otherKey: Key;
  let hits = 0;
  let failing = false;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    otherKey = (await generateKeyPair('RS256')).privateKey;
    server = createServer((req, res) => {
      hits += 1;
      if (failing) return void res.writeHead(500).end('down');
      if (req.url === '/.well-known/oauth-authorization-server') {
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      }
      if (req.url === '/jwks')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    settings = parseOAuthSettings({
      AUTH_MODE: 'oauth',
      OAUTH_ISSUER: issuer,
      OAUTH_RESOURCE: RESOURCE,
      OAUTH_ROLE_MAPPING: 'groups=ops=>acs:ram::1234567890123456:role/ack-ops,read-write',
      OAUTH_ALLOW_HTTP_LOOPBACK: 'true',
    }).oauth!;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (claims: Record<string, unknown> = {}, options: { kid?: string; key?: Key; exp?: number | string; nbf?: number } = {}) => {
    const jwt = new SignJWT({ groups: ['ops'], name: 'Alice', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1' })
      .setIssuer(String(claims.iss ?? issuer))
      .setAudience((claims.aud as string | undefined) ?? RESOURCE)
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '10m');
    if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
    return jwt.sign(options.key ?? privateKey);
  };

  it('accepts a token signed by the issuer for this resource and names its user', async () => {
    const verify = accessTokenVerifier(settings, issuerKeys(settings));
    const checked = await verify(await token());
    assert.equal(checked.ok, true);
    assert.equal(checked.ok && checked.user.subject, 'alice');
    assert.equal(checked.ok && checked.user.name, 'Alice');
  });

  const refusals: Array<[string, () => Promise<string>, RegExp]> = [
    ['expired', () => token({}, { exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ['not yet valid', () => token({}, { nbf: Math.floor(Date.now() / 1000) + 3600 }), /not valid yet/],
    ['for another resource', () => token({ aud: 'https://other.example.com/mcp' }), /another resource/],
    ['from another issuer', () => token({ iss: 'https://evil.example.com' }), /another authorization server/],
    ['signed by another key with a known kid', () => token({}, { key: otherKey }), /signature does not verify/],
    [
      'unsigned (alg none)',
      async () => `${b64({ alg: 'none' })}.${b64({ iss: issuer, aud: RESOURCE, sub: 'x', exp: 9e9 })}.`,
      /algorithm|malformed/,
    ],
    [
      'HS256 keyed with the public key',
      async () => {
        const { createHmac } = await import('node:crypto');
        const { importJWK } = await import('jose');
        const pem = await exportSPKI((await importJWK(publicJwk, 'RS256', { extractable: true })) as Key);
        const input = `${b64({ alg: 'HS256', kid: 'key-1' })}.${b64({ iss: issuer, aud: RESOURCE, sub: 'mallory', exp: 9e9, groups: ['ops'] })}`;
        return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      },
      /algorithm/,
    ],
    [
      'tampered (claims changed after signing)',
      async () => {
        const [header, , signature] = (await token()).split('.');
        return `${header}.${b64({ iss: issuer, aud: RESOURCE, sub: 'alice', exp: 9e9, groups: ['admin'] })}.${signature}`;
      },
      /signature does not verify/,
    ],
    ['opaque', async () => 'an-opaque-access-token-0123456789', /not a JWT/],
  ];
  for (const [what, make, reason] of refusals) {
    it(`refuses a token ${what}`, async () => {
      const verify = accessTokenVerifier(settings, issuerKeys(settings));
      const checked = await verify(await make());
      assert.equal(checked.ok, false);
      assert.equal(!checked.ok && checked.kind, 'invalid_token');
      assert.match(!checked.ok ? checked.reason : '', reason);
    });
  }

  it('fetches the keys once for a flood of unknown kids, and once while the issuer fails', async () => {
    failing = false;
    hits = 0;
    const verify = accessTokenVerifier(settings, issuerKeys(settings));
    const flood = await Promise.all(Array.from({ length: 20 }, (_, i) => token({}, { kid: `made-up-${i}` })));
    for (const jwt of flood) {
      const checked = await verify(jwt);
      assert.equal(!checked.ok && checked.kind, 'invalid_token');
    }
    assert.equal(hits, 2, 'one metadata and one key-set fetch');
    assert.equal((await verify(await token())).ok, true, 'the known key still works from the cache');

    failing = true;
    hits = 0;
    const down = accessTokenVerifier(settings, issuerKeys(settings));
    for (const jwt of flood) {
      const checked = await down(jwt);
      assert.equal(!checked.ok && checked.kind, 'unavailable');
    }
    assert.equal(hits, 2, 'one attempt at each metadata document, then nothing for a minute');
  });
});
