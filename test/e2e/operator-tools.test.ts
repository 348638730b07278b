/**
 * The operator tools through MCP over real HTTP: signed SDK calls to the emulated ACK, and the caller's kubeconfig
 * against the fake API server. Tasks, events, addons and workload sizing read; query_inspect_report reads the latest
 * report or runs an inspection and waits for it.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { lifecycleOf } from '../emulator/cs/lifecycle/index.ts';
import { kubeUserOf } from '../emulator/cs/kubeconfig.ts';
import type { ClusterRecord } from '../emulator/world.ts';
import type { Stack } from '../support/stack.ts';
import { actions, call, demo, startAckStack, text, type Demo } from './ack-operations.helpers.ts';
import { clientWithNewKey } from './observability.helpers.ts';

let stack: Stack;
let d: Demo;
let beijing: ClusterRecord;
let kubeUser: string;

before(async () => {
  stack = await startAckStack();
  d = await demo(stack);
  beijing = d.account.clusters[1]!;
  kubeUser = kubeUserOf({ account: d.account, key: d.account.accessKeys[0]! });
});
after(() => stack.close());
beforeEach(() => stack.emulator.callLog.clear());
afterEach(() => {
  stack.emulator.kube.rbac.clear();
  stack.emulator.kube.setGroupUnavailable(null);
  lifecycleOf(stack.emulator.world).held = false;
});

describe('list_cluster_tasks', () => {
  test('the newest tasks first, the failed one with its error', async () => {
    const result = await call(d.client, 'list_cluster_tasks', { cluster_id: d.hangzhou.cluster_id });
    assert.equal(result.isError, undefined, text(result));
    const tasks = result.structuredContent.tasks as Array<{ task_type: string; state: string; created: string; error?: { code: string } }>;
    assert.deepEqual(
      tasks.map((t) => [t.task_type, t.state]),
      [
        ['nodepool_update', 'success'],
        ['nodepool_scaleout', 'fail'],
        ['cluster_addon_upgrade', 'success'],
      ],
    );
    assert.equal(tasks[1]!.error?.code, 'QuotaExceed.ElasticQuota');
    assert.equal(result.structuredContent.total_count, 3);
    assert.match(text(result), /nodepool_scaleout\s+fail .*QuotaExceed\.ElasticQuota/);
    assert.ok(actions(stack).includes('DescribeClusterTasks'));
  });

  test('filters by state and type', async () => {
    const failed = await call(d.client, 'list_cluster_tasks', { cluster_id: d.hangzhou.cluster_id, state: 'fail' });
    assert.deepEqual(
      failed.structuredContent.tasks.map((t: { task_type: string }) => t.task_type),
      ['nodepool_scaleout'],
    );
    const upgrades = await call(d.client, 'list_cluster_tasks', { cluster_id: d.hangzhou.cluster_id, task_type: 'upgrade' });
    assert.deepEqual(
      upgrades.structuredContent.tasks.map((t: { task_type: string }) => t.task_type),
      ['cluster_addon_upgrade'],
    );
    const none = await call(d.client, 'list_cluster_tasks', { cluster_id: d.hangzhou.cluster_id, state: 'running' });
    assert.deepEqual(none.structuredContent.tasks, []);
    assert.match(text(none), /No task matches: widen the filters/);
  });

  test('a task this server started shows up', async () => {
    const scaled = await call(d.client, 'scale_nodepool', {
      cluster_id: beijing.cluster_id,
      nodepool_id: beijing.nodepools[0]!.nodepool_id,
      count: 1,
    });
    const result = await call(d.client, 'list_cluster_tasks', { cluster_id: beijing.cluster_id, limit: 1 });
    assert.equal(result.structuredContent.tasks[0].task_id, scaled.structuredContent.task_id);
    assert.equal(result.structuredContent.more, true);
  });

  test("another account's cluster is not found", async () => {
    const other = d.other.clusters[0]!;
    const result = await call(d.client, 'list_cluster_tasks', { cluster_id: other.cluster_id, region: other.region_id });
    assert.equal(result.isError, true);
    assert.match(text(result), /ErrorClusterNotFound|not (be )?found/i);
  });
});

describe('query_inspect_report', () => {
  test('a recent report is read, not re-run: exceptions first, most severe first', async () => {
    const result = await call(d.client, 'query_inspect_report', { cluster_id: d.hangzhou.cluster_id });
    assert.equal(result.isError, undefined, text(result));
    const report = result.structuredContent;
    assert.equal(report.started_now, false);
    assert.equal(report.status, 'completed');
    assert.deepEqual(
      report.findings.map((f: { check_item: string; level: string }) => [f.check_item, f.level]),
      [
        ['PodPrivileged', 'critical'],
        ['NodePoolMultiZone', 'error'],
        ['WorkloadRequestsOverProvisioned', 'advice'],
      ],
    );
    assert.deepEqual(report.summary, { code: 'error', normal: 3, advice: 1, warning: 0, error: 2 });
    assert.match(text(result), /\[CRITICAL\] security\/PodPrivileged: Privileged containers \(Pod kube-system\/terway-eniip-5xwq2\)/);
    assert.ok(!actions(stack).includes('RunClusterInspect'));
    assert.deepEqual(
      actions(stack).filter((a) => a !== 'DescribeClusterDetail'),
      ['ListClusterInspectReports', 'GetClusterInspectReportDetail'],
    );
  });

  test('only_exceptions=false adds the normal and disabled items after the exceptions', async () => {
    const result = await call(d.client, 'query_inspect_report', { cluster_id: d.hangzhou.cluster_id, only_exceptions: false });
    const results = result.structuredContent.findings.map((f: { result: string }) => f.result);
    assert.deepEqual(results, ['true', 'true', 'true', 'false', 'false', 'false', 'disable']);
  });

  test('no report yet: an inspection is run and waited for, with progress', async () => {
    const store = lifecycleOf(stack.emulator.world);
    store.held = true;
    const progress: Array<{ message?: string }> = [];
    const result = (await d.client.callTool(
      { name: 'query_inspect_report', arguments: { cluster_id: beijing.cluster_id, wait_seconds: 60 } },
      undefined,
      {
        onprogress: (notification) => {
          progress.push(notification);
          store.held = false; // the inspection completes only after the first notification arrived
        },
      },
    )) as unknown as { isError?: boolean; structuredContent: { started_now: boolean; status: string; findings: unknown[] } };
    assert.equal(result.isError, undefined);
    assert.equal(result.structuredContent.started_now, true);
    assert.equal(result.structuredContent.status, 'completed');
    assert.equal(result.structuredContent.findings.length, 3);
    assert.match(progress[0]?.message ?? '', /inspection report [0-9a-f]{32} is running/);
    assert.deepEqual(
      actions(stack).filter((a) => a === 'RunClusterInspect'),
      ['RunClusterInspect'],
    );
  });

  test('not generated within the wait: a clear error that says how to follow it, and the next call follows the same report', async () => {
    const store = lifecycleOf(stack.emulator.world);
    store.held = true;
    const first = await call(d.client, 'query_inspect_report', { cluster_id: d.hangzhou.cluster_id, run_new: true, wait_seconds: 0 });
    assert.equal(first.isError, true);
    assert.match(text(first), /^Error InspectReportNotReady: Inspection report ([0-9a-f]{32}) of cluster c[0-9a-f]+ is not generated yet/);
    assert.match(
      text(first),
      /\(run_new asked for a new inspection; waited 0 s\)\.\nHint: Call query_inspect_report again for cluster c[0-9a-f]+ with wait_seconds 60 \(without run_new\)/,
    );
    const reportId = /Inspection report ([0-9a-f]{32})/.exec(text(first))![1];
    store.held = false;
    stack.emulator.callLog.clear();
    const second = await call(d.client, 'query_inspect_report', { cluster_id: d.hangzhou.cluster_id, wait_seconds: 60 });
    assert.equal(second.isError, undefined, text(second));
    assert.equal(second.structuredContent.report_id, reportId);
    assert.equal(second.structuredContent.started_now, false);
    assert.ok(!actions(stack).includes('RunClusterInspect'), 'the running report is followed, not a new one started');
  });

  test('annotated as not read-only (it may start an inspection) and not destructive', async () => {
    const listed = await d.client.listTools();
    const tool = listed.tools.find((candidate) => candidate.name === 'query_inspect_report')!;
    assert.deepEqual([tool.annotations?.readOnlyHint, tool.annotations?.destructiveHint], [false, false]);
  });

  test('read-only mode: the latest report is read, with a key denied RunClusterInspect; run_new and no report are clear errors', async () => {
    const readOnly = await startAckStack({ ACCESS_MODE: 'read-only' });
    try {
      // The key may not start inspections: the read-only RAM policy grants no cs:RunClusterInspect.
      const { client } = await clientWithNewKey(readOnly, ['cs:RunClusterInspect']);
      const tool = (await client.listTools()).tools.find((candidate) => candidate.name === 'query_inspect_report');
      assert.deepEqual([tool?.annotations?.readOnlyHint, tool?.annotations?.destructiveHint], [true, false]);
      assert.match(tool?.description ?? '', /Read-only mode: reads the latest report .* and runs no inspection; run_new is refused\./);

      const hangzhou = readOnly.emulator.world.accounts[0]!.clusters[0]!;
      const read = await call(client, 'query_inspect_report', { cluster_id: hangzhou.cluster_id, max_age_hours: 1 });
      assert.equal(read.isError, undefined, text(read));
      assert.equal(read.structuredContent.started_now, false);
      assert.equal(read.structuredContent.findings[0].check_item, 'PodPrivileged');

      const asked = await call(client, 'query_inspect_report', { cluster_id: hangzhou.cluster_id, run_new: true });
      assert.equal(asked.isError, true);
      assert.match(
        text(asked),
        /^Error ReadOnlyMode: run_new asks for a new inspection of cluster c[0-9a-f]+, which read-only mode does not start\.\nHint: .*a read-write caller can run one .*Call again without run_new to read the latest report\./s,
      );

      const none = await call(client, 'query_inspect_report', { cluster_id: readOnly.emulator.world.accounts[0]!.clusters[1]!.cluster_id });
      assert.equal(none.isError, true);
      assert.match(
        text(none),
        /^Error InspectReportNotFound: Cluster c[0-9a-f]+ has no inspection report yet\.\nHint: .*a read-write caller can run one/s,
      );
      assert.deepEqual(
        readOnly.emulator.callLog.records.map((record) => record.action).filter((action) => action === 'RunClusterInspect'),
        [],
      );
    } finally {
      await readOnly.close();
    }
  });
});

describe('list_cluster_events', () => {
  test('one timeline, newest first: ACK events and Kubernetes Warning events', async () => {
    const result = await call(d.client, 'list_cluster_events', { cluster_id: d.hangzhou.cluster_id });
    assert.equal(result.isError, undefined, text(result));
    const events = result.structuredContent.events as Array<{ time: string; source: string; kind: string; subject: string; level: string }>;
    assert.deepEqual(
      events.map((e) => e.time),
      [...events.map((e) => e.time)].sort().reverse(),
      'newest first',
    );
    assert.ok(events.some((e) => e.source === 'kubernetes' && e.kind === 'BackOff' && e.subject.startsWith('default/Pod/billing-worker-')));
    assert.ok(events.some((e) => e.source === 'ack' && e.kind === 'cluster_scaleout' && e.level === 'warning'));
    assert.equal(result.structuredContent.ack_total, 5);
    assert.ok(!events.some((e) => e.source === 'kubernetes' && e.level !== 'Warning'), 'only Warning events from Kubernetes');
    assert.ok(actions(stack).includes('DescribeClusterEvents'));
    assert.ok(stack.emulator.kube.requests.some((r) => r.path.startsWith('/api/v1/events?fieldSelector=type%3DWarning')));
  });

  test('when the API server refuses, ACK events still come with the reason', async () => {
    stack.emulator.kube.rbac.forbid(kubeUser, ['list']);
    const result = await call(d.client, 'list_cluster_events', { cluster_id: d.hangzhou.cluster_id });
    assert.equal(result.isError, undefined);
    assert.equal(result.structuredContent.events.length, 5);
    assert.match(
      result.structuredContent.kubernetes_error,
      /^KubernetesForbidden: .*events is forbidden: User ".*" cannot list resource "events"/,
    );
    assert.match(text(result), /Kubernetes events could not be read/);
  });

  test('include_kubernetes=false reads ACK only; a namespace without warnings adds none', async () => {
    const ackOnly = await call(d.client, 'list_cluster_events', { cluster_id: d.hangzhou.cluster_id, include_kubernetes: false });
    assert.ok(ackOnly.structuredContent.events.every((e: { source: string }) => e.source === 'ack'));
    const quiet = await call(d.client, 'list_cluster_events', { cluster_id: d.hangzhou.cluster_id, namespace: 'kube-system' });
    assert.equal(quiet.structuredContent.kubernetes_total, 0);
  });
});

describe('list_cluster_addons', () => {
  test('installed addons with the version ACK offers; the upgradable one first', async () => {
    const result = await call(d.client, 'list_cluster_addons', { cluster_id: d.hangzhou.cluster_id });
    assert.equal(result.isError, undefined, text(result));
    const { addons, installed_count, upgradable_count } = result.structuredContent;
    assert.deepEqual([installed_count, upgradable_count], [5, 1]);
    assert.deepEqual(
      [addons[0].name, addons[0].version, addons[0].available_version, addons[0].upgradable],
      ['ack-node-problem-detector', '1.2.24', '1.2.26', true],
    );
    assert.ok(
      addons
        .slice(1)
        .every(
          (a: { upgradable: boolean; version: string; available_version: string }) => !a.upgradable && a.version === a.available_version,
        ),
    );
    assert.deepEqual(
      actions(stack)
        .filter((a) => a !== 'DescribeClusterDetail')
        .sort(),
      ['ListAddons', 'ListClusterAddonInstances'],
    );
    assert.ok(!actions(stack).includes('DescribeClusterAddonsVersion'));
  });

  test('only_upgradable', async () => {
    const result = await call(d.client, 'list_cluster_addons', { cluster_id: d.hangzhou.cluster_id, only_upgradable: true });
    assert.deepEqual(
      result.structuredContent.addons.map((a: { name: string }) => a.name),
      ['ack-node-problem-detector'],
    );
  });
});

describe('analyze_workload_cost', () => {
  const web = () => ({ cluster_id: d.hangzhou.cluster_id, namespace: 'default', workload_type: 'deployment', workload_name: 'web' });

  /** Millicores of a `123m` string. */
  const milli = (value: string) => Number(/^(\d+)m$/.exec(value)?.[1]);
  /** Takes log:GetLogStoreLogs from the caller's key (no Prometheus) while `body` runs. */
  async function withoutPrometheus(body: () => Promise<void>): Promise<void> {
    const key = d.account.accessKeys[0]!;
    key.deniedActions = ['log:GetLogStoreLogs'];
    try {
      await body();
    } finally {
      delete key.deniedActions;
    }
  }

  test('web in default is over-provisioned over the last day of managed Prometheus, with a suggested request', async () => {
    const result = await call(d.client, 'analyze_workload_cost', web());
    assert.equal(result.isError, undefined, text(result));
    const out = result.structuredContent;
    assert.deepEqual([out.pods, out.replicas, out.verdict], [2, 2, 'over_provisioned']);
    assert.match(
      out.metrics_source,
      /^managed Prometheus workspace-default-cms-\d+-cn-hangzhou\/aliyun-prom-c[0-9a-f]+, last 24 h, 5-minute points$/,
    );
    assert.equal(out.prometheus_note, undefined);
    const [container] = out.containers;
    assert.deepEqual(
      [container.name, container.pods_measured, container.cpu.request, container.cpu.limit, container.cpu.verdict],
      ['web', 2, '500m', '1000m', 'over_provisioned'],
    );
    // The emulated cAdvisor series swing between 6m and 18m of CPU and 35 and 55 MiB of memory over a day.
    assert.ok(milli(container.cpu.usage_max) >= 15 && milli(container.cpu.usage_max) <= 18, container.cpu.usage_max);
    assert.ok(milli(container.cpu.usage_avg) >= 10 && milli(container.cpu.usage_avg) <= 14, container.cpu.usage_avg);
    assert.ok(
      milli(container.cpu.suggested_request) >= 20 && milli(container.cpu.suggested_request) <= 30,
      container.cpu.suggested_request,
    );
    assert.deepEqual([container.memory.request, container.memory.verdict], ['1024Mi', 'over_provisioned']);
    assert.match(container.memory.usage_max, /^5[3-5]Mi$/);
    assert.match(text(result), /Usage from managed Prometheus .* last 24 h/);
    assert.match(text(result), /uses less than 30% of its request: lower the request/);
    const paths = stack.emulator.kube.requests.slice(-3).map((r) => r.path);
    assert.deepEqual(paths, [
      '/apis/apps/v1/namespaces/default/deployments/web',
      '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb',
      '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb',
    ]);
  });

  test("without Prometheus: metrics-server's current sample, and the answer says so", async () => {
    await withoutPrometheus(async () => {
      const result = await call(d.client, 'analyze_workload_cost', web());
      assert.equal(result.isError, undefined, text(result));
      const out = result.structuredContent;
      assert.equal(out.metrics_source, 'metrics.k8s.io (metrics-server, current sample)');
      assert.match(out.prometheus_note, /^Prometheus could not be read \(.*log:GetLogStoreLogs/);
      const [container] = out.containers;
      assert.deepEqual(
        [container.pods_measured, container.cpu.usage_max, container.cpu.verdict, container.cpu.suggested_request],
        [2, '8m', 'over_provisioned', '20m'],
      );
      assert.deepEqual(
        [container.memory.usage_max, container.memory.verdict, container.memory.suggested_request],
        ['42Mi', 'over_provisioned', '64Mi'],
      );
      assert.match(text(result), /A current sample only, not a day's profile/);
    });
  });

  test('metrics-server down: Prometheus still answers', async () => {
    stack.emulator.kube.setGroupUnavailable('metrics.k8s.io');
    const result = await call(d.client, 'analyze_workload_cost', web());
    assert.equal(result.isError, undefined, text(result));
    assert.match(result.structuredContent.metrics_source, /^managed Prometheus /);
  });

  test('a workload that does not exist: a clear error with a way to find it', async () => {
    const result = await call(d.client, 'analyze_workload_cost', { ...web(), workload_name: 'shop' });
    assert.equal(result.isError, true);
    assert.match(text(result), /^Error WorkloadNotFound: There is no deployment "shop" in namespace "default"/);
    assert.match(text(result), /get deployments -n default/);
  });

  test('metrics-server down and no Prometheus: a clear error with the requests and a hint', async () => {
    stack.emulator.kube.setGroupUnavailable('metrics.k8s.io');
    await withoutPrometheus(async () => {
      const result = await call(d.client, 'analyze_workload_cost', web());
      assert.equal(result.isError, true);
      assert.match(
        text(result),
        /^Error MetricsUnavailable: No usage for deployment default\/web .*HTTP 503 .*; Prometheus could not be read .*Requests\/limits: web: cpu 500m\/1, memory 1Gi\/2Gi/,
      );
      assert.match(text(result), /metrics-server/);
      assert.match(text(result), /Managed Service for Prometheus/);
    });
  });

  test('wrong inputs are refused before anything is sent', async () => {
    for (const [args, pattern] of [
      [{ ...web(), workload_type: 'cronjob' }, /workload_type/],
      [{ ...web(), namespace: '../kube-system' }, /namespace: must be a Kubernetes namespace/],
      [{ ...web(), workload_name: 'web/../../secrets' }, /workload_name: must be a Kubernetes object name/],
    ] as const) {
      const before = stack.emulator.kube.requests.length;
      const result = await call(d.client, 'analyze_workload_cost', args);
      assert.equal(result.isError, true);
      assert.match(text(result), pattern);
      assert.equal(stack.emulator.kube.requests.length, before, 'nothing reached the API server');
    }
    assert.deepEqual(actions(stack), []);
  });
});
