/**
 * Log Service and CloudMonitor as the real services answer (docs/alibaba-cloud-fidelity.md):
 * quota throttling retried on reads, projects routed by Host even through an IP endpoint,
 * CloudMonitor periods, its (StartTime, EndTime] window and its HTTP 200 `Success: false` answers.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';
import { call as callWith, text, type Result } from './observability.helpers.ts';

const PROD = clusterIdFor('prod-hangzhou');
const demoKey = createDemoWorld().accounts[0]!.accessKeys[0]!;

describe('observability fidelity', () => {
  let stack: Stack;
  let client: Client;
  const call = (name: string, args: Record<string, unknown>): Promise<Result> => callWith(client, name, args);

  before(async () => {
    stack = await startStack();
    client = await stack.client(callerHeaders(demoKey));
  });
  after(async () => stack.close());
  beforeEach(() => {
    stack.emulator.faults.clear();
    stack.emulator.callLog.clear();
  });

  it("retries Log Service's 403 ReadQuotaExceed and 503 ServerBusy on a query, and its 403 MetaOperationQpsLimitExceeded on a listing", async () => {
    stack.emulator.faults.inject({ kind: 'throttle', product: 'sls', action: 'GetLogsV2' });
    stack.emulator.faults.inject({ kind: 'server-busy', product: 'sls', action: 'GetLogsV2' });
    const query = await call('sls_execute_sql_query', { cluster_id: PROD, query: '* | SELECT count(*) AS n' });
    assert.equal(query.isError, undefined, text(query));
    assert.deepEqual(
      stack.emulator.callLog.of('GetLogsV2').map((record) => [record.status, record.errorCode ?? '']),
      [
        [403, 'ReadQuotaExceed'],
        [503, 'ServerBusy'],
        [200, ''],
      ],
    );
    stack.emulator.faults.inject({ kind: 'throttle', product: 'sls', action: 'ListLogStores' });
    const listed = await call('list_log_stores', { cluster_id: PROD });
    assert.equal(listed.isError, undefined, text(listed));
    assert.ok(
      listed.structuredContent.projects.every((row: { found: boolean }) => row.found),
      text(listed),
    );
    assert.ok(stack.emulator.callLog.of('ListLogStores').some((record) => record.errorCode === 'MetaOperationQpsLimitExceeded'));
    // ListLogStores pages by offset/size, size at most 500 (ListLogStoresRequest): the server asks for one full page.
    assert.ok(stack.emulator.callLog.of('ListLogStores').every((record) => record.query.offset === '0' && record.query.size === '500'));
  });

  it('names the project in the Host header while connecting to the IP endpoint (Log Service routes by Host)', async () => {
    const query = await call('sls_execute_sql_query', { cluster_id: PROD, query: '*', limit: 1 });
    assert.equal(query.isError, undefined, text(query));
    const promql = await call('cms_execute_promql_query', { cluster_id: PROD, query: 'up' });
    assert.equal(promql.isError, undefined, text(promql));
    const hosts = stack.emulator.callLog.records
      .filter((record) => record.product === 'sls')
      .map((record) => `${record.action} ${record.host}`);
    const endpoint = stack.emulator.endpoint;
    assert.deepEqual(hosts, [
      `GetLogsV2 k8s-log-${PROD}.${endpoint}`,
      `PrometheusQuery workspace-default-cms-${createDemoWorld().accounts[0]!.accountId}-cn-hangzhou.${endpoint}`,
    ]);
  });

  it('offers only the periods CloudMonitor documents, and reads the window as (StartTime, EndTime]', async () => {
    const odd = await call('cms_get_node_metrics', { cluster_id: PROD, metric: 'cpu', period: 120 });
    assert.equal(odd.isError, true);
    assert.equal(stack.emulator.callLog.of('DescribeMetricList').length, 0, 'nothing was sent');
    // A window of exactly three periods on period boundaries: the point at StartTime is out, the one at EndTime in.
    const end = Math.floor(Date.now() / 1000 / 300) * 300 - 600;
    const r = await call('cms_get_node_metrics', {
      cluster_id: PROD,
      metric: 'cpu',
      period: 300,
      from_timestamp: end - 900,
      to_timestamp: end,
    });
    assert.equal(r.isError, undefined, text(r));
    const hot = r.structuredContent.nodes[0];
    assert.equal(hot.points, 3);
    assert.equal(hot.latest_at, new Date(end * 1000).toISOString());
  });

  it("retries CloudMonitor's HTTP 200 `Success: false` with a 5xx Code, and reports it when it persists", async () => {
    stack.emulator.faults.inject({ kind: 'success-false-200', product: 'cms', action: 'DescribeMetricList' });
    const once = await call('cms_get_node_metrics', { cluster_id: PROD, metric: 'cpu' });
    assert.equal(once.isError, undefined, text(once));
    assert.equal(stack.emulator.callLog.of('DescribeMetricList').length, 2);
    stack.emulator.faults.inject({ kind: 'success-false-200', product: 'cms', action: 'DescribeMetricList', times: 20 });
    const always = await call('cms_get_node_metrics', { cluster_id: PROD, metric: 'cpu' });
    assert.equal(always.isError, true);
    assert.match(text(always), /^Error CloudMonitor\.500: The request processing has failed due to some unknown error\.\n/);
    assert.match(text(always), /Hint: Alibaba Cloud had a temporary failure: retry shortly\./);
  });
});

describe('Prometheus discovery through ARMS', () => {
  const STAGING = clusterIdFor('staging-beijing');
  let stack: Stack;
  let client: Client;

  before(async () => {
    stack = await startStack();
    client = await stack.client(callerHeaders(demoKey));
  });
  after(async () => stack.close());

  it('asks ARMS GetPrometheusInstance when the naming rule finds no metricstore, and queries that instance with its token', async () => {
    stack.emulator.callLog.clear();
    const r = await callWith(client, 'cms_execute_promql_query', { cluster_id: STAGING, query: 'sum(up)' });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.metricstore, '');
    assert.match(r.structuredContent.project, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/prometheus\/[0-9a-f]+$/);
    assert.equal(r.structuredContent.source, `ARMS GetPrometheusInstance (aliyun-cs ${STAGING})`);
    assert.equal(r.structuredContent.result_type, 'vector');
    const calls = stack.emulator.callLog.records.map((record) => `${record.product}:${record.action}:${record.status}`);
    assert.deepEqual(calls.slice(-3), ['sls:PrometheusQuery:404', 'arms:GetPrometheusInstance:200', 'arms:PrometheusQuery:200']);
    const arms = stack.emulator.callLog.of('GetPrometheusInstance')[0]!;
    assert.deepEqual(arms.query, { ClusterId: STAGING, RegionId: 'cn-beijing' });
  });

  it('keeps its own error, naming what ARMS said, when ARMS has no instance either', async () => {
    stack.emulator.faults.inject({ kind: 'server-error', product: 'arms', action: 'GetPrometheusInstance', times: 20 });
    const r = await callWith(client, 'cms_execute_promql_query', { cluster_id: STAGING, query: 'up' });
    stack.emulator.faults.clear();
    assert.equal(r.isError, true);
    assert.match(
      text(r),
      /^Error MetricstoreNotFound: No managed Prometheus data for cluster .*; ARMS GetPrometheusInstance failed: InternalError: /,
    );
  });
});
