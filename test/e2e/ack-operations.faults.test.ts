/**
 * Faults on the ACK operation tools. Reads retry throttling, 5xx and answers they cannot read.
 * Writes retry only a throttling rejection (provably before the operation) and are otherwise
 * never sent twice: a 5xx, an unreadable answer or a timeout after the request was sent answers
 * "outcome unknown" with how to check. The emulator's call log proves how often each write
 * reached ACK; after every test, no write has reached it more than once without a throttling refusal.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Stack } from '../support/stack.ts';
import { lifecycleOf } from '../emulator/cs/lifecycle/index.ts';
import type { FaultKind } from '../emulator/faults.ts';
import { call, demo, poolNodes, startAckStack, text, type Demo } from './ack-operations.helpers.ts';

const WRITES = ['ScaleClusterNodePool', 'RemoveNodePoolNodes', 'CreateClusterDiagnosis'];

let stack: Stack;
let d: Demo;
/** The stack whose ACK answers slowly (see the last suite), once started. */
let slow: Stack | undefined;
/** Every write the emulator received in this file: test name → action → answers. */
const writesSeen: Array<{ test: string; action: string; answers: string[] }> = [];

before(async () => {
  stack = await startAckStack();
  d = await demo(stack);
});
after(async () => {
  const sends = writesSeen.map((w) => `${w.action}: ${w.answers.join(', ')}`);
  console.log(`writes in the fault tests (${sends.length} tool calls that wrote): ${sends.join(' | ')}`);
  await stack.close();
});
/** Where this test's log lines start. */
let logMark = 0;
beforeEach(() => {
  stack.emulator.callLog.clear();
  stack.emulator.faults.clear();
  logMark = stack.logs.length;
});
afterEach((t) => {
  for (const [action, answers] of WRITES.flatMap((name) =>
    [stack, slow].filter((s) => s !== undefined).map((s) => [name, summary(name, s)] as const),
  )) {
    if (answers.length === 0) continue;
    writesSeen.push({ test: t.name, action, answers });
    const applied = answers.filter((answer) => !answer.startsWith('400 Throttling.User'));
    assert.ok(applied.length <= 1, `${t.name}: ${action} reached ACK more than once without a throttling refusal: ${answers.join(', ')}`);
  }
  const bugs = stack.logs.slice(logMark).filter((line) => line.includes('"unexpected_tool_error"'));
  assert.deepEqual(bugs, [], 'no fault is logged as a bug');
});

function summary(action: string, on: Stack = stack): string[] {
  return on.emulator.callLog.of(action).map((record) => `${record.status}${record.fault ? ` ${record.fault}` : ''}`);
}

async function finishTask(taskId: string): Promise<void> {
  const done = await call(d.client, 'describe_task_info', { task_id: taskId, cluster_id: d.hangzhou.cluster_id, wait_seconds: 60 });
  assert.equal(done.structuredContent.state, 'success');
}

describe('reads retry throttling and 5xx', () => {
  test('describe_task_info through throttling and a 500', async () => {
    const scaled = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    stack.emulator.faults.inject({ kind: 'throttle', action: 'DescribeTaskInfo' });
    stack.emulator.faults.inject({ kind: 'server-error', action: 'DescribeTaskInfo' });
    const result = await call(d.client, 'describe_task_info', {
      task_id: scaled.structuredContent.task_id,
      cluster_id: d.hangzhou.cluster_id,
    });
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

describe('reads retry answers they cannot read', () => {
  for (const kind of ['html-502', 'empty-504', 'garbled-200', 'wrong-shape-200'] as const) {
    test(`list_nodepools through a ${kind}`, async () => {
      stack.emulator.faults.inject({ kind, action: 'DescribeClusterNodePools' });
      const result = await call(d.client, 'list_nodepools', { cluster_id: d.hangzhou.cluster_id });
      assert.equal(result.isError, undefined, text(result));
      assert.equal(result.structuredContent.nodepools.length, 2);
      assert.deepEqual(summary('DescribeClusterNodePools'), [`${kind.endsWith('200') ? 200 : kind.slice(-3)} ${kind}`, '200']);
    });
  }

  test('describe_task_info through an HTML 502 and an empty 504', async () => {
    const scaled = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    stack.emulator.faults.inject({ kind: 'html-502', action: 'DescribeTaskInfo' });
    stack.emulator.faults.inject({ kind: 'empty-504', action: 'DescribeTaskInfo' });
    const result = await call(d.client, 'describe_task_info', {
      task_id: scaled.structuredContent.task_id,
      cluster_id: d.hangzhou.cluster_id,
    });
    assert.equal(result.isError, undefined, text(result));
    assert.deepEqual(summary('DescribeTaskInfo'), ['502 html-502', '504 empty-504', '200']);
    await finishTask(scaled.structuredContent.task_id);
  });

  test('an answer that stays unreadable ends, after the bound, in UpstreamBadResponse', async () => {
    stack.emulator.faults.inject({ kind: 'garbled-200', action: 'DescribeClusterNodes', times: 50 });
    const result = await call(d.client, 'list_nodes', { cluster_id: d.hangzhou.cluster_id });
    assert.equal(result.isError, true);
    assert.match(
      text(result),
      /^Error UpstreamBadResponse: Alibaba Cloud's answer could not be read \(not JSON: .*\); asked 4 times\.\nHint: Retry shortly/,
    );
    assert.equal(stack.emulator.callLog.of('DescribeClusterNodes').length, 4, 'first attempt + 3 retries');
  });

  test('a 400 without an error code is not retried, and says what the body said', async () => {
    stack.emulator.faults.inject({ kind: 'codeless-400', action: 'DescribeClusterNodes', times: 5 });
    const result = await call(d.client, 'list_nodes', { cluster_id: d.hangzhou.cluster_id });
    assert.match(text(result), /^Error Upstream400: Alibaba Cloud answered HTTP 400 without an error code: weird\n/);
    assert.deepEqual(summary('DescribeClusterNodes'), ['400 codeless-400']);
  });
});

describe('writes', () => {
  test('throttled scale_nodepool is retried and applied exactly once', async () => {
    const store = lifecycleOf(stack.emulator.world);
    const tasksBefore = store.tasks.size;
    const desired = d.defaultPool.desired_size;
    stack.emulator.faults.inject({ kind: 'throttle', action: 'ScaleClusterNodePool', times: 2 });
    const scaled = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 2,
    });
    assert.equal(scaled.isError, undefined, text(scaled));
    assert.deepEqual(summary('ScaleClusterNodePool'), ['400 Throttling.User', '400 Throttling.User', '200']);
    assert.equal(store.tasks.size, tasksBefore + 1, 'one task');
    assert.equal(d.defaultPool.desired_size, desired + 2, 'scaled by 2, once');
    await finishTask(scaled.structuredContent.task_id);
  });

  test('scale_nodepool answered with a 500 is NOT re-sent: outcome unknown, with how to check', async () => {
    stack.emulator.faults.inject({ kind: 'server-error', action: 'ScaleClusterNodePool', times: 5 });
    const desired = d.defaultPool.desired_size;
    const result = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    assert.equal(result.isError, true);
    assert.match(
      text(result),
      /^Error OutcomeUnknown: The request to add 1 node\(s\) to node pool np\w+ of cluster c\w+ was sent, but Alibaba Cloud answered HTTP 500 \(InternalError\)\. It may or may not have been applied, so it was NOT retried\./,
    );
    assert.match(
      text(result),
      new RegExp(`Hint: Do not repeat it blindly\\. Call list_nodepools .* desired size of ${desired + 1} \\(it was ${desired}\\)`),
    );
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

  test('throttled on every attempt: sent exactly maxRetries+1 times, each refused with a 400, and the answer says nothing changed', async () => {
    stack.emulator.faults.inject({ kind: 'throttle', action: 'ScaleClusterNodePool', times: 50 });
    const desired = d.defaultPool.desired_size;
    const tasks = lifecycleOf(stack.emulator.world).tasks.size;
    const result = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    assert.equal(result.isError, true);
    assert.match(
      text(result),
      /^Error Throttling\.User: Alibaba Cloud refused to add 1 node\(s\) to node pool np\w+ of cluster c\w+ 4 times: it throttled the request \(Request was denied due to user flow control\.\)\. Throttling refuses a request before it runs, so nothing was changed\./,
    );
    assert.deepEqual(summary('ScaleClusterNodePool'), Array(4).fill('400 Throttling.User'), 'UPSTREAM_MAX_RETRIES=3: 1 + 3 sends');
    assert.equal(d.defaultPool.desired_size, desired);
    assert.equal(lifecycleOf(stack.emulator.world).tasks.size, tasks);
  });

  const unreadable: Array<[FaultKind, number, boolean, RegExp]> = [
    ['html-502', 502, false, /the answer could not be read \(not JSON: Unexpected token '<'/],
    ['empty-504', 504, true, /the answer could not be read \(an empty or cut-off body\)/],
    ['garbled-200', 200, true, /the answer could not be read \((not JSON|an empty or cut-off body)/],
    ['wrong-shape-200', 200, true, /the answer could not be read \(not the documented shape: /],
    ['codeless-400', 400, false, /Alibaba Cloud answered HTTP 400 without an error code \("weird"\)/],
  ];
  for (const [kind, status, applied, pattern] of unreadable) {
    test(`scale_nodepool answered with a ${kind} is sent once: outcome unknown (it was ${applied ? '' : 'not '}applied)`, async () => {
      stack.emulator.faults.inject({ kind, action: 'ScaleClusterNodePool', times: 5 });
      const desired = d.defaultPool.desired_size;
      const result = await call(d.client, 'scale_nodepool', {
        cluster_id: d.hangzhou.cluster_id,
        nodepool_id: d.defaultPool.nodepool_id,
        count: 2,
      });
      assert.equal(result.isError, true);
      assert.match(text(result), /^Error OutcomeUnknown: The request to add 2 node\(s\) to node pool np\w+ of cluster c\w+ was sent, but /);
      assert.match(text(result), pattern);
      assert.match(
        text(result),
        /It may or may not have been applied, so it was NOT retried\.\nHint: Do not repeat it blindly\. Call list_nodepools/,
      );
      assert.deepEqual(summary('ScaleClusterNodePool'), [`${status} ${kind}`], 'sent exactly once');
      assert.equal(d.defaultPool.desired_size, desired + (applied ? 2 : 0));
      if (applied) {
        const task = [...lifecycleOf(stack.emulator.world).tasks.values()].at(-1)!;
        await finishTask(task.task_id);
      }
    });
  }

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
  let s: Demo;
  before(async () => {
    slow = await startAckStack({ UPSTREAM_READ_TIMEOUT_MS: '400', UPSTREAM_CONNECT_TIMEOUT_MS: '200' });
    s = await demo(slow);
  });
  after(() => slow?.close());

  test('scale_nodepool: outcome unknown; the scale-out was applied once and list_nodepools shows it', async () => {
    const pool = s.defaultPool;
    const desired = pool.desired_size;
    // The emulator runs the operation, then holds the answer far past the server's read timeout (until it closes).
    slow!.emulator.faults.inject({ kind: 'slow', action: 'ScaleClusterNodePool', delayMs: 30_000 });
    const result = await call(s.client, 'scale_nodepool', { cluster_id: s.hangzhou.cluster_id, nodepool_id: pool.nodepool_id, count: 3 });
    const on = slow!;

    assert.equal(result.isError, true);
    assert.match(
      text(result),
      /^Error OutcomeUnknown: The request to add 3 node\(s\) .* was sent, but no answer arrived in time\. It may or may not have been applied, so it was NOT retried\./,
    );
    assert.match(text(result), /list_nodepools/);
    // The call log records a call when it arrives: the held answer has not been written yet.
    const sent = on.emulator.callLog.of('ScaleClusterNodePool');
    assert.equal(sent.length, 1, 'sent exactly once');
    assert.equal(sent[0]!.fault, 'slow');
    assert.equal(sent[0]!.status, 0, 'no answer written yet');
    assert.equal(pool.desired_size, desired + 3, 'applied once');
    const check = await call(s.client, 'list_nodepools', { cluster_id: s.hangzhou.cluster_id });
    assert.equal(
      check.structuredContent.nodepools.find((p: { nodepool_id: string }) => p.nodepool_id === pool.nodepool_id).desired_nodes,
      desired + 3,
    );
    assert.equal(on.emulator.callLog.of('ScaleClusterNodePool').length, 1, 'still exactly once');
  });
});
