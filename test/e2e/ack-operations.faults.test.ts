/**
 * Faults on the ACK operation tools. Reads retry throttling and 5xx. Writes retry only a
 * throttling rejection (provably before the operation) and are otherwise never sent twice:
 * a 5xx or a timeout after the request was sent answers "outcome unknown" with how to check.
 * The emulator's call log proves how often each write reached ACK.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Stack } from '../support/stack.ts';
import { lifecycleOf } from '../emulator/cs/lifecycle/index.ts';
import { call, demo, poolNodes, startAckStack, text, type Demo } from './ack-operations.helpers.ts';

let stack: Stack;
let d: Demo;

before(async () => {
  stack = await startAckStack();
  d = await demo(stack);
});
after(() => stack.close());
beforeEach(() => {
  stack.emulator.callLog.clear();
  stack.emulator.faults.clear();
});

function summary(action: string): string[] {
  return stack.emulator.callLog.of(action).map((record) => `${record.status}${record.fault ? ` ${record.fault}` : ''}`);
}

async function finishTask(taskId: string): Promise<void> {
  const done = await call(d.client, 'describe_task_info', { task_id: taskId, cluster_id: d.hangzhou.cluster_id, wait_seconds: 60 });
  assert.equal(done.structuredContent.state, 'success');
}

describe('reads retry throttling and 5xx', () => {
  test('describe_task_info through throttling and a 500', async () => {
    const scaled = await call(d.client, 'scale_nodepool', { cluster_id: d.hangzhou.cluster_id, nodepool_id: d.defaultPool.nodepool_id, count: 1 });
    stack.emulator.faults.inject({ kind: 'throttle', action: 'DescribeTaskInfo' });
    stack.emulator.faults.inject({ kind: 'server-error', action: 'DescribeTaskInfo' });
    const result = await call(d.client, 'describe_task_info', { task_id: scaled.structuredContent.task_id, cluster_id: d.hangzhou.cluster_id });
    assert.equal(result.isError, undefined, text(result));
    assert.deepEqual(summary('DescribeTaskInfo'), ['400 Throttling.User', '500 InternalError', '200']);
    await finishTask(scaled.structuredContent.task_id);
  });

  test('get_cluster_diagnosis_result through a 503', async () => {
    const created = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_type: 'service',
      target: { namespace: 'default', name: 'web' },
    });
    stack.emulator.callLog.clear();
    stack.emulator.faults.inject({ kind: 'service-unavailable', action: 'GetClusterDiagnosisResult' });
    const result = await call(d.client, 'get_cluster_diagnosis_result', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_id: created.structuredContent.diagnosis_id,
      wait_seconds: 60,
    });
    assert.equal(result.structuredContent.state, 'completed');
    assert.deepEqual(summary('GetClusterDiagnosisResult').slice(0, 2), ['503 ServiceUnavailable', '200']);
  });

  test('the membership check of remove_nodepool_nodes through throttling', async () => {
    stack.emulator.faults.inject({ kind: 'throttle', action: 'DescribeClusterNodes', times: 2 });
    const node = poolNodes(d.hangzhou, d.defaultPool).find((n) => n.state === 'running')!;
    const removed = await call(d.client, 'remove_nodepool_nodes', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      instance_ids: [node.instance_id],
    });
    assert.equal(removed.isError, undefined, text(removed));
    assert.deepEqual(summary('DescribeClusterNodes'), ['400 Throttling.User', '400 Throttling.User', '200']);
    assert.deepEqual(summary('RemoveNodePoolNodes'), ['200']);
    await finishTask(removed.structuredContent.task_id);
  });
});

describe('writes', () => {
  test('throttled scale_nodepool is retried and applied exactly once', async () => {
    const store = lifecycleOf(stack.emulator.world);
    const tasksBefore = store.tasks.size;
    const desired = d.defaultPool.desired_size;
    stack.emulator.faults.inject({ kind: 'throttle', action: 'ScaleClusterNodePool', times: 2 });
    const scaled = await call(d.client, 'scale_nodepool', { cluster_id: d.hangzhou.cluster_id, nodepool_id: d.defaultPool.nodepool_id, count: 2 });
    assert.equal(scaled.isError, undefined, text(scaled));
    assert.deepEqual(summary('ScaleClusterNodePool'), ['400 Throttling.User', '400 Throttling.User', '200']);
    assert.equal(store.tasks.size, tasksBefore + 1, 'one task');
    assert.equal(d.defaultPool.desired_size, desired + 2, 'scaled by 2, once');
    await finishTask(scaled.structuredContent.task_id);
  });

  test('scale_nodepool answered with a 500 is NOT re-sent: outcome unknown, with how to check', async () => {
    stack.emulator.faults.inject({ kind: 'server-error', action: 'ScaleClusterNodePool', times: 5 });
    const desired = d.defaultPool.desired_size;
    const result = await call(d.client, 'scale_nodepool', { cluster_id: d.hangzhou.cluster_id, nodepool_id: d.defaultPool.nodepool_id, count: 1 });
    assert.equal(result.isError, true);
    assert.match(text(result), /^Error OutcomeUnknown: The request to add 1 node\(s\) to node pool np\w+ of cluster c\w+ was sent, but Alibaba Cloud answered HTTP 500 \(InternalError\)\. It may or may not have been applied, so it was NOT retried\./);
    assert.match(text(result), new RegExp(`Hint: Do not repeat it blindly\\. Call list_nodepools .* desired size of ${desired + 1} \\(it was ${desired}\\)`));
    assert.deepEqual(summary('ScaleClusterNodePool'), ['500 InternalError'], 'sent exactly once');
  });

  test('remove_nodepool_nodes answered with a 503 is NOT re-sent', async () => {
    stack.emulator.faults.inject({ kind: 'service-unavailable', action: 'RemoveNodePoolNodes', times: 5 });
    const node = poolNodes(d.hangzhou, d.defaultPool).find((n) => n.state === 'running')!;
    const result = await call(d.client, 'remove_nodepool_nodes', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      instance_ids: [node.instance_id],
    });
    assert.match(text(result), /^Error OutcomeUnknown: The request to remove 1 node\(s\) .* HTTP 503 .*NOT retried/);
    assert.match(text(result), /Hint: Do not repeat it blindly\. Call list_nodes with cluster_id/);
    assert.deepEqual(summary('RemoveNodePoolNodes'), ['503 ServiceUnavailable'], 'sent exactly once');
  });

  test('create_cluster_diagnosis answered with a 500 is NOT re-sent', async () => {
    stack.emulator.faults.inject({ kind: 'server-error', action: 'CreateClusterDiagnosis', times: 5 });
    const result = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_type: 'ingress',
      target: { url: 'https://shop.example.com/' },
    });
    assert.match(text(result), /^Error OutcomeUnknown: /);
    assert.deepEqual(summary('CreateClusterDiagnosis'), ['500 InternalError']);
  });
});

describe('a timeout after the write was sent', () => {
  let slow: Stack;
  let s: Demo;
  before(async () => {
    slow = await startAckStack({ UPSTREAM_READ_TIMEOUT_MS: '400', UPSTREAM_CONNECT_TIMEOUT_MS: '200' });
    s = await demo(slow);
  });
  after(() => slow.close());

  test('scale_nodepool: outcome unknown; the scale-out was applied once and list_nodepools shows it', async () => {
    const pool = s.defaultPool;
    const desired = pool.desired_size;
    // The emulator runs the operation, then holds the answer past the server's read timeout.
    slow.emulator.faults.inject({ kind: 'slow', action: 'ScaleClusterNodePool', delayMs: 3_000 });
    const result = await call(s.client, 'scale_nodepool', { cluster_id: s.hangzhou.cluster_id, nodepool_id: pool.nodepool_id, count: 3 });

    assert.equal(result.isError, true);
    assert.match(text(result), /^Error OutcomeUnknown: The request to add 3 node\(s\) .* was sent, but no answer arrived in time\. It may or may not have been applied, so it was NOT retried\./);
    assert.match(text(result), /list_nodepools/);
    // The emulator logs a slow call once its held answer is written: wait for it (bounded).
    for (let i = 0; i < 200 && slow.emulator.callLog.of('ScaleClusterNodePool').length === 0; i += 1) await delay(25);
    const sent = slow.emulator.callLog.of('ScaleClusterNodePool');
    assert.equal(sent.length, 1, 'sent exactly once');
    assert.equal(sent[0]!.fault, 'slow');
    assert.equal(pool.desired_size, desired + 3, 'applied once');
    const check = await call(s.client, 'list_nodepools', { cluster_id: s.hangzhou.cluster_id });
    assert.equal(check.structuredContent.nodepools.find((p: { nodepool_id: string }) => p.nodepool_id === pool.nodepool_id).desired_nodes, desired + 3);
    assert.equal(slow.emulator.callLog.of('ScaleClusterNodePool').length, 1, 'still exactly once');
  });
});
