/** sls_describe_logstore end to end: GetIndex and sample rows of the cluster's logstores, scoped like every SLS tool. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';
import { call as callWith, clientWithNewKey, text, upstream, type Result } from './observability.helpers.ts';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const [demoKey] = createDemoWorld().accounts[0]!.accessKeys;

describe('sls_describe_logstore', () => {
  let stack: Stack;
  let client: Client;
  const call = (args: Record<string, unknown>, c = client): Promise<Result> => callWith(c, 'sls_describe_logstore', args);

  before(async () => {
    stack = await startStack();
    client = await stack.client(callerHeaders(demoKey!));
  });
  after(async () => stack.close());

  it("lists the audit logstore's fields with their types, and sample rows", async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: STAGING, logstore: `audit-${STAGING}`, sample_rows: 2 });
    assert.equal(r.isError, undefined, text(r));
    const s = r.structuredContent;
    assert.match(s.project, /^ack-audit-/);
    const types = Object.fromEntries(s.fields.map((f: any) => [f.name, f.type]));
    assert.equal(types['responseStatus.code'], 'long');
    assert.equal(types['user.username'], 'text');
    assert.equal(types.verb, 'text');
    assert.ok(s.fields.every((f: any) => f.sql === true));
    assert.equal(s.full_text_index, true);
    assert.equal(s.samples.length, 2);
    assert.equal(s.samples[0].verb, 'create', 'newest first');
    assert.match(text(r), /audit-\S+ in ack-audit-\S+ \(cn-beijing\): \d+ indexed fields; full-text index on/);
    assert.match(text(r), /responseStatus\.code\s+long\s+yes/);
    assert.deepEqual(upstream(stack), ['cs:DescribeClusterDetail', 'cs:GetClusterAuditProject', 'sls:GetIndex', 'sls:GetLogsV2']);
  });

  it('reads only the index when no sample is wanted', async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: PROD, logstore: 'k8s-event', sample_rows: 0 });
    assert.equal(r.isError, undefined, text(r));
    assert.deepEqual(r.structuredContent.samples, []);
    assert.ok(r.structuredContent.fields.some((f: any) => f.name === 'reason'));
    assert.deepEqual(upstream(stack), ['cs:DescribeClusterDetail', 'sls:GetIndex']);
  });

  it('cuts long sample values with a marker', async () => {
    const r = await call({ cluster_id: PROD, logstore: 'config-operation-log', sample_rows: 10 });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.samples.length, 10);
    assert.equal(r.structuredContent.truncated, true);
    assert.match(text(r), /\[truncated: \d+ sample values cut at 300 characters\]/);
  });

  it("refuses another cluster's logstore before anything is sent", async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: PROD, logstore: `audit-${STAGING}` });
    assert.equal(r.isError, true);
    assert.match(text(r), /LogstoreOutOfScope/);
    assert.deepEqual(
      upstream(stack).filter((action) => action.startsWith('sls:')),
      [],
    );
  });

  it('names the RAM action a denied GetIndex needs', async () => {
    const { client: denied } = await clientWithNewKey(stack, ['log:GetIndex']);
    const r = await call({ cluster_id: PROD, logstore: 'k8s-event' }, denied);
    assert.equal(r.isError, true);
    assert.match(text(r), /RAM does not allow log:GetIndex on project k8s-log-\S+ for this identity/);
  });

  it('says when a logstore does not exist', async () => {
    const r = await call({ cluster_id: PROD, logstore: 'no-such-store' });
    assert.equal(r.isError, true);
    assert.match(text(r), /LogStoreNotExist: logstore no-such-store not found in project k8s-log-/);
  });
});
