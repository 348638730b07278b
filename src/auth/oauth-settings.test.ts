import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config.ts';
import { mappingFor, noMappingMessage } from './role-mapping.ts';
import { parseRoleMapping } from './oauth-settings.ts';
import { roleSessionNameFor } from './user-credentials.ts';

const OPS = 'acs:ram::1234567890123456:role/ack-ops';
const DEV = 'acs:ram::1234567890123456:role/ack-dev';
const base = {
  AUTH_MODE: 'oauth',
  OAUTH_ISSUER: 'https://idp.example.com',
  OAUTH_RESOURCE: 'https://mcp.example.com/mcp',
  OAUTH_ROLE_MAPPING: `groups=ops=>${OPS},read-write;groups=dev=>${DEV}`,
  CREDENTIAL_SOURCES: 'function',
};

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.ok(!error.message.includes('\n'), 'one line');
    return error.message;
  }
  assert.fail('the configuration was accepted');
}

describe('AUTH_MODE and the OAuth settings', () => {
  it('token is the default and needs none of them', () => {
    const config = loadConfig({ MCP_AUTH_TOKEN: 'a-token-of-sixteen-chars' });
    assert.equal(config.authMode, 'token');
    assert.equal(config.oauth, undefined);
  });

  it('oauth reads the issuer, resource, mapping (read-only unless said) and safe defaults', () => {
    const config = loadConfig(base);
    assert.equal(config.authMode, 'oauth');
    assert.deepEqual(config.oauth?.mappings, [
      { claim: 'groups', value: 'ops', roleArn: OPS, access: 'read-write' },
      { claim: 'groups', value: 'dev', roleArn: DEV, access: 'read-only' },
    ]);
    assert.deepEqual(config.oauth?.algorithms, ['RS256', 'ES256']);
    assert.equal(config.oauth?.assumeWith, 'role');
    assert.equal(config.oauth?.clockSkewSeconds, 60);
  });

  const incoherent: Array<[string, Record<string, string>, RegExp]> = [
    ['oauth without an issuer', { ...base, OAUTH_ISSUER: '' }, /^AUTH_MODE=oauth needs OAUTH_ISSUER/],
    ['oauth without a resource', { ...base, OAUTH_RESOURCE: '' }, /needs OAUTH_RESOURCE/],
    ['oauth without a mapping', { ...base, OAUTH_ROLE_MAPPING: '' }, /needs OAUTH_ROLE_MAPPING/],
    ['a mapping to a malformed ARN', { ...base, OAUTH_ROLE_MAPPING: 'groups=ops=>acs:ram::123:role/ops' }, /is not a RAM role ARN/],
    ['a mapping entry without =>', { ...base, OAUTH_ROLE_MAPPING: `groups:ops:${OPS}` }, /entries are claim=value=>/],
    ['an http issuer', { ...base, OAUTH_ISSUER: 'http://idp.example.com' }, /must use https/],
    ['HS256 allowed', { ...base, OAUTH_ALGORITHMS: 'RS256,HS256' }, /public-key algorithms only/],
    ['alg none allowed', { ...base, OAUTH_ALGORITHMS: 'none' }, /public-key algorithms only/],
    ['oidc without a provider', { ...base, OAUTH_ASSUME_WITH: 'oidc' }, /needs OAUTH_OIDC_PROVIDER_ARN/],
    ['oauth with static tokens', { ...base, MCP_AUTH_TOKEN: 'a-token-of-sixteen-chars' }, /AUTH_MODE=oauth accepts no static tokens/],
    ['both without static tokens', { ...base, AUTH_MODE: 'both' }, /AUTH_MODE=both needs MCP_AUTH_TOKEN/],
    [
      'OAuth settings in token mode',
      { MCP_AUTH_TOKEN: 'a-token-of-sixteen-chars', OAUTH_ISSUER: 'https://idp.example.com' },
      /OAUTH_ISSUER set but AUTH_MODE is token/,
    ],
    [
      'AssumeRole without own credentials',
      { ...base, CREDENTIAL_SOURCES: 'caller' },
      /OAUTH_ASSUME_WITH=role signs AssumeRole with the server's own credentials/,
    ],
    ['an unknown mode', { ...base, AUTH_MODE: 'jwt' }, /AUTH_MODE must be token, oauth or both/],
  ];
  for (const [what, env, message] of incoherent) {
    it(`refuses ${what} with one clear line`, () => assert.match(refusal(env), message));
  }
});

describe('role mapping', () => {
  const mappings = parseRoleMapping(`groups=ops=>${OPS},read-write;realm_access.roles=dev=>${DEV};sub=carol=>${DEV}`);
  it('maps by array claim, dotted path and string claim, first match wins', () => {
    assert.equal(mappingFor({ groups: ['x', 'ops'] }, mappings)?.roleArn, OPS);
    assert.equal(mappingFor({ realm_access: { roles: ['dev'] } }, mappings)?.roleArn, DEV);
    assert.equal(mappingFor({ sub: 'carol' }, mappings)?.access, 'read-only');
    assert.equal(mappingFor({ groups: 'opsx', sub: 'dave' }, mappings), undefined);
  });
  it('names the claims looked at when nothing maps', () => {
    assert.match(
      noMappingMessage({ groups: ['guests'] }, mappings),
      /claim groups \(\["guests"\]\), realm_access\.roles \(absent\), sub \(absent\)/,
    );
  });
});

describe('RoleSessionName for a user', () => {
  it('keeps what STS accepts, replaces the rest, and bounds long subjects to 64 with a hash', () => {
    assert.equal(roleSessionNameFor('alice'), 'alice');
    assert.equal(roleSessionNameFor('alice@example.com'), 'alice@example.com');
    assert.equal(roleSessionNameFor('auth0|6543 21'), 'auth0_6543_21');
    assert.equal(roleSessionNameFor('a'), 'a_');
    const long = roleSessionNameFor('x'.repeat(200));
    assert.equal(long.length, 64);
    assert.match(long, /^x{55}-[0-9a-f]{8}$/);
    assert.notEqual(roleSessionNameFor(`${'x'.repeat(100)}1`), roleSessionNameFor(`${'x'.repeat(100)}2`));
  });
});
