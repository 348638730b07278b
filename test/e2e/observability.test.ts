/**
 * Observability tools end to end: MCP over real HTTP → server → real SDKs / fetch → emulator
 * (LOG and ACS3 signatures verified, Basic auth checked, RAM enforced, every call logged).
 * Discovery routing: observability.discovery.test.ts; bounds and markers: observability.bounds.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { CRASHING_POD } from '../emulator/sls/dataset.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';
import { call as callWith, clientWithNewKey, text, upstream as upstreamOf, type Result } from './observability.helpers.ts';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const OTHER = clusterIdFor('other-singapore');
const world = createDemoWorld();
const demo = world.accounts[0]!;
const [demoKey, , stsKey] = demo.accessKeys;

describe('observability tools', () => {
  let stack: Stack;
  let client: Client;
  const call = async (name: string, args: Record<string, unknown>, c = client): Promise<Result> => callWith(c, name, args);
  const upstream = () => upstreamOf(stack);

  before(async () => {
    // The operator allows a project that does not exist: what an unknown project answers.
    stack = await startStack({ env: { SLS_ALLOWED_PROJECTS: 'k8s-log-nonexistent' } });
    client = await stack.client(callerHeaders(demoKey!));
  });
  after(async () => stack.close());
  beforeEach(() => stack.emulator.faults.clear());

  it('lists the read-only observability tools', async () => {
    const { tools } = await client.listTools();
    for (const name of [
      'sls_execute_sql_query',
      'sls_translate_text_to_sql_query',
      'sls_diagnose_query',
      'cms_execute_promql_query',
      'cms_translate_text_to_promql',
      'list_log_stores',
      'cms_get_node_metrics',
    ]) {
      const tool = tools.find((t) => t.name === name);
      assert.ok(tool, name);
      assert.equal(tool.annotations?.readOnlyHint, true, name);
    }
  });

  it('runs SQL on the events of the crash-looping pod, lz4-compressed on the wire; the second call reuses discovery', async () => {
    stack.emulator.callLog.clear();
    const query = `reason: BackOff and name: "${CRASHING_POD}" | SELECT name, count(*) AS backoffs GROUP BY name`;
    const cold = await call('sls_execute_sql_query', { cluster_id: PROD, query });
    assert.equal(cold.isError, undefined, text(cold));
    assert.deepEqual(cold.structuredContent.rows, [{ name: CRASHING_POD, backoffs: '12' }]);
    assert.equal(cold.structuredContent.project, `k8s-log-${PROD}`);
    assert.equal(cold.structuredContent.project_source, 'naming rule k8s-log-{cluster_id}');
    assert.equal(cold.structuredContent.complete, true);
    assert.match(text(cold), /complete; processed rows 12/);
    // Events live in k8s-log-{cluster_id}: no ACK lookup is needed for them.
    assert.deepEqual(upstream(), ['cs:DescribeClusterDetail', 'sls:GetLogsV2']);
    const logs = stack.emulator.callLog.of('GetLogsV2')[0]!;
    assert.equal(logs.accessKeyId, demoKey!.accessKeyId);
    assert.equal(logs.status, 200);
    assert.equal(logs.encoding, 'lz4', 'the gateway asked for lz4 and decoded it (lz4-napi)');
    stack.emulator.callLog.clear();
    const warm = await call('sls_execute_sql_query', { cluster_id: PROD, query: 'level: Warning and reason: BackOff', limit: 3 });
    assert.equal(warm.structuredContent.rows.length, 3);
    assert.match(warm.structuredContent.rows[0].message, /Back-off restarting failed container payment-api/);
    assert.deepEqual(upstream(), ['sls:GetLogsV2']);
  });

  it('queries the audit logstore in the audit project with dotted keys', async () => {
    stack.emulator.callLog.clear();
    const r = await call('sls_execute_sql_query', {
      cluster_id: PROD,
      logstore: `audit-${PROD}`,
      query: `verb: delete | SELECT "objectRef.name" AS pod, "user.username" AS who`,
    });
    assert.equal(r.isError, undefined, text(r));
    assert.deepEqual(r.structuredContent.rows, [{ pod: 'payment-api-7d9f8b6c5-old01', who: 'kubernetes-admin' }]);
    assert.equal(r.structuredContent.project_source, 'GetClusterAuditProject');
    assert.deepEqual(upstream(), ['cs:GetClusterAuditProject', 'sls:GetLogsV2']);
  });

  it('bounds rows and long values with a truncation marker', async () => {
    const r = await call('sls_execute_sql_query', {
      cluster_id: PROD,
      logstore: 'config-operation-log',
      query: `_pod_name_: ${CRASHING_POD} | SELECT content LIMIT 50`,
      limit: 5,
    });
    assert.equal(r.structuredContent.rows.length, 5);
    assert.equal(r.structuredContent.returned_rows, 24);
    assert.equal(r.structuredContent.truncated, true);
    assert.match(text(r), /\[truncated: 19 more rows not shown \(limit 5\)/);
    assert.match(text(r), /values cut at 1000 characters/);
    assert.ok(r.structuredContent.rows.some((row: any) => /…\[\+\d+ chars\]$/.test(row.content)));
  });

  it('reports bad SQL verbatim from Log Service', async () => {
    const r = await call('sls_execute_sql_query', {
      cluster_id: PROD,
      query: '* | SELECT no_such_column, count(*) GROUP BY no_such_column',
    });
    assert.equal(r.isError, true);
    assert.match(text(r), /Error ParameterInvalid: no such column: no_such_column/);
  });

  it('says what was tried for a wrong project and a missing logstore', async () => {
    const project = await call('sls_execute_sql_query', { cluster_id: PROD, project: 'k8s-log-nonexistent', query: '*' });
    assert.equal(project.isError, true);
    assert.match(
      text(project),
      /ProjectNotExist: Log Service project k8s-log-nonexistent not found in cn-hangzhou \(project from argument\): is log collection enabled/,
    );
    const logstore = await call('sls_execute_sql_query', { cluster_id: PROD, logstore: 'nginx-ingress', query: '*' });
    assert.equal(logstore.isError, true);
    assert.match(
      text(logstore),
      new RegExp(
        `LogStoreNotExist: logstore nginx-ingress not found in project k8s-log-${PROD} \\(cn-hangzhou; project from naming rule k8s-log-\\{cluster_id\\}\\)`,
      ),
    );
    assert.match(text(logstore), /list_log_stores/);
  });

  it('refuses a time range in the wrong order or too long, and millisecond timestamps, sending nothing', async () => {
    stack.emulator.callLog.clear();
    const reversed = await call('sls_execute_sql_query', {
      cluster_id: PROD,
      query: '*',
      from_timestamp: 1_800_000_000,
      to_timestamp: 1_700_000_000,
    });
    assert.equal(reversed.isError, true);
    assert.match(text(reversed), /InvalidTimeRange: from_timestamp \(1800000000\) must be before to_timestamp \(1700000000\)/);
    const long = await call('sls_execute_sql_query', {
      cluster_id: PROD,
      query: '*',
      from_timestamp: 1_700_000_000,
      to_timestamp: 1_700_000_000 + 90 * 86_400,
    });
    assert.match(text(long), /longer than the 30 day\(s\) this tool allows/);
    const promql = await call('cms_execute_promql_query', {
      cluster_id: PROD,
      query: 'up',
      start: 1_700_000_000,
      end: 1_700_000_000 + 8 * 86_400,
    });
    assert.match(text(promql), /longer than the 7 day\(s\)/);
    const limit = await call('sls_execute_sql_query', { cluster_id: PROD, query: '*', limit: 500 });
    assert.match(text(limit), /InvalidArguments: .*limit/);
    const millis = await call('sls_execute_sql_query', { cluster_id: PROD, query: '*', from_timestamp: 1_700_000_000_000 });
    assert.match(
      text(millis),
      /InvalidArguments: .*from_timestamp: must be unix seconds, not milliseconds .*divide a millisecond timestamp by 1000/,
    );
    const cmsReversed = await call('cms_get_node_metrics', {
      cluster_id: PROD,
      from_timestamp: 1_800_000_000,
      to_timestamp: 1_700_000_000,
    });
    assert.match(text(cmsReversed), /InvalidTimeRange: from_timestamp \(1800000000\) must be before to_timestamp/);
    const cmsLong = await call('cms_get_node_metrics', {
      cluster_id: PROD,
      from_timestamp: 1_700_000_000,
      to_timestamp: 1_700_000_000 + 8 * 86_400,
    });
    assert.match(text(cmsLong), /InvalidTimeRange: The time range is 8 day\(s\), longer than the 7 day\(s\) this tool allows/);
    const cmsMillis = await call('cms_get_node_metrics', { cluster_id: PROD, to_timestamp: Date.now() });
    assert.match(text(cmsMillis), /to_timestamp: must be unix seconds, not milliseconds/);
    assert.deepEqual(upstream(), []);
  });

  it('runs PromQL with quotes and regex matchers, intact, with STS credentials in Basic auth', async () => {
    const sts = await stack.client(callerHeaders(stsKey!));
    stack.emulator.callLog.clear();
    const query = `sum by (pod) (kube_pod_container_status_restarts_total{namespace="shop", pod=~"payment-api-.*", container!="istio-proxy"})`;
    const r = await call('cms_execute_promql_query', { cluster_id: PROD, query }, sts);
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.result_type, 'vector');
    assert.deepEqual(
      r.structuredContent.result.map((s: any) => s.metric),
      [{ pod: CRASHING_POD }],
    );
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
    const range = await call('cms_execute_promql_query', {
      cluster_id: PROD,
      query: '1 - avg by (node) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
      start: end - 1800,
      end,
      step: 60,
    });
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
    assert.match(
      text(r),
      /Error Prometheus\.bad_data: invalid parameter "query": 1:\d+: parse error: unexpected end of input, expected "\)"/,
    );
  });

  it('explains a missing metricstore and suggests cms_get_node_metrics', async () => {
    // staging-beijing has no metricstore; its ARMS instance is out of reach of an identity without arms:GetPrometheusInstance.
    const { client: noArms } = await clientWithNewKey(stack, ['arms:GetPrometheusInstance']);
    const r = await call('cms_execute_promql_query', { cluster_id: STAGING, query: 'up' }, noArms);
    assert.equal(r.isError, true);
    assert.match(
      text(r),
      new RegExp(
        `MetricstoreNotFound: .*metricstore aliyun-prom-${STAGING} in project workspace-default-cms-${demo.accountId}-cn-beijing not found`,
      ),
    );
    assert.match(text(r), /ARMS GetPrometheusInstance failed: Forbidden\.RAM: /);
    assert.match(text(r), /cms_get_node_metrics/);
  });

  it('lists the projects, logstores and metricstore of a cluster', async () => {
    const r = await call('list_log_stores', { cluster_id: PROD });
    assert.equal(r.isError, undefined, text(r));
    const rows = r.structuredContent.projects as Array<Record<string, any>>;
    assert.deepEqual(
      rows.map((row) => [row.purpose, row.project, row.logstores]),
      [
        ['Kubernetes events, container and ingress logs', `k8s-log-${PROD}`, ['k8s-event', 'config-operation-log']],
        [
          'control-plane logs (apiserver, kcm, scheduler, ccm)',
          `k8s-log-${PROD}`,
          [`apiserver-${PROD}`, `kcm-${PROD}`, `scheduler-${PROD}`],
        ],
        ['API-server audit log', `k8s-log-${PROD}`, [`audit-${PROD}`]],
        ['managed Prometheus', `workspace-default-cms-${demo.accountId}-cn-hangzhou`, []],
      ],
    );
    assert.deepEqual(
      rows.map((row) => row.source),
      [
        'naming rule k8s-log-{cluster_id}',
        'CheckControlPlaneLogEnable',
        'GetClusterAuditProject',
        'naming rule with account id from STS GetCallerIdentity',
      ],
    );
    assert.deepEqual(r.structuredContent.prometheus, {
      project: `workspace-default-cms-${demo.accountId}-cn-hangzhou`,
      metricstore: `aliyun-prom-${PROD}`,
      available: true,
      note: null,
    });
    // staging-beijing has no metricstore, but ARMS reports an instance for it.
    const staging = await call('list_log_stores', { cluster_id: STAGING });
    assert.equal(staging.structuredContent.prometheus.available, true);
    assert.equal(staging.structuredContent.prometheus.metricstore, '');
    assert.match(
      text(staging),
      /PromQL: ready \(http:\/\/\S+\/api\/v1\/prometheus\/\w+; metricstore aliyun-prom-\S+ not found .*an ARMS-hosted instance serves this cluster \(ARMS GetPrometheusInstance/,
    );
    const { client: noArms } = await clientWithNewKey(stack, ['arms:GetPrometheusInstance']);
    const unreachable = await call('list_log_stores', { cluster_id: STAGING }, noArms);
    assert.equal(unreachable.structuredContent.prometheus.available, false);
    assert.match(text(unreachable), /PromQL: not available: .*ARMS GetPrometheusInstance failed: Forbidden\.RAM.*cms_get_node_metrics/);
  });

  it("never shows another account's cluster", async () => {
    const r = await call('list_log_stores', { cluster_id: OTHER });
    assert.equal(r.isError, true);
    assert.match(text(r), /ErrorClusterNotFound/);
    const sql = await call('sls_execute_sql_query', { cluster_id: PROD, project: `k8s-log-${OTHER}`, query: '*' });
    assert.match(text(sql), /^Error ProjectOutOfScope: /, "refused before anything is sent: not one of the cluster's projects");
    // Opened by the operator, Log Service itself answers 401 Unauthorized: the project exists, but not for these credentials.
    const open = await startStack({ env: { SLS_ALLOWED_PROJECTS: `k8s-log-${OTHER}` } });
    try {
      const opened = await callWith(await open.client(callerHeaders(demoKey!)), 'sls_execute_sql_query', {
        cluster_id: PROD,
        project: `k8s-log-${OTHER}`,
        query: '*',
      });
      assert.match(
        text(opened),
        /^Error Unauthorized: The project does not belong to you\.\nHint: The project exists but belongs to another Alibaba Cloud account/,
      );
    } finally {
      await open.close();
    }
  });

  it('reads CloudMonitor metrics of the nodes, per node pool', async () => {
    stack.emulator.callLog.clear();
    const r = await call('cms_get_node_metrics', { cluster_id: PROD, metric: 'cpu', period: 300 });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.metric_name, 'CPUUtilization');
    assert.equal(r.structuredContent.nodes.length, 4);
    const hot = r.structuredContent.nodes[0];
    assert.ok(hot.latest >= 91 && hot.points >= 11, JSON.stringify(hot));
    assert.equal(hot.device, null);
    assert.match(text(r), /CPUUtilization \(acs_ecs_dashboard, period 300s, %\)/);
    const pool = demo.clusters[0]!.nodepools[1]!.nodepool_id;
    const one = await call('cms_get_node_metrics', { cluster_id: PROD, nodepool_id: pool, metric: 'memory' });
    assert.equal(one.structuredContent.nodes.length, 1);
    assert.equal(one.structuredContent.nodes[0].nodepool_id, pool);
    assert.ok(upstream().includes('cms:DescribeMetricList'));
  });

  it('summarises per-disk and per-NIC metrics by the busiest device, and says so', async () => {
    const disk = await call('cms_get_node_metrics', { cluster_id: PROD, metric: 'disk' });
    assert.equal(disk.isError, undefined, text(disk));
    const [first, second] = disk.structuredContent.nodes;
    // The first node's data disk is at 93 %, its system disk at 35 %: the node shows /dev/vdb, not a mix.
    assert.deepEqual([first.device, first.devices, first.latest, first.min], ['/dev/vdb', 2, 93, 88.35]);
    assert.deepEqual([second.device, second.latest], ['/dev/vda1', 39]);
    assert.match(text(disk), /diskusage_utilization is reported per disk: each node shows its busiest device/);
    assert.match(text(disk), /\/dev\/vdb \(busiest of 2\)/);
    const net = await call('cms_get_node_metrics', { cluster_id: PROD, metric: 'network_in' });
    assert.equal(net.structuredContent.metric_name, 'networkin_rate');
    assert.ok(net.structuredContent.nodes.every((node: any) => node.device === 'eth0' && node.devices === 2));
    const intranet = await call('cms_get_node_metrics', { cluster_id: PROD, metric: 'intranet_in' });
    assert.equal(intranet.structuredContent.metric_name, 'IntranetInRate');
    assert.equal(intranet.structuredContent.nodes[0].device, null);
  });

  it('translates text to SQL and PromQL, and diagnoses a query, asking CallAiTools for the cluster region', async () => {
    stack.emulator.callLog.clear();
    const sql = await call('sls_translate_text_to_sql_query', { cluster_id: PROD, text: 'warning events by reason' });
    assert.equal(sql.isError, undefined, text(sql));
    assert.equal(
      sql.structuredContent.query,
      'level: Warning | SELECT reason, count(*) AS events GROUP BY reason ORDER BY events DESC LIMIT 10',
    );
    assert.match(
      sql.structuredContent.backend,
      new RegExp(`^SLS CallAiTools text_to_sql \\(${stack.emulator.endpoint.replace(/\./g, '\\.')}\\)$`),
    );
    const run = await call('sls_execute_sql_query', { cluster_id: PROD, query: sql.structuredContent.query });
    assert.deepEqual(run.structuredContent.rows[0], { reason: 'BackOff', events: '12' });
    const promql = await call('cms_translate_text_to_promql', { cluster_id: PROD, text: 'CPU usage per node' });
    assert.equal(promql.structuredContent.query, '1 - avg by (node) (rate(node_cpu_seconds_total{mode="idle"}[5m]))');
    const diagnosis = await call('sls_diagnose_query', {
      cluster_id: STAGING,
      logstore: 'nginx-ingress',
      query: '* | SELECT foo',
      error_message: 'no such column: foo',
    });
    assert.match(text(diagnosis), /does not exist in logstore nginx-ingress/);
    const ai = stack.emulator.callLog.of('CallAiTools');
    assert.equal(ai.length, 3);
    assert.ok(ai.every((rec) => rec.status === 200 && rec.accessKeyId === demoKey!.accessKeyId));
    const bodies = ai.map((rec) => rec.body as { toolName: string; regionId: string; params: Record<string, string> });
    assert.deepEqual(
      bodies.map((b) => [b.toolName, b.regionId, b.params.project, b.params.logstore ?? b.params.metricstore]),
      [
        ['text_to_sql', 'cn-hangzhou', `k8s-log-${PROD}`, 'k8s-event'],
        ['text_to_promql', 'cn-hangzhou', `workspace-default-cms-${demo.accountId}-cn-hangzhou`, `aliyun-prom-${PROD}`],
        ['diagnosis_sql', 'cn-beijing', `k8s-log-${STAGING}`, 'nginx-ingress'],
      ],
    );
    assert.match(bodies[0]!.params['sys.query']!, /^warning events by reason\n\(current time: \d{4}-/);
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

  it('explains translation the identity is not allowed, and denied SQL, PromQL and listing, as Log Service reports them', async () => {
    const { client: denied } = await clientWithNewKey(stack, ['log:CallAiTools', 'log:GetLogStoreLogs', 'log:ListLogStores']);
    const translation = await call('sls_translate_text_to_sql_query', { cluster_id: PROD, text: 'warning events by reason' }, denied);
    assert.equal(translation.isError, true);
    assert.match(
      text(translation),
      /Error TranslationNotAuthorized: SLS CallAiTools text_to_sql \(.*\) refused these credentials: Unauthorized: denied by sts or ram, action: log:CallAiTools/,
    );
    assert.match(text(translation), /Grant log:CallAiTools to this identity, or write the query yourself/);
    const sql = await call('sls_execute_sql_query', { cluster_id: PROD, query: '*' }, denied);
    assert.equal(sql.isError, true);
    assert.match(
      text(sql),
      new RegExp(
        `Error Unauthorized: denied by sts or ram, action: log:GetLogStoreLogs, resource: acs:log:cn-hangzhou:${demo.accountId}:project/k8s-log-${PROD}/logstore/k8s-event`,
      ),
    );
    assert.match(text(sql), new RegExp(`Hint: RAM does not allow log:GetLogStoreLogs on project k8s-log-${PROD} for this identity`));
    const promql = await call('cms_execute_promql_query', { cluster_id: PROD, query: 'up' }, denied);
    assert.match(text(promql), /Error Unauthorized: denied by sts or ram, action: log:GetLogStoreLogs, resource: .*logstore\/aliyun-prom-/);
    const listed = await call('list_log_stores', { cluster_id: PROD }, denied);
    assert.equal(listed.isError, undefined, 'a denied listing is reported on its rows, not as a failure');
    assert.ok(
      listed.structuredContent.projects.every(
        (row: any) => row.found === false && /^Unauthorized: denied by sts or ram, action: log:ListLogStores/.test(row.error),
      ),
    );
    assert.equal(stack.emulator.callLog.records.filter((rec) => rec.errorCode === 'Unauthorized').length >= 5, true);
  });

  it('rejects an expired STS token at Log Service and at the Prometheus API, saying so', async () => {
    const expired = await stack.client(callerHeaders(demo.accessKeys[3]!));
    const r = await call(
      'sls_execute_sql_query',
      { cluster_id: PROD, region: 'cn-hangzhou', project: `k8s-log-${PROD}`, query: '*' },
      expired,
    );
    assert.equal(r.isError, true);
    assert.match(
      text(r),
      /^Error Unauthorized: The security token you provided has expired\.\nHint: The STS token has expired: obtain fresh STS credentials/,
    );
    const p = await call(
      'cms_execute_promql_query',
      { cluster_id: PROD, region: 'cn-hangzhou', project: `workspace-default-cms-${demo.accountId}-cn-hangzhou`, query: 'up' },
      expired,
    );
    assert.equal(p.isError, true);
    assert.match(text(p), /^Error Unauthorized: The security token you provided has expired\.\nHint: The STS token has expired/);
  });

  it('upstream calls per tool call, cold (new identity) and warm', async () => {
    const tools: Array<[string, Record<string, unknown>, string[], string[]]> = [
      [
        'list_log_stores',
        { cluster_id: PROD },
        [
          'cs:DescribeClusterDetail',
          'cs:CheckControlPlaneLogEnable',
          'cs:GetClusterAuditProject',
          'sts:GetCallerIdentity',
          'sls:ListLogStores',
          'sls:ListLogStores',
        ],
        ['sls:ListLogStores', 'sls:ListLogStores'],
      ],
      ['sls_execute_sql_query', { cluster_id: PROD, query: '*' }, ['cs:DescribeClusterDetail', 'sls:GetLogsV2'], ['sls:GetLogsV2']],
      [
        'sls_translate_text_to_sql_query',
        { cluster_id: PROD, text: 'warnings' },
        ['cs:DescribeClusterDetail', 'sls:CallAiTools'],
        ['sls:CallAiTools'],
      ],
      [
        'sls_diagnose_query',
        { cluster_id: PROD, query: '* | SELECT foo', error_message: 'no such column: foo' },
        ['cs:DescribeClusterDetail', 'sls:CallAiTools'],
        ['sls:CallAiTools'],
      ],
      [
        'cms_execute_promql_query',
        { cluster_id: PROD, query: 'up' },
        ['cs:DescribeClusterDetail', 'sts:GetCallerIdentity', 'sls:PrometheusQuery'],
        ['sls:PrometheusQuery'],
      ],
      [
        'cms_translate_text_to_promql',
        { cluster_id: PROD, text: 'CPU per node' },
        ['cs:DescribeClusterDetail', 'sts:GetCallerIdentity', 'sls:CallAiTools'],
        ['sls:CallAiTools'],
      ],
      [
        'cms_get_node_metrics',
        { cluster_id: PROD },
        ['cs:DescribeClusterDetail', 'cs:DescribeClusterNodes', 'cms:DescribeMetricList'],
        ['cs:DescribeClusterNodes', 'cms:DescribeMetricList'],
      ],
    ];
    const report: string[] = [];
    for (const [name, args, cold, warm] of tools) {
      const { client: fresh } = await clientWithNewKey(stack);
      stack.emulator.callLog.clear();
      assert.equal((await call(name, args, fresh)).isError, undefined, name);
      const coldCalls = upstream();
      stack.emulator.callLog.clear();
      assert.equal((await call(name, args, fresh)).isError, undefined, name);
      const warmCalls = upstream();
      report.push(`${name}: cold ${coldCalls.length} (${coldCalls.join(', ')}); warm ${warmCalls.length} (${warmCalls.join(', ')})`);
      // Lookups that run in parallel arrive in any order.
      assert.deepEqual([...coldCalls].sort(), [...cold].sort(), `${name} cold`);
      assert.deepEqual(warmCalls, warm, `${name} warm`);
    }
    console.log(`upstream calls per tool call:\n  ${report.join('\n  ')}`);
  });
});
