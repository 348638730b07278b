/**
 * query_audit_log end to end (MCP over HTTP → server → real SLS SDK → emulator): filters, prefixes, the deprecated
 * API marker, hostile filter values refused before anything is sent, and auditing that is off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';
import { call as callWith, text, upstream, type Result } from './observability.helpers.ts';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const [demoKey] = createDemoWorld().accounts[0]!.accessKeys;

describe('query_audit_log', () => {
  let stack: Stack;
  let client: Client;
  const call = (args: Record<string, unknown>): Promise<Result> => callWith(client, 'query_audit_log', args);

  before(async () => {
    stack = await startStack();
    client = await stack.client(callerHeaders(demoKey!));
  });
  after(async () => stack.close());

  it('answers who did what, newest first, from the project GetClusterAuditProject names', async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: STAGING, user: 'kubernetes-admin', verbs: ['delete', 'update'] });
    assert.equal(r.isError, undefined, text(r));
    const s = r.structuredContent;
    assert.equal(s.logstore, `audit-${STAGING}`);
    assert.equal(s.project_source, 'GetClusterAuditProject');
    assert.match(s.project, /^ack-audit-/);
    assert.deepEqual(
      s.entries.map((e: any) => [e.verb, e.resource, `${e.namespace}/${e.name}`, e.user]),
      [
        ['update', 'deployments', 'shop/payment-api', 'kubernetes-admin'],
        ['delete', 'pods', 'shop/payment-api-7d9f8b6c5-old01', 'kubernetes-admin'],
      ],
    );
    assert.equal(s.entries[0].api_group, 'apps');
    assert.equal(s.query, '* and user.username: "kubernetes-admin" and (verb: "delete" or verb: "update")');
    assert.match(text(r), /2 audit records from ack-audit-\S+\/audit-\S+ \(cn-beijing\)/);
    assert.deepEqual(upstream(stack), ['cs:DescribeClusterDetail', 'cs:GetClusterAuditProject', 'sls:GetLogsV2']);
    const sent = stack.emulator.callLog.of('GetLogsV2')[0]!.body as { query: string; from: number; to: number };
    assert.equal(sent.to - sent.from, 86_400, 'default window: the last 24 hours');
  });

  it("takes the official server's list forms and short resource names, and marks deprecated API calls", async () => {
    const r = await call({ cluster_id: PROD, resource_types: '["ep"]', verbs: 'get,watch', start_time: '2h' });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.entries.length, 2);
    for (const e of r.structuredContent.entries) {
      assert.deepEqual(
        [e.resource, e.user, e.deprecated, e.api_version],
        ['endpoints', 'system:serviceaccount:monitoring:legacy-exporter', true, 'v1'],
      );
    }
    assert.match(text(r), /DEPRECATED API/);
  });

  it('matches a prefix exactly, even across Log Service token delimiters', async () => {
    const service = await call({ cluster_id: PROD, user: 'system:serviceaccount:*' });
    assert.deepEqual(service.structuredContent.entries.map((e: any) => e.user).sort(), [
      'system:serviceaccount:monitoring:legacy-exporter',
      'system:serviceaccount:monitoring:legacy-exporter',
      'system:serviceaccount:shop:default',
    ]);
    assert.equal(service.structuredContent.query, '* and user.username: "system:serviceaccount"');
    const kube = await call({ cluster_id: PROD, namespace: 'kube*' });
    assert.deepEqual(service.isError, undefined);
    assert.deepEqual(
      kube.structuredContent.entries.map((e: any) => e.name),
      ['coredns'],
    );
    assert.equal(kube.structuredContent.query, '* and objectRef.namespace: kube*');
  });

  it('bounds the answer with a marker', async () => {
    const r = await call({ cluster_id: PROD, limit: 2 });
    assert.equal(r.structuredContent.entries.length, 2);
    assert.equal(r.structuredContent.truncated, true);
    assert.match(text(r), /\[truncated: more records match; showing 2 \(limit 2\)/);
  });

  it('refuses hostile filter values before anything is sent', async () => {
    stack.emulator.callLog.clear();
    const attempts: Array<[Record<string, unknown>, RegExp]> = [
      [{ user: 'admin" or verb: "delete' }, /user "admin\\?" or verb: \\?"delete" may hold only/],
      [{ user: 'x | SELECT * FROM log' }, /user .* may hold only/],
      [{ namespace: 'default) or (verb: delete' }, /namespace .* may hold only lowercase letters, digits and -/],
      [{ resource_name: 'web\\" or *' }, /resource_name .* may hold only/],
      [{ verbs: ['get" or "1"="1'] }, /is not an API-server audit verb/],
      [{ resource_types: ['pods) or (verb: delete'] }, /is not a Kubernetes resource name/],
      [{ start_time: '1700000000000' }, /millisecond timestamp/],
      [{ start_time: '2026-09-16T08:09:44' }, /has no time zone/],
      [{ start_time: '1h', end_time: '2h' }, /start_time \(\d+\) must be before end_time/],
    ];
    for (const [args, message] of attempts) {
      const r = await call({ cluster_id: PROD, ...args });
      assert.equal(r.isError, true, JSON.stringify(args));
      assert.match(text(r), message, JSON.stringify(args));
      assert.match(text(r), /Nothing was sent/);
    }
    const broken = await call({ cluster_id: PROD, verbs: '["get"' });
    assert.equal(broken.isError, true);
    assert.match(text(broken), /verbs/);
    assert.deepEqual(upstream(stack), []);
  });

  it('says how to enable auditing when the cluster has it off', async () => {
    const otherKey = createDemoWorld().accounts[1]!.accessKeys[0]!;
    const other = await stack.client(callerHeaders(otherKey));
    stack.emulator.callLog.clear();
    const r = await callWith(other, 'query_audit_log', { cluster_id: clusterIdFor('other-singapore'), user: 'kubernetes-admin' });
    assert.equal(r.isError, true);
    assert.match(
      text(r),
      /AuditLogNotEnabled: API-server auditing is not enabled for cluster c\w+ \(GetClusterAuditProject: audit_enabled is false\)/,
    );
    assert.match(text(r), /Enable cluster auditing for the cluster \(ACK console: the cluster → Security → Cluster Auditing/);
    assert.deepEqual(upstream(stack), ['cs:DescribeClusterDetail', 'cs:GetClusterAuditProject']);
  });
});
