/**
 * Observability tools end to end: MCP over real HTTP → server → real SDKs / fetch → emulator
 * (LOG and ACS3 signatures verified, Basic auth checked, every call logged).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { CRASHING_POD } from '../emulator/sls/dataset.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const OTHER = clusterIdFor('other-singapore');
const world = createDemoWorld();
const demo = world.accounts[0]!;
const [demoKey, , stsKey] = demo.accessKeys;

interface Result {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: any;
}

describe('observability tools', () => {
  let stack: Stack;
  let client: Client;
  const call = async (name: string, args: Record<string, unknown>, c = client) => (await c.callTool({ name, arguments: args })) as unknown as Result;
  const text = (r: Result) => r.content.map((part) => part.text).join('\n');
  const upstream = () => stack.emulator.callLog.records.map((r) => `${r.product}:${r.action}`);

  before(async () => {
    stack = await startStack();
    client = await stack.client(callerHeaders(demoKey!));
  });
  after(async () => stack.close());
  beforeEach(() => stack.emulator.faults.clear());

  it('lists the read-only observability tools', async () => {
    const { tools } = await client.listTools();
    for (const name of ['sls_execute_sql_query', 'sls_translate_text_to_sql_query', 'sls_diagnose_query', 'cms_execute_promql_query', 'cms_translate_text_to_promql', 'list_log_stores', 'cms_get_node_metrics']) {
      const tool = tools.find((t) => t.name === name);
      assert.ok(tool, name);
      assert.equal(tool.annotations?.readOnlyHint, true, name);
    }
  });

  it('runs SQL on the events of the crash-looping pod; the second call reuses discovery', async () => {
    stack.emulator.callLog.clear();
    const query = `reason: BackOff and name: "${CRASHING_POD}" | SELECT name, count(*) AS backoffs GROUP BY name`;
    const cold = await call('sls_execute_sql_query', { cluster_id: PROD, query });
    assert.equal(cold.isError, undefined, text(cold));
    assert.deepEqual(cold.structuredContent.rows, [{ name: CRASHING_POD, backoffs: '12' }]);
    assert.equal(cold.structuredContent.project, `k8s-log-${PROD}`);
    assert.equal(cold.structuredContent.complete, true);
    assert.match(text(cold), /complete; processed rows 12/);
    const coldCalls = upstream();
    stack.emulator.callLog.clear();
    const warm = await call('sls_execute_sql_query', { cluster_id: PROD, query: 'level: Warning and reason: BackOff', limit: 3 });
    assert.equal(warm.structuredContent.rows.length, 3);
    assert.match(warm.structuredContent.rows[0].message, /Back-off restarting failed container payment-api/);
    console.log(`upstream sls_execute_sql_query cold: ${coldCalls.join(', ')}; warm: ${upstream().join(', ')}`);
    assert.deepEqual(coldCalls, ['cs:DescribeClusterDetail', 'cs:CheckControlPlaneLogEnable', 'sls:GetLogsV2']);
    assert.deepEqual(upstream(), ['sls:GetLogsV2']);
    const signed = stack.emulator.callLog.records[0]!;
    assert.equal(signed.accessKeyId, demoKey!.accessKeyId);
    assert.equal(signed.status, 200);
  });

  it('queries the audit logstore in the audit project with dotted keys', async () => {
    const r = await call('sls_execute_sql_query', {
      cluster_id: PROD,
      logstore: `audit-${PROD}`,
      query: `verb: delete | SELECT "objectRef.name" AS pod, "user.username" AS who`,
    });
    assert.equal(r.isError, undefined, text(r));
    assert.deepEqual(r.structuredContent.rows, [{ pod: 'payment-api-7d9f8b6c5-old01', who: 'kubernetes-admin' }]);
  });

  it('bounds rows and long values with a truncation marker', async () => {
    const r = await call('sls_execute_sql_query', { cluster_id: PROD, logstore: 'config-operation-log', query: `_pod_name_: ${CRASHING_POD} | SELECT content LIMIT 50`, limit: 5 });
    assert.equal(r.structuredContent.rows.length, 5);
    assert.equal(r.structuredContent.returned_rows, 24);
    assert.equal(r.structuredContent.truncated, true);
    assert.match(text(r), /\[truncated: 19 more rows not shown \(limit 5\)/);
    assert.match(text(r), /values cut at 1000 characters/);
    assert.ok(r.structuredContent.rows.some((row: any) => /…\[\+\d+ chars\]$/.test(row.content)));
  });

  it('reports bad SQL verbatim from Log Service', async () => {
    const r = await call('sls_execute_sql_query', { cluster_id: PROD, query: '* | SELECT no_such_column, count(*) GROUP BY no_such_column' });
    assert.equal(r.isError, true);
    assert.match(text(r), /Error ParameterInvalid: no such column: no_such_column/);
  });

  it('says what was tried for a wrong project and a missing logstore', async () => {
    const project = await call('sls_execute_sql_query', { cluster_id: PROD, project: 'k8s-log-nonexistent', query: '*' });
    assert.equal(project.isError, true);
    assert.match(text(project), /ProjectNotExist: Log Service project k8s-log-nonexistent not found in cn-hangzhou \(project from argument\): is log collection enabled/);
    const logstore = await call('sls_execute_sql_query', { cluster_id: PROD, logstore: 'nginx-ingress', query: '*' });
    assert.equal(logstore.isError, true);
    assert.match(text(logstore), new RegExp(`LogStoreNotExist: logstore nginx-ingress not found in project k8s-log-${PROD} \\(cn-hangzhou; project from CheckControlPlaneLogEnable\\)`));
    assert.match(text(logstore), /list_log_stores/);
  });

  it('refuses a time range in the wrong order or too long, sending nothing', async () => {
    stack.emulator.callLog.clear();
    const reversed = await call('sls_execute_sql_query', { cluster_id: PROD, query: '*', from_timestamp: 1_800_000_000, to_timestamp: 1_700_000_000 });
    assert.equal(reversed.isError, true);
    assert.match(text(reversed), /InvalidTimeRange: from_timestamp \(1800000000\) must be before to_timestamp \(1700000000\)/);
    const long = await call('sls_execute_sql_query', { cluster_id: PROD, query: '*', from_timestamp: 1_700_000_000, to_timestamp: 1_700_000_000 + 90 * 86_400 });
    assert.match(text(long), /longer than the 30 day\(s\) this tool allows/);
    const promql = await call('cms_execute_promql_query', { cluster_id: PROD, query: 'up', start: 1_700_000_000, end: 1_700_000_000 + 8 * 86_400 });
    assert.match(text(promql), /longer than the 7 day\(s\)/);
    const limit = await call('sls_execute_sql_query', { cluster_id: PROD, query: '*', limit: 500 });
    assert.match(text(limit), /InvalidArguments: .*limit/);
    assert.deepEqual(upstream(), []);
  });

  it('runs PromQL with quotes and regex matchers, intact, with STS credentials in Basic auth', async () => {
    const sts = await stack.client(callerHeaders(stsKey!));
    stack.emulator.callLog.clear();
    const query = `sum by (pod) (kube_pod_container_status_restarts_total{namespace="shop", pod=~"payment-api-.*", container!="istio-proxy"})`;
    const r = await call('cms_execute_promql_query', { cluster_id: PROD, query }, sts);
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.result_type, 'vector');
    assert.deepEqual(r.structuredContent.result.map((s: any) => s.metric), [{ pod: CRASHING_POD }]);
    assert.match(text(r), new RegExp(`\\{pod="${CRASHING_POD}"\\}  \\d+`));
    const prom = stack.emulator.callLog.records.find((rec) => rec.action === 'PrometheusQuery')!;
    assert.equal(prom.query.query, query, 'the PromQL reached Prometheus unchanged');
    assert.equal(prom.accessKeyId, stsKey!.accessKeyId);
    assert.equal(prom.status, 200, 'the emulator accepted secret$token');
    assert.equal(prom.path, `/prometheus/workspace-default-cms-${demo.accountId}-cn-hangzhou/aliyun-prom-${PROD}/api/v1/query`);
    assert.ok(upstream().includes('sts:GetCallerIdentity'));
  });

  it('answers range queries with min/max/avg and bounds series with a marker', async () => {
    const end = Math.floor(Date.now() / 1000);
    const range = await call('cms_execute_promql_query', { cluster_id: PROD, query: '1 - avg by (node) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', start: end - 1800, end, step: 60 });
    assert.equal(range.isError, undefined, text(range));
    assert.equal(range.structuredContent.result_type, 'matrix');
    assert.equal(range.structuredContent.result.length, 4);
    assert.match(text(range), /latest 0\.92 {2}min 0\.92 {2}max 0\.92 {2}avg 0\.92/);
    const many = await call('cms_execute_promql_query', { cluster_id: PROD, query: 'node_cpu_seconds_total', limit: 10 });
    assert.equal(many.structuredContent.series_total, 24);
    assert.equal(many.structuredContent.result.length, 10);
    assert.match(text(many), /\[truncated: 14 more series not shown \(limit 10\)/);
  });

  it('reports bad PromQL verbatim from Prometheus', async () => {
    const r = await call('cms_execute_promql_query', { cluster_id: PROD, query: 'sum(rate(apiserver_request_total[5m])' });
    assert.equal(r.isError, true);
    assert.match(text(r), /Error Prometheus\.bad_data: invalid parameter "query": 1:\d+: parse error: unexpected end of input, expected "\)"/);
  });

  it('explains a missing metricstore and suggests cms_get_node_metrics', async () => {
    const r = await call('cms_execute_promql_query', { cluster_id: STAGING, query: 'up' });
    assert.equal(r.isError, true);
    assert.match(text(r), new RegExp(`MetricstoreNotFound: .*metricstore aliyun-prom-${STAGING} in project workspace-default-cms-${demo.accountId}-cn-beijing not found`));
    assert.match(text(r), /cms_get_node_metrics/);
  });

  it('lists the projects, logstores and metricstore of a cluster', async () => {
    const r = await call('list_log_stores', { cluster_id: PROD });
    assert.equal(r.isError, undefined, text(r));
    const [log] = r.structuredContent.projects;
    assert.equal(log.project, `k8s-log-${PROD}`);
    assert.ok(log.logstores.includes('k8s-event') && log.logstores.includes(`audit-${PROD}`));
    assert.deepEqual(r.structuredContent.prometheus, { project: `workspace-default-cms-${demo.accountId}-cn-hangzhou`, metricstore: `aliyun-prom-${PROD}`, available: true, note: null });
    const staging = await call('list_log_stores', { cluster_id: STAGING });
    assert.equal(staging.structuredContent.prometheus.available, false);
    assert.match(text(staging), /PromQL: not available: .*cms_get_node_metrics/);
  });

  it("never shows another account's cluster", async () => {
    const r = await call('list_log_stores', { cluster_id: OTHER });
    assert.equal(r.isError, true);
    assert.match(text(r), /ErrorClusterNotFound/);
    const sql = await call('sls_execute_sql_query', { cluster_id: PROD, project: `k8s-log-${OTHER}`, query: '*' });
    assert.match(text(sql), /ProjectNotExist/);
  });

  it('reads CloudMonitor metrics of the nodes, per node pool', async () => {
    stack.emulator.callLog.clear();
    const r = await call('cms_get_node_metrics', { cluster_id: PROD, metric: 'cpu', period: 300 });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.metric_name, 'CPUUtilization');
    assert.equal(r.structuredContent.nodes.length, 4);
    const hot = r.structuredContent.nodes[0];
    assert.ok(hot.latest >= 91 && hot.points >= 11, JSON.stringify(hot));
    assert.match(text(r), /CPUUtilization \(acs_ecs_dashboard, period 300s, %\)/);
    const pool = demo.clusters[0]!.nodepools[1]!.nodepool_id;
    const one = await call('cms_get_node_metrics', { cluster_id: PROD, nodepool_id: pool, metric: 'memory' });
    assert.equal(one.structuredContent.nodes.length, 1);
    assert.equal(one.structuredContent.nodes[0].nodepool_id, pool);
    assert.ok(upstream().includes('cms:DescribeMetricList'));
  });

  it('translates text to SQL and PromQL, and diagnoses a query', async () => {
    const sql = await call('sls_translate_text_to_sql_query', { cluster_id: PROD, text: 'warning events by reason' });
    assert.equal(sql.isError, undefined, text(sql));
    assert.equal(sql.structuredContent.query, 'level: Warning | SELECT reason, count(*) AS events GROUP BY reason ORDER BY events DESC LIMIT 10');
    const run = await call('sls_execute_sql_query', { cluster_id: PROD, query: sql.structuredContent.query });
    assert.deepEqual(run.structuredContent.rows[0], { reason: 'BackOff', events: '12' });
    const promql = await call('cms_translate_text_to_promql', { cluster_id: PROD, text: 'CPU usage per node' });
    assert.equal(promql.structuredContent.query, '1 - avg by (node) (rate(node_cpu_seconds_total{mode="idle"}[5m]))');
    const diagnosis = await call('sls_diagnose_query', { cluster_id: PROD, query: '* | SELECT foo', error_message: 'no such column: foo' });
    assert.match(text(diagnosis), /does not exist in logstore k8s-event/);
    const ai = stack.emulator.callLog.records.filter((rec) => rec.action === 'CallAiTools');
    assert.ok(ai.length >= 3 && ai.every((rec) => rec.status === 200 && rec.accessKeyId === demoKey!.accessKeyId));
  });

  it('explains unavailable translation while queries still run', async () => {
    stack.emulator.faults.inject({ kind: 'service-unavailable', product: 'sls', action: 'CallAiTools', times: 20 });
    const r = await call('sls_translate_text_to_sql_query', { cluster_id: PROD, text: 'warning events by reason' });
    assert.equal(r.isError, true);
    assert.match(text(r), /TranslationUnavailable: SLS CallAiTools text_to_sql \(.*\) is unavailable: ServiceUnavailable/);
    assert.match(text(r), /write the query yourself/);
    const p = await call('cms_translate_text_to_promql', { cluster_id: PROD, text: 'CPU' });
    assert.match(text(p), /TranslationUnavailable/);
    const sql = await call('sls_execute_sql_query', { cluster_id: PROD, query: 'level: Warning | SELECT count(*) AS n' });
    assert.equal(sql.isError, undefined, text(sql));
    assert.deepEqual(sql.structuredContent.rows, [{ n: '14' }]);
    const promql = await call('cms_execute_promql_query', { cluster_id: PROD, query: 'count(up)' });
    assert.equal(promql.isError, undefined, text(promql));
  });

  it('rejects an expired STS token at Log Service and at the Prometheus API', async () => {
    const expired = await stack.client(callerHeaders(demo.accessKeys[3]!));
    const r = await call('sls_execute_sql_query', { cluster_id: PROD, region: 'cn-hangzhou', project: `k8s-log-${PROD}`, query: '*' }, expired);
    assert.equal(r.isError, true);
    assert.match(text(r), /SecurityTokenExpired/);
    const p = await call('cms_execute_promql_query', { cluster_id: PROD, region: 'cn-hangzhou', project: `workspace-default-cms-${demo.accountId}-cn-hangzhou`, query: 'up' }, expired);
    assert.equal(p.isError, true);
  });
});
