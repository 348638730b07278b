/**
 * Two servers in one process share no per-process state: each has its own kubectl proxy (with its own audit log),
 * run slots and caches, created in `server.ts`. A kubectl call on one is audited in its own log only, and fills its
 * own kubeconfig and cluster caches, not the other's; closing one stops its proxy only.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';

let first: Stack;
let second: Stack;
let firstClosed = false;

before(async () => {
  [first, second] = await Promise.all([startStack(), startStack()]);
});
after(() => Promise.all([firstClosed ? undefined : first.close(), second.close()]));

const auditLines = (stack: Stack) => stack.logs.filter((line) => JSON.parse(line).event === 'kubectl_api_requests');

test("a kubectl call on one server uses that server's proxy, audit log and caches only", async () => {
  const account = first.emulator.world.accounts[0]!;
  const client = await first.client(callerHeaders(account.accessKeys[0]!));
  const result = (await client.callTool({
    name: 'kubectl',
    arguments: { cluster_id: account.clusters[0]!.cluster_id, command: 'get pods -n default' },
  })) as {
    isError?: boolean;
    content: Array<{ text: string }>;
  };
  assert.equal(result.isError, undefined, result.content[0]!.text);

  const [one, two] = [first.server.services!, second.server.services!];
  assert.notEqual(one, two);
  assert.equal(auditLines(first).length, 1, 'the call is audited by the server that ran it');
  assert.equal(auditLines(second).length, 0, 'and not by the other');
  assert.equal(one.caches.kubeconfigs.size, 1);
  assert.equal(two.caches.kubeconfigs.size, 0);
  assert.equal(one.caches.clusterSummaries.size, 1);
  assert.equal(two.caches.clusterSummaries.size, 0);
  assert.notEqual(await one.kubectlProxy(), await two.kubectlProxy());
  assert.equal((await one.kubectlProxy()).openSessions, 0, 'the session closed with its call');
});

test("closing a server stops its kubectl proxy; the other server's keeps serving", async () => {
  const account = second.emulator.world.accounts[0]!;
  const client = await second.client(callerHeaders(account.accessKeys[0]!));
  const call = () => client.callTool({ name: 'kubectl', arguments: { cluster_id: account.clusters[0]!.cluster_id, command: 'get ns' } });
  const before = (await call()) as { isError?: boolean; content: Array<{ text: string }> };
  assert.equal(before.isError, undefined, before.content[0]!.text);
  const proxy = await first.server.services!.kubectlProxy();
  firstClosed = true;
  await first.close();
  assert.equal(proxy.pooledUpstreams, 0, 'the closed server dropped its pooled upstream connections');
  const after = (await call()) as { isError?: boolean; content: Array<{ text: string }> };
  assert.equal(after.isError, undefined, after.content[0]!.text);
});
