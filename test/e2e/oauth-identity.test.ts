/**
 * Per-user identity end to end: the server as an OAuth protected resource of the demo authorization server. Each
 * user signs in as an OAuth client does (401 → metadata → registration → PKCE → token) and acts with the RAM role
 * their group maps to: alice (ops) scales a node pool with her own STS session, bob (dev, read-only RAM role) is
 * refused by RAM, both are named in the log; bad tokens get 401 before anything is called upstream; in `both` mode
 * static-token callers keep working.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_ROLES } from '../emulator/sts/roles.ts';
import { startOAuthStack, type OAuthStack } from '../support/oauth-stack.ts';
import { TEST_TOKEN } from '../support/stack.ts';
import { call, text } from './ack-operations.helpers.ts';

const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

describe('AUTH_MODE=oauth', () => {
  let stack: OAuthStack;
  before(async () => {
    stack = await startOAuthStack({ emulator: { env: { taskStageMs: 15 } } });
  });
  after(() => stack.close());

  const demo = () => {
    const account = stack.emulator.world.accounts[0]!;
    const cluster = account.clusters[0]!;
    return { account, cluster, pool: cluster.nodepools[0]! };
  };
  const sessionOf = (accessKeyId: string | undefined) =>
    demo().account.accessKeys.find((key) => key.accessKeyId === accessKeyId)?.assumedRole;

  test('protected resource metadata names this resource and its authorization server, for /mcp and /mcp/v1', async () => {
    for (const path of ['/mcp', '/mcp/v1']) {
      const response = await fetch(`${stack.server.url}/.well-known/oauth-protected-resource${path}`);
      assert.equal(response.status, 200);
      const metadata = (await response.json()) as Record<string, unknown>;
      assert.equal(metadata.resource, stack.mcpUrl);
      assert.deepEqual(metadata.authorization_servers, [stack.idp.issuer]);
    }
  });

  test('no token → 401 whose challenge points at the metadata', async () => {
    const response = await stack.post(listTools, { authorization: '' });
    assert.equal(response.status, 401);
    assert.equal(
      response.headers.get('www-authenticate'),
      `Bearer realm="ack-mcp", resource_metadata="${stack.server.url}/.well-known/oauth-protected-resource/mcp"`,
    );
    assert.match(response.body.error.message, /^Unauthorized: sign in with http:\/\/127\.0\.0\.1:\d+ \(OAuth/);
  });

  test('bad tokens → 401 invalid_token, and nothing is called upstream', async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = await stack.idp.mint('alice');
    const [header, , signature] = good.split('.');
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cases: Array<[string, string, RegExp]> = [
      ['expired', await stack.idp.mint('alice', { exp: now - 600 }), /expired/],
      ['not yet valid', await stack.idp.mint('alice', { nbf: now + 3600 }), /not valid yet/],
      ['for another resource', await stack.idp.mint('alice', { aud: 'https://elsewhere.example.com/mcp' }), /another resource/],
      ['from another issuer', await stack.idp.mint('alice', { iss: 'https://evil.example.com' }), /another authorization server/],
      ['unknown kid', await stack.idp.mint('alice', {}, { kid: 'made-up' }), /not signed by one of the issuer's keys/],
      [
        'tampered',
        `${header}.${b64({ iss: stack.idp.issuer, aud: stack.mcpUrl, sub: 'alice', groups: ['ops'], exp: now + 600 })}.${signature}`,
        /signature does not verify/,
      ],
      ['garbage in three parts', 'a.b.c', /malformed/],
      ['of 15,000 characters', `${'e'.repeat(7_500)}.${'f'.repeat(7_498)}.x`, /malformed/],
      ['opaque', 'an-opaque-access-token-0123456789', /not a JWT \(opaque access tokens are not supported\)/],
      [
        'alg none',
        `${b64({ alg: 'none' })}.${b64({ iss: stack.idp.issuer, aud: stack.mcpUrl, sub: 'alice', groups: ['ops'], exp: now + 600 })}.`,
        /algorithm|malformed/,
      ],
    ];
    stack.emulator.callLog.clear();
    for (const [what, token, reason] of cases) {
      const response = await stack.post(
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_clusters', arguments: {} } },
        { authorization: `Bearer ${token}` },
      );
      assert.equal(response.status, 401, what);
      const challenge = response.headers.get('www-authenticate') ?? '';
      assert.match(challenge, /resource_metadata="[^"]+", error="invalid_token", error_description="The access token is not valid: /, what);
      assert.match(response.body.error.message, reason, what);
    }
    assert.deepEqual(stack.emulator.callLog.records, [], 'no upstream call for a refused token');
  });

  test("a flood of tokens with made-up kids fetches the issuer's keys at most once", async () => {
    const before = stack.idp.hits.get('/jwks') ?? 0;
    const flood = await Promise.all(Array.from({ length: 30 }, (_, i) => stack.idp.mint('alice', {}, { kid: `flood-${i}` })));
    const answers = await Promise.all(flood.map((token) => stack.post(listTools, { authorization: `Bearer ${token}` })));
    assert.deepEqual([...new Set(answers.map((answer) => answer.status))], [401]);
    assert.ok((stack.idp.hits.get('/jwks') ?? 0) - before <= 1, `JWKS fetched ${(stack.idp.hits.get('/jwks') ?? 0) - before} times`);
  });

  test('alice signs in as an OAuth client does and scales with her own STS session of the ops role', async () => {
    const token = await stack.signIn('alice');
    const alice = await stack.client({ authorization: `Bearer ${token}` });
    const { cluster, pool } = demo();
    stack.emulator.callLog.clear();
    const scaled = await call(alice, 'scale_nodepool', { cluster_id: cluster.cluster_id, nodepool_id: pool.nodepool_id, count: 1 });
    assert.equal(scaled.isError, undefined, text(scaled));
    const [assume] = stack.emulator.callLog.of('AssumeRole');
    assert.equal(assume?.status, 200);
    assert.equal(assume?.query.RoleArn, DEMO_ROLES.ops.arn);
    assert.equal(assume?.accessKeyId, 'LTAI5tDemoAccessKeyId001', "AssumeRole is signed by the server's own identity");
    const [scale] = stack.emulator.callLog.of('ScaleClusterNodePool');
    assert.deepEqual(sessionOf(scale?.accessKeyId), { roleName: 'ack-ops', roleId: DEMO_ROLES.ops.roleId, sessionName: 'alice' });
    const line = await stack.waitForLog((entry) => entry.tool === 'scale_nodepool' && entry.user?.sub === 'alice');
    assert.deepEqual(line.user, { sub: 'alice', name: 'Alice Ops' });
    assert.equal(line.role, DEMO_ROLES.ops.arn);
    assert.equal(line.credentialSource, 'user');
  });

  test("bob's scale is refused by RAM for his read-only role, with the answer naming the action; the log names bob", async () => {
    const bob = await stack.client({ authorization: `Bearer ${await stack.signIn('bob')}` });
    const { cluster, pool } = demo();
    stack.emulator.callLog.clear();
    const scaled = await call(bob, 'scale_nodepool', { cluster_id: cluster.cluster_id, nodepool_id: pool.nodepool_id, count: 1 });
    assert.equal(scaled.isError, true);
    assert.match(text(scaled), /StatusForbidden/);
    assert.match(text(scaled), /cs:ScaleClusterNodePool/);
    const [scale] = stack.emulator.callLog.of('ScaleClusterNodePool');
    assert.equal(scale?.status, 403);
    assert.equal(sessionOf(scale?.accessKeyId)?.sessionName, 'bob');
    const line = await stack.waitForLog((entry) => entry.tool === 'scale_nodepool' && entry.user?.sub === 'bob');
    assert.deepEqual(line.user, { sub: 'bob', name: 'Bob Dev' });
    assert.equal(line.role, DEMO_ROLES.dev.arn);
  });

  test('a user whose claims no mapping names → 403 naming the claim looked at; nothing called upstream', async () => {
    stack.emulator.callLog.clear();
    const token = await stack.idp.mint('mallory', { groups: ['guests'] });
    const response = await stack.post(listTools, { authorization: `Bearer ${token}` });
    assert.equal(response.status, 403);
    assert.match(
      response.body.error.message,
      /no Alibaba Cloud role is mapped for you\. This server looked at the token's claim groups \(\["guests"\]\)/,
    );
    assert.deepEqual(stack.emulator.callLog.records, []);
  });

  test('a mapping with read-only access lists the read-only catalogue', async () => {
    const response = await stack.post(listTools, { authorization: `Bearer ${await stack.idp.mint('carol', { groups: ['viewers'] })}` });
    assert.equal(response.status, 200);
    const names = (response.body.result.tools as Array<{ name: string }>).map((tool) => tool.name);
    assert.ok(names.includes('list_clusters'));
    assert.ok(!names.includes('scale_nodepool'));
  });

  test("a tool that changes the cluster, called by a user whose mapping is read-only: refused, naming the mapping, not 'this token'", async () => {
    const { cluster, pool } = demo();
    stack.emulator.callLog.clear();
    const response = await stack.post(
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'scale_nodepool', arguments: { cluster_id: cluster.cluster_id, nodepool_id: pool.nodepool_id, desired_size: 3 } },
      },
      { authorization: `Bearer ${await stack.idp.mint('carol', { groups: ['viewers'] })}` },
    );
    assert.equal(response.status, 200);
    assert.equal(response.body.result.isError, true);
    const message = response.body.result.content[0].text as string;
    assert.match(
      message,
      /^Error ReadOnlyMode: scale_nodepool changes the cluster and your role mapping is read-only \(the OAUTH_ROLE_MAPPING entry that matched you grants read-only access\), so it was refused\. Nothing was changed\.\nHint: Ask the operator to map you .* to a role with ,read-write in OAUTH_ROLE_MAPPING\./,
    );
    assert.doesNotMatch(message, /token/);
    assert.ok(!stack.emulator.callLog.records.some((record) => record.action === 'ScaleClusterNodePool'));
  });
});

describe('AUTH_MODE=both', () => {
  let stack: OAuthStack;
  before(async () => {
    stack = await startOAuthStack({ mode: 'both' });
  });
  after(() => stack.close());

  test('static-token callers keep working beside signed-in users; a wrong token is a 401 pointing at the metadata', async () => {
    const staticCaller = await stack.post(listTools, { authorization: `Bearer ${TEST_TOKEN}` });
    assert.equal(staticCaller.status, 200);
    const user = await stack.post(listTools, { authorization: `Bearer ${await stack.signIn('alice')}` });
    assert.equal(user.status, 200);
    const wrong = await stack.post(listTools, { authorization: `Bearer ${TEST_TOKEN}x` });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /resource_metadata=.*error="invalid_token"/);
    assert.match(wrong.body.error.message, /or send Authorization: Bearer <token>/);
  });
});
