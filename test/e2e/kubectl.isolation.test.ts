/**
 * Two identities calling kubectl at the same time never share a kubeconfig, a proxy session or a discovery cache:
 * the fake API server sees each call with its own identity's client certificate, and each (identity, cluster) has
 * its own private cache directory. The proxy sessions are watched from inside the process to check their tokens
 * and credentials never surface.
 */
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { identityKeyOf } from '../../src/credentials/aliyun-credentials.ts';
import { cacheDirectory, discoveryCacheKey } from '../../src/kubectl/execute.ts';
import type { ProxyGrant } from '../../src/kubectl/proxy.ts';
import { kubeUserOf } from '../emulator/cs/kubeconfig.ts';
import type { AccessKey, AccountRecord, ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
const sessions: Array<{ token: string; grant: ProxyGrant | undefined }> = [];
const answers: string[] = [];

interface Caller {
  account: AccountRecord;
  key: AccessKey;
  cluster: ClusterRecord;
  client: Client;
}
let alice: Caller;
let bob: Caller;

before(async () => {
  stack = await startStack();
  // Record every session the server's proxy opens (tokens and upstream credentials, for the leak scan).
  const proxy = await stack.server.services!.kubectlProxy();
  const open = proxy.open.bind(proxy);
  proxy.open = async (grant) => {
    const session = await open(grant);
    // kubectl starts before its grant is known (the kubeconfig is fetched meanwhile): record the grant once it is.
    const seen: (typeof sessions)[number] = { token: session.token, grant: undefined };
    sessions.push(seen);
    Promise.resolve(grant).then(
      (granted) => {
        seen.grant = granted;
      },
      () => undefined,
    );
    return session;
  };
  const [demo, other] = stack.emulator.world.accounts as [AccountRecord, AccountRecord];
  const caller = async (account: AccountRecord, key: AccessKey): Promise<Caller> => ({
    account,
    key,
    cluster: account.clusters[0]!,
    client: await stack.client(callerHeaders(key)),
  });
  alice = await caller(demo, demo.accessKeys[1]!);
  bob = await caller(other, other.accessKeys[0]!);
});
after(() => stack.close());

async function kubectl(who: Caller, command: string, clusterId = who.cluster.cluster_id) {
  const result = (await who.client.callTool({ name: 'kubectl', arguments: { cluster_id: clusterId, command } })) as {
    isError?: boolean;
    content: Array<{ text: string }>;
  };
  answers.push(JSON.stringify(result));
  return result;
}

describe('kubectl: identities are isolated', () => {
  test('concurrent calls of two accounts each reach the API server as their own user, with their own kubeconfig', async () => {
    const calls = [];
    for (let i = 0; i < 4; i++) calls.push(kubectl(alice, 'get pods -n default'), kubectl(bob, 'get nodes'));
    const results = await Promise.all(calls);
    for (const result of results) assert.equal(result.isError, undefined, result.content[0]!.text);

    const aliceUser = kubeUserOf(alice);
    const bobUser = kubeUserOf(bob);
    assert.notEqual(aliceUser, bobUser);
    const requests = stack.emulator.kube.requests;
    const podLists = requests.filter((r) => r.path.startsWith('/api/v1/namespaces/default/pods'));
    const nodeLists = requests.filter((r) => r.path.startsWith('/api/v1/nodes'));
    assert.equal(podLists.length, 4);
    assert.equal(nodeLists.length, 4);
    assert.ok(
      podLists.every((r) => r.user === aliceUser),
      'a pods request went out with another identity',
    );
    assert.ok(
      nodeLists.every((r) => r.user === bobUser),
      'a nodes request went out with another identity',
    );
    assert.deepEqual(new Set(requests.map((r) => r.user)), new Set([aliceUser, bobUser]));

    // One kubeconfig per identity (in-flight loads shared), each signed with that identity's own key.
    const fetched = stack.emulator.callLog.of('DescribeClusterUserKubeconfig');
    assert.deepEqual(fetched.map((r) => r.accessKeyId).sort(), [alice.key.accessKeyId, bob.key.accessKeyId].sort());

    // Eight calls, eight sessions, eight different tokens; each session carried its caller's own credential.
    assert.equal(sessions.length, 8);
    assert.equal(new Set(sessions.map((s) => s.token)).size, 8);
    const credentialOf = (clusterId: string) =>
      new Set(sessions.filter((s) => s.grant?.audit.cluster === clusterId).map((s) => s.grant?.upstream.fingerprint));
    const aliceCredential = credentialOf(alice.cluster.cluster_id);
    const bobCredential = credentialOf(bob.cluster.cluster_id);
    assert.equal(aliceCredential.size, 1);
    assert.equal(bobCredential.size, 1);
    assert.notDeepEqual(aliceCredential, bobCredential);
    assert.equal((await stack.server.services!.kubectlProxy()).openSessions, 0, 'every session closed with its call');
  });

  test('each (identity, cluster) has its own private discovery cache directory', async () => {
    const dirOf = (who: Caller) =>
      cacheDirectory(discoveryCacheKey(identityKeyOf(who.key.accessKeyId, who.key.accessKeySecret), who.cluster.cluster_id));
    const [aliceDir, bobDir] = [await dirOf(alice), await dirOf(bob)];
    assert.notEqual(aliceDir, bobDir);
    for (const dir of [aliceDir, bobDir]) {
      assert.equal((await stat(dir)).mode & 0o777, 0o700);
      const hosts = await readdir(join(dir, 'discovery'));
      assert.equal(hosts.length, 1);
      assert.match(hosts[0]!, /^127\.0\.0\.1_\d+$/, 'kubectl only ever talked to the loopback proxy');
    }
  });

  test("another account's cluster id is not found, and nothing reaches any API server", async () => {
    const before = stack.emulator.kube.requests.length;
    const result = await kubectl(alice, 'get pods', bob.cluster.cluster_id);
    assert.equal(result.isError, true);
    assert.match(result.content[0]!.text, /ErrorClusterNotFound/);
    assert.equal(stack.emulator.kube.requests.length, before);
    assert.equal((await stack.server.services!.kubectlProxy()).openSessions, 0, 'the session of the refused call is closed');
  });

  test('no answer or log holds a proxy token or an upstream client key or certificate', () => {
    const everything = [...answers, ...stack.logs].join('\n');
    for (const { token, grant } of sessions) {
      assert.ok(!everything.includes(token), 'a proxy token leaked');
      for (const pem of grant ? [grant.upstream.clientKeyPem, grant.upstream.clientCertPem] : []) {
        const body = pem!.split('\n').filter((line) => line && !line.startsWith('-----'));
        assert.ok(body.length > 3 && !body.some((line) => everything.includes(line)), 'an upstream credential leaked');
      }
    }
  });
});
