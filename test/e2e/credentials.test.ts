/**
 * Per-request Alibaba Cloud credentials: the caller's headers reach the wire (the emulator
 * verifies each signature), bad ones fail clearly, tenants never see each other's, and no
 * secret ever appears in a response or a log line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, capturedVolume, findSecretLeaks, secretsIn, startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { createDemoWorld, type AccessKey, type AccountRecord, type World } from '../emulator/world.ts';

let stack: Stack;
let demo: AccessKey;
let demoSts: AccessKey;
let expiredSts: AccessKey;
let other: AccessKey;

/**
 * The demo world with its valid STS key and its Beijing cluster moved to an account of their own,
 * so that three keys belong to three accounts, each with one cluster in its own region.
 */
function threeTenantWorld(): World {
  const world = createDemoWorld();
  const demoAccount = world.accounts[0]!;
  const sts = demoAccount.accessKeys.findIndex((key) => key.securityToken && key.expiresAt! > Date.now());
  const beijing = demoAccount.clusters.findIndex((cluster) => cluster.region_id === 'cn-beijing');
  world.accounts.push({
    accountId: '1111222233334444',
    name: 'sts-tenant',
    accessKeys: demoAccount.accessKeys.splice(sts, 1),
    clusters: demoAccount.clusters.splice(beijing, 1),
  });
  return world;
}

let accounts: { demo: AccountRecord; other: AccountRecord; sts: AccountRecord };

before(async () => {
  stack = await startStack({ emulator: { world: threeTenantWorld() } });
  const [demoAccount, otherAccount, stsAccount] = stack.emulator.world.accounts as [AccountRecord, AccountRecord, AccountRecord];
  accounts = { demo: demoAccount, other: otherAccount, sts: stsAccount };
  demo = demoAccount.accessKeys[0]!;
  demoSts = stsAccount.accessKeys[0]!;
  expiredSts = demoAccount.accessKeys.find((key) => key.securityToken && key.expiresAt! < Date.now())!;
  other = otherAccount.accessKeys[0]!;
});
after(() => stack.close());

async function callListClusters(headers: Record<string, string>) {
  const response = await stack.post(
    { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_clusters', arguments: {} } },
    headers,
  );
  return response.body.result as {
    isError?: boolean;
    content: Array<{ text: string }>;
    structuredContent?: { clusters: Array<{ cluster_id: string }> };
  };
}

describe('credential errors are clear and name no secret', () => {
  test('an unknown AccessKey id → InvalidAccessKeyId.NotFound with a hint', async () => {
    const result = await callListClusters({
      'x-aliyun-access-key-id': 'LTAI5tNoSuchKeyAtAll0000',
      'x-aliyun-access-key-secret': 'whatever-secret-value-0000',
    });
    assert.equal(result.isError, true);
    assert.match(result.content[0]!.text, /^Error InvalidAccessKeyId\.NotFound/);
    assert.match(result.content[0]!.text, /Hint: .*X-Aliyun-Access-Key-Id/);
    assert.match(result.content[0]!.text, /Request id: [0-9A-F-]{36}/);
  });

  test('a wrong secret → SignatureDoesNotMatch', async () => {
    const result = await callListClusters(callerHeaders({ ...demo, accessKeySecret: 'WrongSecretAbcdefghijklmnopq99' }));
    assert.equal(result.isError, true);
    assert.match(result.content[0]!.text, /^Error SignatureDoesNotMatch/);
  });

  test('an id without a secret → IncompleteCallerCredentials, nothing sent upstream', async () => {
    const before = stack.emulator.callLog.records.length;
    const result = await callListClusters({ 'x-aliyun-access-key-id': demo.accessKeyId });
    assert.match(result.content[0]!.text, /^Error IncompleteCallerCredentials/);
    assert.equal(stack.emulator.callLog.records.length, before);
  });

  test('a key with control characters → MalformedCallerCredentials', async () => {
    const result = await callListClusters({ 'x-aliyun-access-key-id': 'LTAI\tbad', 'x-aliyun-access-key-secret': 'x' });
    assert.match(result.content[0]!.text, /^Error MalformedCallerCredentials/);
  });

  test('an STS key without its token → InvalidSecurityToken.Malformed', async () => {
    const result = await callListClusters({
      'x-aliyun-access-key-id': demoSts.accessKeyId,
      'x-aliyun-access-key-secret': demoSts.accessKeySecret,
    });
    assert.match(result.content[0]!.text, /^Error InvalidSecurityToken\.Malformed/);
  });

  test('an expired STS token → InvalidSecurityToken.Expired with a hint to refresh', async () => {
    const result = await callListClusters(callerHeaders(expiredSts));
    assert.match(result.content[0]!.text, /^Error InvalidSecurityToken\.Expired/);
    assert.match(result.content[0]!.text, /fresh STS credentials/);
  });

  test('a valid STS key and token work and the token reaches the wire', async () => {
    const result = await callListClusters(callerHeaders(demoSts));
    assert.equal(result.isError, undefined);
    assert.deepEqual(
      result.structuredContent!.clusters.map((c) => c.cluster_id),
      [accounts.sts.clusters[0]!.cluster_id],
    );
    const last = stack.emulator.callLog.records.at(-1)!;
    assert.equal(last.accessKeyId, demoSts.accessKeyId);
    assert.equal(last.status, 200);
  });

  test('no credentials at all → NoCredentials explaining which headers to send', async () => {
    const result = await callListClusters({});
    assert.match(result.content[0]!.text, /^Error NoCredentials: .*X-Aliyun-Access-Key-Id/);
  });
});

describe('tenants are isolated', () => {
  test("another account's cluster is not found, with a hint about which account the keys belong to", async () => {
    const otherCluster = stack.emulator.world.accounts[1]!.clusters[0]!.cluster_id;
    const response = await stack.post(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_nodepools', arguments: { cluster_id: otherCluster } } },
      callerHeaders(demo),
    );
    assert.equal(response.body.result.isError, true);
    assert.match(response.body.result.content[0].text, /^Error ErrorClusterNotFound/);
    assert.match(response.body.result.content[0].text, /which Alibaba Cloud account/);
  });

  test("60 concurrent calls with three tenants' keys: each sees only its own cluster, each upstream call signed by its own key, exact counts per key", async () => {
    const tenants = [
      { key: demo, account: accounts.demo },
      { key: demoSts, account: accounts.sts },
      { key: other, account: accounts.other },
    ];
    assert.equal(new Set(tenants.map((t) => t.account.accountId)).size, 3, 'three accounts');
    assert.equal(new Set(tenants.map((t) => t.account.clusters[0]!.cluster_id)).size, 3, 'three clusters');
    const clients: Client[] = await Promise.all(tenants.map((tenant) => stack.client(callerHeaders(tenant.key))));
    stack.emulator.callLog.clear();
    const calls = Array.from({ length: 60 }, (_, i) => i % tenants.length).map(async (index) => {
      const tenant = tenants[index]!;
      const clusterId = tenant.account.clusters[0]!.cluster_id;
      const result = (await clients[index]!.callTool({ name: 'list_nodepools', arguments: { cluster_id: clusterId } })) as unknown as {
        isError?: boolean;
        structuredContent: { cluster_id: string; region_id: string; nodepools: Array<{ nodepool_id: string }> };
      };
      assert.equal(result.isError, undefined);
      assert.equal(result.structuredContent.cluster_id, clusterId);
      assert.equal(result.structuredContent.region_id, tenant.account.clusters[0]!.region_id);
      const expectedPools = tenant.account.clusters[0]!.nodepools.map((pool) => pool.nodepool_id).sort();
      assert.deepEqual(result.structuredContent.nodepools.map((pool) => pool.nodepool_id).sort(), expectedPools);
    });
    await Promise.all(calls);
    const records = stack.emulator.callLog.records;
    assert.equal(records.length, 63, '60 node pool reads and one region lookup per key, nothing else');
    for (const tenant of tenants) {
      const signed = records.filter((record) => record.accessKeyId === tenant.key.accessKeyId);
      const counts: Record<string, number> = {};
      for (const record of signed) {
        counts[record.action] = (counts[record.action] ?? 0) + 1;
        assert.equal(record.status, 200, `${record.action} signed by ${record.accessKeyId} failed`);
        assert.equal(record.accountId, tenant.account.accountId, "authenticated as the key's own account");
        assert.equal(
          /\/clusters\/([^/]+)/.exec(record.path)?.[1],
          tenant.account.clusters[0]!.cluster_id,
          'each key only ever asked about its own cluster',
        );
      }
      // The region lookup is cached per identity: one DescribeClusterDetail per key, not per call.
      assert.deepEqual(counts, { DescribeClusterDetail: 1, DescribeClusterNodePools: 20 }, tenant.account.name);
    }
  });
});

describe('no secret leaks', () => {
  test('bearer tokens (read-write and read-only), FC role headers and an ops token are used and never logged or answered', async () => {
    const readOnly = 'readonly-token-0123456789abcdef';
    const ops = 'ops-token-0123456789abcdef0123';
    const fcSecret = 'FcRoleSecretAbcdefghijklmnop0099';
    const fcToken = 'CAIS-fc-role-security-token-0099-valid';
    const fcStack = await startStack({
      env: { MCP_AUTH_TOKENS: `viewer:${readOnly}:read-only,ops:${ops}`, CREDENTIAL_SOURCES: 'caller,function', TRUST_FC_HEADERS: 'true' },
    });
    try {
      const fcHeaders = {
        'x-fc-access-key-id': 'STS.NTFcRoleSession00099',
        'x-fc-access-key-secret': fcSecret,
        'x-fc-security-token': fcToken,
      };
      const listed = await fcStack.post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: `Bearer ${readOnly}` });
      assert.ok(listed.body.result.tools.length > 0);
      const called = await fcStack.post(
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_clusters', arguments: {} } },
        { authorization: `Bearer ${ops}`, ...fcHeaders },
      );
      // The FC role key is not known to the emulated cloud: the call fails, and still names no secret.
      assert.match(called.body.result.content[0].text, /^Error InvalidAccessKeyId\.NotFound/);
      const tokens = fcStack.logs.map((line) => JSON.parse(line) as { token?: string }).map((entry) => entry.token);
      assert.ok(tokens.includes('viewer') && tokens.includes('ops'), 'the log names the tokens, by name');
    } finally {
      await fcStack.close();
    }
  });

  test('nothing any stack of this process logged or answered contains a secret or token the tests used', async () => {
    const volume = capturedVolume();
    assert.ok(
      volume.responses > 60 && volume.logs > 10 && volume.secrets > 8,
      `the scan has material to look at: ${JSON.stringify(volume)}`,
    );
    assert.deepEqual(await findSecretLeaks(), []);
  });

  test('the scan finds a leaked secret in any form a line or answer may hold it, and a bare AccessKey id in a log line (it can fail)', () => {
    const secret = 'Quote"And\\Backslash-Secret-0001';
    const leaks = secretsIn(
      {
        logs: [JSON.stringify({ message: `signed with ${secret}` }), 'key LTAI5tDemoAccessKeyId001'],
        responses: [`{"text":"token ${TEST_TOKEN}"}`],
      },
      [secret, TEST_TOKEN, 'x'],
      ['LTAI5tDemoAccessKeyId001', 'LTAI5tOtherTenantKey0003'],
    );
    assert.deepEqual(leaks, [
      'secret Quot… (31 characters) in a log line',
      'secret test… (27 characters) in a response',
      'unmasked AccessKey id LTAI… (24 characters) in a log line',
    ]);
  });
});
