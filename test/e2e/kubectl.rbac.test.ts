/**
 * What the agent sees when the cluster's Kubernetes RBAC refuses the identity the server acts as (README: Kubernetes
 * RBAC): kubectl's own "Error from server (Forbidden)" line with the API server's message, naming the user, verb,
 * resource and namespace, and a hint that says it is a missing grant, not a wrong command. Through MCP over real HTTP,
 * the real kubectl binary, the loopback proxy and the fake API server answering 403 as Kubernetes does.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { kubeUserOf } from '../emulator/cs/kubeconfig.ts';
import { findResourceType } from '../emulator/kube/resources.ts';
import { CRASHING_POD } from '../emulator/kube/seed.ts';
import type { ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';

interface KubectlResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
}

let stack: Stack;
let client: Client;
let cluster: ClusterRecord;
let user: string;

const kubectl = async (command: string) =>
  (await client.callTool({ name: 'kubectl', arguments: { cluster_id: cluster.cluster_id, command } })) as unknown as KubectlResult;
const text = (result: KubectlResult) => result.content[0]!.text;

before(async () => {
  stack = await startStack();
  const account = stack.emulator.world.accounts[0]!;
  cluster = account.clusters[0]!;
  client = await stack.client(callerHeaders(account.accessKeys[0]!));
  user = kubeUserOf({ account, key: account.accessKeys[0]! });
});
after(() => stack.close());
afterEach(() => stack.emulator.kube.rbac.clear());

describe("kubectl when the cluster's RBAC refuses", () => {
  test("a read-only grant (no delete): the delete is refused with the API server's message and a hint to grant a role", async () => {
    stack.emulator.kube.rbac.forbid(user, ['create', 'update', 'patch', 'delete', 'deletecollection']);
    const result = await kubectl(`delete pod ${CRASHING_POD} -n default`);
    assert.equal(result.isError, true);
    assert.equal(
      text(result),
      'Error KubectlFailed: kubectl exited with code 1:\n' +
        `Error from server (Forbidden): pods "${CRASHING_POD}" is forbidden: User "${user}" cannot delete resource "pods" in API group "" in the namespace "default"\n` +
        "Hint: The cluster's Kubernetes RBAC refused this for the identity this server acts as (the user named above); the refused request changed nothing. " +
        "Ask the cluster's administrator to grant that RAM user or role an ACK RBAC role that covers it (README: Kubernetes RBAC), " +
        'or stay within what it may do: `auth can-i <verb> <resource> -n <namespace>` checks one permission.',
    );
    const pods = findResourceType('', 'v1', 'pods')!;
    assert.ok(stack.emulator.kube.store.get(pods, 'default', CRASHING_POD), 'the pod is still there');
    const read = await kubectl('get pods -n default');
    assert.equal(read.isError, undefined, 'reads still work');
    const canI = await kubectl('auth can-i delete pods -n default');
    assert.equal(canI.isError, undefined, 'kubectl exits 1 for "no": an answer, not a failure');
    assert.equal(text(canI), 'no');
  });

  test('no grant at all: even a read is refused, naming the Kubernetes user ACK mapped the credentials to', async () => {
    stack.emulator.kube.rbac.forbid(user);
    const result = await kubectl('get deployments -n default');
    assert.equal(result.isError, true);
    assert.match(
      text(result),
      new RegExp(
        `Error from server \\(Forbidden\\): deployments\\.apps is forbidden: User "${user}" cannot list resource "deployments" in API group "apps" in the namespace "default"`,
      ),
    );
    assert.match(text(result), /Hint: The cluster's Kubernetes RBAC refused this/);
  });
});
