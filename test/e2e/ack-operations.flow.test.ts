/**
 * The agent flow of issue 3, end to end through MCP over HTTP against the emulator:
 * list clusters → node pools → scale by 2 → wait on the task → size grew → remove two nodes →
 * wait → gone → diagnose a node and a pod and read the results. Also: progress over SSE while
 * waiting, conflicts on a busy pool, and prepaid nodes that are removed but never released.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Stack } from '../support/stack.ts';
import { TOOL_ACTIONS } from '../../deploy/ram-actions.ts';
import { advanceHeld, lifecycleOf } from '../emulator/cs/lifecycle/index.ts';
import { call, demo, poolNodes, startAckStack, text, type Demo } from './ack-operations.helpers.ts';

let stack: Stack;
let d: Demo;
/** Upstream calls (`action@endpoint`) each tool call made, for the report. */
const callsPerTool: Record<string, string[][]> = {};

before(async () => {
  stack = await startAckStack();
  d = await demo(stack);
});
after(async () => {
  for (const [tool, runs] of Object.entries(callsPerTool)) {
    console.log(`upstream calls ${tool}: ${runs.map((run) => run.join(' + ') || '(none)').join(' | ')}`);
  }
  await stack.close();
});
beforeEach(() => {
  stack.emulator.callLog.clear();
  lifecycleOf(stack.emulator.world).held = false;
});

const store = () => lifecycleOf(stack.emulator.world);

/** Calls a tool and records the upstream calls it made. */
async function step(name: string, args: Record<string, unknown>) {
  stack.emulator.callLog.clear();
  const result = await call(d.client, name, args);
  (callsPerTool[name] ??= []).push(stack.emulator.callLog.records.map((record) => `${record.action}@${record.endpoint}`));
  return result;
}

describe('the agent flow', () => {
  test('scale by 2, wait, see it grow; remove two nodes, wait, see them gone; diagnose a node and a pod', async () => {
    const clusters = await step('list_clusters', {});
    const clusterId = clusters.structuredContent.clusters.find((c: { name: string }) => c.name === 'prod-hangzhou').cluster_id;
    assert.equal(clusterId, d.hangzhou.cluster_id);

    const pools = await step('list_nodepools', { cluster_id: clusterId });
    const pool = pools.structuredContent.nodepools.find((p: { is_default: boolean }) => p.is_default);
    assert.equal(pool.desired_nodes, 3);
    assert.equal(pool.total_nodes, 3);

    const scaled = await step('scale_nodepool', { cluster_id: clusterId, nodepool_id: pool.nodepool_id, count: 2 });
    assert.equal(scaled.isError, undefined, text(scaled));
    assert.match(scaled.structuredContent.task_id, /^T-[0-9a-f]{24}$/);
    assert.equal(scaled.structuredContent.desired_nodes_before, 3);
    assert.equal(scaled.structuredContent.desired_nodes_expected, 5);
    assert.match(text(scaled), /adding 2 node\(s\)/);
    assert.match(text(scaled), /Before: desired 3, total 3/);
    assert.match(text(scaled), /describe_task_info/);
    assert.deepEqual(callsPerTool.scale_nodepool!.at(-1)!.slice(-2), [
      'DescribeClusterNodePools@cn-hangzhou',
      'ScaleClusterNodePool@cn-hangzhou',
    ]);

    const waited = await step('describe_task_info', { task_id: scaled.structuredContent.task_id, cluster_id: clusterId, wait_seconds: 60 });
    assert.equal(waited.isError, undefined, text(waited));
    assert.equal(waited.structuredContent.state, 'success');
    assert.equal(waited.structuredContent.finished, true);
    // ACK's stages carry state, times, message and outputs, but no name: a finished stage is named by its message.
    const stages = waited.structuredContent.stages as Array<{ name: string; state: string; message: string; end_time: string }>;
    assert.deepEqual(
      stages.map((s) => s.state),
      ['success', 'success', 'success'],
    );
    assert.match(stages[0]!.message, /^created 2 ECS instance\(s\): i-bp1\w+,i-bp1\w+$/);
    assert.deepEqual(
      stages.slice(1).map((s) => s.message),
      ['2 node(s) joined the cluster', '2 node(s) are Ready'],
    );
    for (const stage of stages) {
      assert.equal(stage.name, stage.message);
      assert.match(stage.end_time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    }
    assert.match(text(waited), /state success/);
    assert.match(text(waited), /\n  3\. success \(ended [^)]+\) - 2 node\(s\) are Ready/);

    const grown = await step('list_nodepools', { cluster_id: clusterId });
    const grownPool = grown.structuredContent.nodepools.find((p: { nodepool_id: string }) => p.nodepool_id === pool.nodepool_id);
    assert.equal(grownPool.desired_nodes, 5);
    assert.equal(grownPool.total_nodes, 5);
    assert.equal(grownPool.healthy_nodes, 5);
    assert.equal(grownPool.state, 'active');

    const nodes = await step('list_nodes', { cluster_id: clusterId, nodepool_id: pool.nodepool_id });
    assert.equal(nodes.structuredContent.nodes.length, 5);
    const doomed = nodes.structuredContent.nodes.slice(0, 2).map((n: { instance_id: string }) => n.instance_id);

    const removed = await step('remove_nodepool_nodes', { cluster_id: clusterId, nodepool_id: pool.nodepool_id, instance_ids: doomed });
    assert.equal(removed.isError, undefined, text(removed));
    assert.equal(removed.structuredContent.drain_node, true);
    assert.equal(removed.structuredContent.release_node, false);
    assert.equal(removed.structuredContent.concurrency, false);
    assert.match(text(removed), /Pods are drained first/);
    assert.match(text(removed), /kept \(not released\)/);
    const removal = stack.emulator.callLog.of('RemoveNodePoolNodes');
    assert.equal(removal.length, 1);
    assert.deepEqual(JSON.parse(removal[0]!.query.instance_ids!), doomed);
    assert.equal(removal[0]!.query.drain_node, 'true');
    assert.equal(removal[0]!.query.release_node, 'false');
    assert.equal(removal[0]!.query.concurrency, 'false');

    const removalTask = await step('describe_task_info', {
      task_id: removed.structuredContent.task_id,
      cluster_id: clusterId,
      wait_seconds: 60,
    });
    assert.equal(removalTask.structuredContent.state, 'success');
    assert.deepEqual(
      removalTask.structuredContent.stages.map((s: { message: string }) => s.message),
      ['drained 2 node(s)', 'removed 2 node(s) from the cluster; the ECS instances were kept'],
    );

    const after = await step('list_nodes', { cluster_id: clusterId, nodepool_id: pool.nodepool_id });
    const left = after.structuredContent.nodes.map((n: { instance_id: string }) => n.instance_id);
    assert.equal(left.length, 3);
    for (const id of doomed) assert.ok(!left.includes(id), `${id} is gone`);
    const shrunk = await step('list_nodepools', { cluster_id: clusterId });
    assert.equal(
      shrunk.structuredContent.nodepools.find((p: { nodepool_id: string }) => p.nodepool_id === pool.nodepool_id).desired_nodes,
      3,
    );

    const nodeName = after.structuredContent.nodes[0].node_name;
    const nodeDiagnosis = await step('create_cluster_diagnosis', {
      cluster_id: clusterId,
      diagnosis_type: 'node',
      target: { name: nodeName },
    });
    assert.equal(nodeDiagnosis.isError, undefined, text(nodeDiagnosis));
    assert.match(text(nodeDiagnosis), /get_cluster_diagnosis_result/);
    const podDiagnosis = await step('create_cluster_diagnosis', {
      cluster_id: clusterId,
      diagnosis_type: 'pod',
      target: { namespace: 'default', name: 'web-6d4b9c7f8-x2kqj' },
    });
    assert.equal(podDiagnosis.isError, undefined, text(podDiagnosis));

    const nodeResult = await step('get_cluster_diagnosis_result', {
      cluster_id: clusterId,
      diagnosis_id: nodeDiagnosis.structuredContent.diagnosis_id,
      wait_seconds: 60,
    });
    assert.equal(nodeResult.isError, undefined, text(nodeResult));
    assert.equal(nodeResult.structuredContent.state, 'completed');
    assert.equal(nodeResult.structuredContent.succeeded, true);
    assert.deepEqual(nodeResult.structuredContent.target, { name: nodeName });
    assert.deepEqual(nodeResult.structuredContent.summary, { total: 4, normal: 3, warning: 1, error: 0, unknown: 0 });
    // Findings from GetClusterDiagnosisCheckItems (documented); the result document passes through as it came.
    assert.equal(nodeResult.structuredContent.findings_source, 'check_items');
    assert.deepEqual(nodeResult.structuredContent.result, {
      phase: 5,
      version: '20240101',
      items: nodeResult.structuredContent.result.items,
    });
    assert.match(nodeResult.structuredContent.created, /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/, "the SDK example's time style passes through");
    assert.match(text(nodeResult), /4 check\(s\): 0 error, 1 warning, 3 normal/);
    assert.match(
      text(nodeResult),
      /\[WARNING\] Node\/DiskPressure: system disk usage is 83% \(threshold 80%\) \(Check the usage of the system disk; value 83, expected 80\)/,
    );

    const podResult = await step('get_cluster_diagnosis_result', {
      cluster_id: clusterId,
      diagnosis_id: podDiagnosis.structuredContent.diagnosis_id,
      wait_seconds: 60,
    });
    assert.equal(podResult.structuredContent.state, 'completed');
    assert.match(text(podResult), /\[WARNING\] Pod\/ContainerRestarts: container "app" restarted 4 times/);
  });

  test('a diagnosis of a node the cluster does not have completes as failed, and the answer says so', async () => {
    const created = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_type: 'memory',
      target: { node: 'cn-hangzhou.10.9.9.9' },
    });
    const result = await call(d.client, 'get_cluster_diagnosis_result', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_id: created.structuredContent.diagnosis_id,
      wait_seconds: 60,
    });
    assert.equal(result.structuredContent.succeeded, false);
    assert.equal(result.structuredContent.code, 1);
    assert.match(text(result), /the diagnosis FAILED: node cn-hangzhou\.10\.9\.9\.9 not found/);
  });
});

describe('what the tools call', () => {
  test("each ACK operation tool calls exactly the RAM actions deploy/ram-actions.ts grants it, at the cluster's regional endpoint", () => {
    for (const [tool, runs] of Object.entries(callsPerTool)) {
      const granted = new Set(TOOL_ACTIONS[tool]!.actions);
      const seen = new Set(runs.flat().map((call) => `cs:${call.split('@')[0]}`));
      for (const action of seen) assert.ok(granted.has(action), `${tool} calls ${action}, which its RAM actions lack`);
      // The region lookup happens only on a cold cache, so it may not show in every tool's runs.
      for (const action of granted)
        if (action !== 'cs:DescribeClusterDetail') assert.ok(seen.has(action), `${tool} is granted ${action} but never calls it`);
      for (const call of runs.flat()) {
        const [action, endpoint] = call.split('@');
        const central = action === 'DescribeClusterDetail' || (action === 'DescribeClustersV1' && tool === 'list_clusters');
        assert.equal(endpoint, central ? 'central' : 'cn-hangzhou', `${tool}: ${call}`);
      }
    }
    assert.deepEqual(Object.keys(callsPerTool).sort(), [
      'create_cluster_diagnosis',
      'describe_task_info',
      'get_cluster_diagnosis_result',
      'list_clusters',
      'list_nodepools',
      'list_nodes',
      'remove_nodepool_nodes',
      'scale_nodepool',
    ]);
  });
});

describe('a task that fails', () => {
  test('a scale-out short of instance quota fails, yet the pool keeps its expected size and ACK retries until it has it', async () => {
    const inUse = d.account.clusters.reduce((total, cluster) => total + cluster.nodes.length, 0);
    d.account.ecsInstanceQuota = inUse + 1;
    const store = lifecycleOf(stack.emulator.world);
    try {
      const desired = d.defaultPool.desired_size;
      const scaled = await call(d.client, 'scale_nodepool', {
        cluster_id: d.hangzhou.cluster_id,
        nodepool_id: d.defaultPool.nodepool_id,
        count: 2,
      });
      assert.equal(scaled.isError, undefined, text(scaled));
      const task = await call(d.client, 'describe_task_info', {
        task_id: scaled.structuredContent.task_id,
        cluster_id: d.hangzhou.cluster_id,
        wait_seconds: 60,
      });
      assert.equal(task.isError, undefined, text(task));
      assert.equal(task.structuredContent.state, 'fail');
      assert.equal(task.structuredContent.finished, true);
      assert.equal(task.structuredContent.current_stage, '');
      assert.deepEqual(task.structuredContent.error, {
        code: 'QuotaExceed.ElasticQuota',
        message: `Failed to create 1 of 2 ECS instance(s): the account's instance quota is ${inUse + 1} and ${inUse} were in use. Ask for a larger quota in Quota Center, or release instances you no longer need.`,
      });
      assert.deepEqual(
        task.structuredContent.stages.map((s: { state: string }) => s.state),
        ['fail'],
      );
      assert.deepEqual(
        task.structuredContent.events.filter((e: { level: string }) => e.level === 'Warning').map((e: { reason: string }) => e.reason),
        ['CreateInstancesFailed', 'cluster_scaleoutFailed'],
      );
      // The model gets the error first-hand, and the advice follows ACK: the pool goes on trying.
      assert.match(text(task), /: state fail\. Created [^\n]+\nError QuotaExceed\.ElasticQuota: Failed to create 1 of 2 ECS instance\(s\)/);
      assert.match(
        text(task),
        /\nWhat now: ACK keeps the node pool's expected size and retries in the background until the pool reaches it: .*do not call scale_nodepool again/,
      );
      assert.doesNotMatch(text(task), /still running|call again with wait_seconds/i);
      const listPool = async () => {
        const pools = await call(d.client, 'list_nodepools', { cluster_id: d.hangzhou.cluster_id });
        return pools.structuredContent.nodepools.find((p: { nodepool_id: string }) => p.nodepool_id === d.defaultPool.nodepool_id);
      };
      const short = await listPool();
      assert.deepEqual(
        { desired: short.desired_nodes, total: short.total_nodes, state: short.state },
        { desired: desired + 2, total: desired + 1, state: 'scaling' },
      );
      // Quota raised: the pool's own retries create the missing node and it is active again.
      const complete = once(store.steps, 'pool-complete');
      delete d.account.ecsInstanceQuota;
      assert.deepEqual(await complete, [d.defaultPool.nodepool_id]);
      const full = await listPool();
      assert.deepEqual(
        { desired: full.desired_nodes, total: full.total_nodes, state: full.state },
        { desired: desired + 2, total: desired + 2, state: 'active' },
      );
    } finally {
      delete d.account.ecsInstanceQuota;
    }
  });

  test('a wait does not end on a task state ACK does not document, and accepts the older `failed`', async () => {
    const scaled = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    assert.equal(scaled.isError, undefined, text(scaled));
    const record = store().tasks.get(scaled.structuredContent.task_id)!;
    store().held = true;
    (record as { state: string }).state = 'pending';
    const pending = await call(d.client, 'describe_task_info', {
      task_id: record.task_id,
      cluster_id: d.hangzhou.cluster_id,
      wait_seconds: 1,
    });
    assert.equal(pending.structuredContent.finished, false);
    assert.ok(pending.structuredContent.waited_seconds >= 1, 'the wait went on to its end');
    assert.match(text(pending), /State "pending" is not one ACK documents \(running, success, fail\): treated as not finished\./);
    (record as { state: string }).state = 'failed';
    const failed = await call(d.client, 'describe_task_info', {
      task_id: record.task_id,
      cluster_id: d.hangzhou.cluster_id,
      wait_seconds: 60,
    });
    assert.equal(failed.structuredContent.finished, true);
    assert.equal(failed.structuredContent.waited_seconds, 0);
    (record as { state: string }).state = 'running';
    store().held = false;
    const done = await call(d.client, 'describe_task_info', {
      task_id: record.task_id,
      cluster_id: d.hangzhou.cluster_id,
      wait_seconds: 60,
    });
    assert.equal(done.structuredContent.state, 'success', text(done));
  });
});

describe('diagnosis as ACK documents it', () => {
  test('a network diagnosis sends dport as a string and the protocol (SDK example, official ack-mcp-server)', async () => {
    const created = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_type: 'network',
      target: { src: '10.0.1.11', dst: '10.0.2.12', dport: 443, protocol: 'tcp' },
    });
    assert.equal(created.isError, undefined, text(created));
    assert.deepEqual(store().diagnoses.get(created.structuredContent.diagnosis_id)!.target, {
      src: '10.0.1.11',
      dst: '10.0.2.12',
      dport: '443',
      protocol: 'tcp',
    });
    const asString = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_type: 'network',
      target: { src: '10.0.1.11', dst: '10.0.2.12', dport: '8080' },
    });
    assert.equal(asString.isError, undefined, text(asString));
    const icmp = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_type: 'network',
      target: { src: '10.0.1.11', dst: '10.0.2.12', dport: '80', protocol: 'icmp' },
    });
    assert.equal(icmp.isError, true);
    assert.match(text(icmp), /protocol must be tcp or udp/);
  });

  test('without check items, a result of unknown layout is shown raw and labelled, never read as "no problems"', async () => {
    const created = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_type: 'service',
      target: { namespace: 'default', name: 'web' },
    });
    const id = created.structuredContent.diagnosis_id;
    const args = { cluster_id: d.hangzhou.cluster_id, diagnosis_id: id, wait_seconds: 60 };
    stack.emulator.faults.inject({ kind: 'server-error', action: 'GetClusterDiagnosisCheckItems', times: 50 });
    const tolerant = await call(d.client, 'get_cluster_diagnosis_result', args);
    assert.equal(tolerant.isError, undefined, text(tolerant));
    assert.equal(tolerant.structuredContent.findings_source, 'result (undocumented layout, read tolerantly)');
    assert.match(tolerant.structuredContent.check_items_error, /^InternalError: /);
    assert.match(text(tolerant), /Findings read from the result document \(layout undocumented by Alibaba\)/);
    store().diagnoses.get(id)!.result = JSON.stringify({ phase: 5, version: '20250101', report: { verdict: 'packet loss on eni-1' } });
    const raw = await call(d.client, 'get_cluster_diagnosis_result', args);
    stack.emulator.faults.clear();
    assert.equal(raw.structuredContent.findings_source, 'none');
    assert.deepEqual(raw.structuredContent.result, { phase: 5, version: '20250101', report: { verdict: 'packet loss on eni-1' } });
    assert.match(
      text(raw),
      /No check items could be read \(GetClusterDiagnosisCheckItems failed: InternalError: .*\)\. ACK's raw result follows; Alibaba does not document its layout:\n\{"phase":5,"version":"20250101","report":\{"verdict":"packet loss on eni-1"\}\}/,
    );
    assert.doesNotMatch(text(raw), /No problems found/);
  });
});

describe('a diagnosis in progress', () => {
  test('get_cluster_diagnosis_result sees created, then running, then completed', async () => {
    const store = lifecycleOf(stack.emulator.world);
    store.held = true;
    const created = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_type: 'service',
      target: { namespace: 'default', name: 'web' },
    });
    assert.equal(created.isError, undefined, text(created));
    const args = { cluster_id: d.hangzhou.cluster_id, diagnosis_id: created.structuredContent.diagnosis_id };
    const first = await call(d.client, 'get_cluster_diagnosis_result', args);
    assert.deepEqual([first.structuredContent.status, first.structuredContent.state], [0, 'created']);
    assert.match(text(first), /: created\.\nCall again with wait_seconds/);
    await advanceHeld(store);
    const second = await call(d.client, 'get_cluster_diagnosis_result', args);
    assert.deepEqual([second.structuredContent.status, second.structuredContent.state], [1, 'running']);
    assert.match(text(second), /: running \(running\)\./);
    assert.equal(second.structuredContent.succeeded, undefined, 'no verdict while running');
    store.held = false;
    const done = await call(d.client, 'get_cluster_diagnosis_result', { ...args, wait_seconds: 60 });
    assert.deepEqual(
      [done.structuredContent.status, done.structuredContent.state, done.structuredContent.succeeded],
      [2, 'completed', true],
    );
  });
});

describe('waiting', () => {
  test('describe_task_info streams progress notifications over SSE while it waits', async () => {
    const store = lifecycleOf(stack.emulator.world);
    store.held = true;
    const scaled = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = (await d.client.callTool(
      {
        name: 'describe_task_info',
        arguments: { task_id: scaled.structuredContent.task_id, cluster_id: d.hangzhou.cluster_id, wait_seconds: 60 },
      },
      undefined,
      {
        onprogress: (notification) => {
          progress.push(notification);
          store.held = false; // the task advances only after the first notification arrived
        },
      },
    )) as unknown as { structuredContent: { state: string } };
    assert.equal(result.structuredContent.state, 'success');
    assert.ok(progress.length >= 1);
    assert.equal(progress[0]!.total, 60);
    assert.match(progress[0]!.message ?? '', /task T-[0-9a-f]+ is running \(stage CreateInstances\)/);
    for (let i = 1; i < progress.length; i += 1) assert.ok(progress[i]!.progress > progress[i - 1]!.progress, 'progress increases');
  });

  test('without wait_seconds the answer comes at once and says how to wait', async () => {
    lifecycleOf(stack.emulator.world).held = true;
    const scaled = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    const now = await call(d.client, 'describe_task_info', {
      task_id: scaled.structuredContent.task_id,
      cluster_id: d.hangzhou.cluster_id,
    });
    assert.equal(now.structuredContent.state, 'running');
    assert.equal(now.structuredContent.finished, false);
    assert.equal(now.structuredContent.current_stage, 'CreateInstances');
    assert.deepEqual(
      now.structuredContent.stages.map((s: { name: string; state: string; message: string }) => [s.name, s.state, s.message]),
      [['CreateInstances', 'running', '']],
      "the running stage is named by the task's current_stage",
    );
    assert.match(text(now), /\n  1\. running CreateInstances \(started /);
    assert.match(text(now), /still running: call again with wait_seconds/);
    assert.equal(stack.emulator.callLog.of('DescribeTaskInfo').length, 1);
    lifecycleOf(stack.emulator.world).held = false;
    const done = await call(d.client, 'describe_task_info', {
      task_id: scaled.structuredContent.task_id,
      cluster_id: d.hangzhou.cluster_id,
      wait_seconds: 60,
    });
    assert.equal(done.structuredContent.state, 'success');
  });
});

describe('busy node pools and prepaid nodes', () => {
  test("list_nodepools passes ACK's pool states through: `removing` while nodes are removed (SDK: active, scaling, removing, deleting, updating)", async () => {
    store().held = true;
    const node = poolNodes(d.hangzhou, d.defaultPool).find((candidate) => candidate.state === 'running')!;
    const removal = await call(d.client, 'remove_nodepool_nodes', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      instance_ids: [node.instance_id],
    });
    assert.equal(removal.isError, undefined, text(removal));
    const pools = await call(d.client, 'list_nodepools', { cluster_id: d.hangzhou.cluster_id });
    const pool = pools.structuredContent.nodepools.find((p: { nodepool_id: string }) => p.nodepool_id === d.defaultPool.nodepool_id);
    assert.equal(pool.state, 'removing');
    store().held = false;
    const done = await call(d.client, 'describe_task_info', {
      task_id: removal.structuredContent.task_id,
      cluster_id: d.hangzhou.cluster_id,
      wait_seconds: 60,
    });
    assert.equal(done.structuredContent.state, 'success', text(done));
  });

  test("a second operation on a pool with a running task gets ACK's conflict and changes nothing", async () => {
    const store = lifecycleOf(stack.emulator.world);
    store.held = true;
    const first = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    assert.equal(first.isError, undefined, text(first));
    const desired = d.defaultPool.desired_size;
    const second = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    assert.equal(second.isError, true);
    assert.match(text(second), /Error ErrorNodePoolStateConflict: .*still running/);
    assert.match(text(second), /Hint: Another operation is still running on this node pool\. Nothing was changed/);
    const someNode = poolNodes(d.hangzhou, d.defaultPool).find((node) => node.state === 'running')!;
    const removal = await call(d.client, 'remove_nodepool_nodes', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      instance_ids: [someNode.instance_id],
    });
    assert.match(text(removal), /ErrorNodePoolStateConflict/);
    assert.equal(d.defaultPool.desired_size, desired);
    assert.equal(stack.emulator.callLog.of('ScaleClusterNodePool').length, 2, 'each write was sent once');
    store.held = false;
    await call(d.client, 'describe_task_info', {
      task_id: first.structuredContent.task_id,
      cluster_id: d.hangzhou.cluster_id,
      wait_seconds: 60,
    });
  });

  test('removing a prepaid node with release_node=true removes it from the pool but never releases it, and says so', async () => {
    const gpuNode = poolNodes(d.hangzhou, d.gpuPool)[0]!;
    assert.equal(gpuNode.instance_charge_type, 'PrePaid');
    const removed = await call(d.client, 'remove_nodepool_nodes', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.gpuPool.nodepool_id,
      instance_ids: [gpuNode.instance_id],
      release_node: true,
      drain_node: false,
    });
    assert.equal(removed.isError, undefined, text(removed));
    assert.deepEqual(removed.structuredContent.prepaid_instance_ids, [gpuNode.instance_id]);
    assert.match(text(removed), new RegExp(`except prepaid ones, which are never released: ${gpuNode.instance_id}`));
    assert.match(text(removed), /Pods are NOT drained first/);
    const task = await call(d.client, 'describe_task_info', {
      task_id: removed.structuredContent.task_id,
      cluster_id: d.hangzhou.cluster_id,
      wait_seconds: 60,
    });
    assert.equal(task.structuredContent.state, 'success');
    assert.deepEqual(
      task.structuredContent.stages.map((s: { message: string }) => s.message),
      [
        'removed 1 node(s) from the cluster; the ECS instances were kept',
        `released 0 instance(s); 1 prepaid instance(s) kept: ${gpuNode.instance_id}`,
      ],
    );
    assert.match(
      text(task),
      new RegExp(`InstanceNotReleased: instance ${gpuNode.instance_id} is prepaid \\(subscription\\) and was not released`),
    );
    assert.equal(poolNodes(d.hangzhou, d.gpuPool).length, 0);
  });
});
