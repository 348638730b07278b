/**
 * query_controlplane_logs end to end: the component's logstore in the project CheckControlPlaneLogEnable names,
 * a search filter, and clear answers when a component's logs (or all of them) are not collected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';
import { call as callWith, clientWithNewKey, text, upstream, type Result } from './observability.helpers.ts';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const world = createDemoWorld();
const [demoKey] = world.accounts[0]!.accessKeys;
const otherKey = world.accounts[1]!.accessKeys[0]!;

describe('query_controlplane_logs', () => {
  let stack: Stack;
  let client: Client;
  const call = (args: Record<string, unknown>, c = client): Promise<Result> => callWith(c, 'query_controlplane_logs', args);

  before(async () => {
    stack = await startStack();
    client = await stack.client(callerHeaders(demoKey!));
  });
  after(async () => stack.close());

  it("answers one component's lines from the project ACK names, newest first", async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: STAGING, component_name: 'scheduler' });
    assert.equal(r.isError, undefined, text(r));
    const s = r.structuredContent;
    assert.equal(s.logstore, `scheduler-${STAGING}`);
    assert.match(s.project, /^ack-controlplane-/);
    assert.equal(s.project_source, 'CheckControlPlaneLogEnable');
    assert.deepEqual(s.enabled_components, ['apiserver', 'kcm', 'scheduler']);
    assert.equal(s.rows.length, 2);
    assert.match(s.rows[0].content, /Unable to schedule pod; no fit/);
    assert.match(s.rows[0].time, /^\d{4}-\d\d-\d\dT/);
    assert.match(text(r), /2 scheduler log lines from ack-controlplane-\S+\/scheduler-\S+ \(cn-beijing\)/);
    assert.deepEqual(upstream(stack), ['cs:DescribeClusterDetail', 'cs:CheckControlPlaneLogEnable', 'sls:GetLogsV2']);
  });

  it('filters with a search and a time window', async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: PROD, component_name: 'apiserver', filter_pattern: 'level: E', start_time: '1h' });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.rows.length, 1);
    assert.match(r.structuredContent.rows[0].content, /context canceled/);
    const sent = stack.emulator.callLog.of('GetLogsV2')[0]!.body as { query: string; from: number; to: number };
    assert.equal(sent.query, 'level: E');
    assert.equal(sent.to - sent.from, 3600);
  });

  it('says which components are collected when another is asked for', async () => {
    const r = await call({ cluster_id: PROD, component_name: 'ccm' });
    assert.equal(r.isError, true);
    assert.match(text(r), /ComponentLogNotEnabled: ccm logs are not collected for cluster c\w+; collected: apiserver, kcm, scheduler\./);
    assert.match(text(r), /UpdateControlPlaneLog/);
  });

  it('says how to enable control-plane logs when none are collected', async () => {
    const other = await stack.client(callerHeaders(otherKey));
    const r = await call({ cluster_id: clusterIdFor('other-singapore'), component_name: 'apiserver' }, other);
    assert.equal(r.isError, true);
    assert.match(text(r), /ControlPlaneLogNotEnabled: Control-plane logs are not enabled for cluster c\w+/);
    assert.match(text(r), /Log Center → Control Plane Component Logs/);
  });

  it('falls back to k8s-log-{cluster_id} when CheckControlPlaneLogEnable is denied, and says so', async () => {
    const { client: denied } = await clientWithNewKey(stack, ['cs:CheckControlPlaneLogEnable']);
    const r = await call({ cluster_id: PROD, component_name: 'kcm' }, denied);
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.project, `k8s-log-${PROD}`);
    assert.equal(r.structuredContent.enabled_components, null);
    assert.match(text(r), /is a default: default k8s-log-\{cluster_id\} \(CheckControlPlaneLogEnable failed: StatusForbidden\)/);
  });

  it('refuses SQL in the filter and bad component names before anything is sent', async () => {
    stack.emulator.callLog.clear();
    const sql = await call({ cluster_id: PROD, component_name: 'apiserver', filter_pattern: '* | SELECT count(*)' });
    assert.equal(sql.isError, true);
    assert.match(text(sql), /filter_pattern is a search, not `search \| SQL`/);
    const bad = await call({ cluster_id: PROD, component_name: '../audit' });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /control-plane component name/);
    assert.deepEqual(upstream(stack), []);
  });
});
