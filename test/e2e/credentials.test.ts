/**
 * Per-request Alibaba Cloud credentials: the caller's headers reach the wire (the emulator
 * verifies each signature), bad ones fail clearly, tenants never see each other's, and no
 * secret ever appears in a response or a log line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import type { AccessKey } from '../emulator/world.ts';

let stack: Stack;
const responses: string[] = [];
let demo: AccessKey;
let demoSts: AccessKey;
let expiredSts: AccessKey;
let other: AccessKey;

before(async () => {
  stack = await startStack();
  const [demoAccount, otherAccount] = stack.emulator.world.accounts;
  demo = demoAccount!.accessKeys[0]!;
  demoSts = demoAccount!.accessKeys.find((key) => key.securityToken && key.expiresAt! > Date.now())!;
  expiredSts = demoAccount!.accessKeys.find((key) => key.securityToken && key.expiresAt! < Date.now())!;
  other = otherAccount!.accessKeys[0]!;
});
after(() => stack.close());

async function callListClusters(headers: Record<string, string>) {
  const response = await stack.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_clusters', arguments: {} } }, headers);
  responses.push(response.text);
  return response.body.result as { isError?: boolean; content: Array<{ text: string }>; structuredContent?: { clusters: Array<{ cluster_id: string }> } };
}

describe('credential errors are clear and name no secret', () => {
  test('an unknown AccessKey id → InvalidAccessKeyId.NotFound with a hint', async () => {
    const result = await callListClusters({ 'x-aliyun-access-key-id': 'LTAI5tNoSuchKeyAtAll0000', 'x-aliyun-access-key-secret': 'whatever-secret-value-0000' });
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
    const result = await callListClusters({ 'x-aliyun-access-key-id': demoSts.accessKeyId, 'x-aliyun-access-key-secret': demoSts.accessKeySecret });
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
    assert.equal(result.structuredContent!.clusters.length, 2);
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
  test('another account\'s cluster is not found, with a hint about which account the keys belong to', async () => {
    const otherCluster = stack.emulator.world.accounts[1]!.clusters[0]!.cluster_id;
    const response = await stack.post(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_nodepools', arguments: { cluster_id: otherCluster } } },
      callerHeaders(demo),
    );
    responses.push(response.text);
    assert.equal(response.body.result.isError, true);
    assert.match(response.body.result.content[0].text, /^Error ErrorClusterNotFound/);
    assert.match(response.body.result.content[0].text, /which Alibaba Cloud account/);
  });

  test('60 concurrent calls with three tenants\' keys: each sees only its own clusters, each upstream call signed by its own key', async () => {
    const tenants = [
      { key: demo, account: stack.emulator.world.accounts[0]! },
      { key: demoSts, account: stack.emulator.world.accounts[0]! },
      { key: other, account: stack.emulator.world.accounts[1]! },
    ];
    const clients: Client[] = await Promise.all(tenants.map((tenant) => stack.client(callerHeaders(tenant.key))));
    stack.emulator.callLog.clear();
    const calls = Array.from({ length: 60 }, (_, i) => i % tenants.length).map(async (index) => {
      const tenant = tenants[index]!;
      const clusterId = tenant.account.clusters[0]!.cluster_id;
      const result = (await clients[index]!.callTool({ name: "list_nodepools", arguments: { cluster_id: clusterId } })) as unknown as {
        isError?: boolean;
        structuredContent: { cluster_id: string; nodepools: Array<{ nodepool_id: string }> };
      };
      responses.push(JSON.stringify(result));
      assert.equal(result.isError, undefined);
      assert.equal(result.structuredContent.cluster_id, clusterId);
      const expectedPools = tenant.account.clusters[0]!.nodepools.map((pool) => pool.nodepool_id).sort();
      assert.deepEqual(result.structuredContent.nodepools.map((pool) => pool.nodepool_id).sort(), expectedPools);
    });
    await Promise.all(calls);
    const pools = stack.emulator.callLog.of('DescribeClusterNodePools');
    assert.equal(pools.length, 60);
    for (const record of stack.emulator.callLog.records) {
      assert.equal(record.status, 200, `${record.action} signed by ${record.accessKeyId} failed`);
      const tenant = tenants.find((candidate) => candidate.key.accessKeyId === record.accessKeyId);
      assert.ok(tenant, `upstream call signed by an unexpected key ${record.accessKeyId}`);
      const clusterInPath = /\/clusters\/([^/]+)/.exec(record.path)?.[1];
      assert.equal(clusterInPath, tenant.account.clusters[0]!.cluster_id, 'each key only ever asked about its own cluster');
    }
    // The region lookup is cached per identity: one DescribeClusterDetail per key, not per call.
    const lookups = stack.emulator.callLog.of('DescribeClusterDetail');
    assert.equal(lookups.length, tenants.length);
  });
});

describe('no secret leaks', () => {
  test('no response and no log line contains any secret or token the tests used', () => {
    const secrets = stack.emulator.world.accounts.flatMap((account) =>
      account.accessKeys.flatMap((key) => [key.accessKeySecret, ...(key.securityToken ? [key.securityToken] : [])]),
    );
    secrets.push('WrongSecretAbcdefghijklmnopq99', 'whatever-secret-value-0000');
    const haystacks = { responses: responses.join('\n'), logs: stack.logs.join('\n') };
    assert.ok(responses.length > 60 && stack.logs.length > 10, 'the scan has material to look at');
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `a secret appeared in ${where}`);
    }
    // AccessKey ids appear in logs only masked.
    for (const key of stack.emulator.world.accounts.flatMap((account) => account.accessKeys)) {
      assert.ok(!haystacks.logs.includes(key.accessKeyId), `unmasked AccessKey id ${key.accessKeyId.slice(0, 6)}… in logs`);
    }
  });
});
