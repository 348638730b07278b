/**
 * Per-user identity beyond the ACK API: kubectl runs with the kubeconfig ACK issues to the user's role (so the
 * cluster's RBAC for that role applies) and its audit line names the user; with OAUTH_ASSUME_WITH=oidc the user's
 * session comes from AssumeRoleWithOIDC with their own token (no server credentials involved).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CRASHING_POD } from '../emulator/kube/seed.ts';
import { DEMO_ROLES } from '../emulator/sts/roles.ts';
import { startOAuthStack, type OAuthStack } from '../support/oauth-stack.ts';
import { call, text } from './ack-operations.helpers.ts';

describe('kubectl as the signed-in user', () => {
  let stack: OAuthStack;
  before(async () => {
    stack = await startOAuthStack();
  });
  after(() => stack.close());

  const kubectl = (client: Client, command: string) =>
    call(client, 'kubectl', { cluster_id: stack.emulator.world.accounts[0]!.clusters[0]!.cluster_id, command });

  test("bob's role may read but its RBAC refuses a delete, naming the role's Kubernetes user; alice's audit line names her", async () => {
    const bob = await stack.client({ authorization: `Bearer ${await stack.signIn('bob')}` });
    const refused = await kubectl(bob, `delete pod ${CRASHING_POD} -n default`);
    assert.equal(refused.isError, true);
    assert.match(text(refused), new RegExp(`User "${DEMO_ROLES.dev.roleId}" cannot delete resource "pods"`));
    const read = await kubectl(bob, 'get pods -n default');
    assert.equal(read.isError, undefined, text(read));

    const alice = await stack.client({ authorization: `Bearer ${await stack.signIn('alice')}` });
    const listed = await kubectl(alice, 'get pods -n default');
    assert.equal(listed.isError, undefined, text(listed));
    // The kubectl audit lines go to the server's logger, which the stack captures.
    const lines = stack.logs.map((line) => JSON.parse(line) as Record<string, any>).filter((line) => line.event === 'kubectl_api_requests');
    assert.ok(
      lines.some((line) => line.user?.sub === 'alice' && line.user?.name === 'Alice Ops'),
      'an audit line names alice',
    );
    assert.ok(
      lines.some((line) => line.user?.sub === 'bob' && (line.statuses?.['403'] ?? 0) >= 1),
      'an audit line names bob with his 403',
    );
  });
});

describe('OAUTH_ASSUME_WITH=oidc', () => {
  let stack: OAuthStack;
  before(async () => {
    stack = await startOAuthStack({ assumeWith: 'oidc' });
  });
  after(() => stack.close());

  test("alice's session comes from AssumeRoleWithOIDC with her token, unsigned, and signs her calls", async () => {
    const alice = await stack.client({ authorization: `Bearer ${await stack.signIn('alice')}` });
    stack.emulator.callLog.clear();
    const listed = await call(alice, 'list_clusters', {});
    assert.equal(listed.isError, undefined, text(listed));
    const [assume] = stack.emulator.callLog.of('AssumeRoleWithOIDC');
    assert.equal(assume?.status, 200);
    assert.equal(assume?.accessKeyId, '', 'sent without credentials');
    assert.equal(assume?.query.RoleArn, DEMO_ROLES.ops.arn);
    assert.equal(assume?.query.RoleSessionName, 'alice');
    assert.equal(stack.emulator.callLog.of('AssumeRole').length, 0);
    const [describe] = stack.emulator.callLog.records.filter((record) => record.product !== 'sts');
    const key = stack.emulator.world.accounts[0]!.accessKeys.find((candidate) => candidate.accessKeyId === describe?.accessKeyId);
    assert.equal(key?.assumedRole?.sessionName, 'alice');
  });

  test('a token RAM would not take (the provider does not list its audience) is answered clearly', async () => {
    const account = stack.emulator.world.accounts[0]!;
    const provider = account.oidcProviders![0]!;
    const saved = provider.clientIds;
    provider.clientIds = ['someone-else'];
    try {
      const bob = await stack.client({ authorization: `Bearer ${await stack.signIn('bob')}` });
      const listed = await call(bob, 'list_clusters', {});
      assert.equal(listed.isError, true);
      assert.match(text(listed), /AuthenticationFail\.OIDCToken\.AudienceNotMatch/);
      assert.match(text(listed), /does not list this server's OAUTH_RESOURCE as a client id/);
    } finally {
      provider.clientIds = saved;
    }
  });
});
