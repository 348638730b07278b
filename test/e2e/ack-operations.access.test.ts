/**
 * Read-only mode and read-only tokens: the mutating ACK operation tools are absent from
 * tools/list and refused when called anyway, before any upstream call; the reads still work.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callerHeaders, type Stack } from '../support/stack.ts';
import { actions, call, demo, startAckStack, text, type Demo } from './ack-operations.helpers.ts';

const MUTATING = ['scale_nodepool', 'remove_nodepool_nodes', 'create_cluster_diagnosis'];
const READS = ['describe_task_info', 'get_cluster_diagnosis_result'];
const VIEWER_TOKEN = 'viewer-token-0123456789abcdef';
const OPS_TOKEN = 'ops-token-0123456789abcdef01';

async function assertRefused(stack: Stack, d: Demo, client: Demo['client'], who: RegExp): Promise<void> {
  stack.emulator.callLog.clear();
  const desired = d.defaultPool.desired_size;
  const scale = await call(client, 'scale_nodepool', {
    cluster_id: d.hangzhou.cluster_id,
    nodepool_id: d.defaultPool.nodepool_id,
    count: 1,
  });
  assert.equal(scale.isError, true);
  assert.match(text(scale), /^Error ReadOnlyMode: scale_nodepool changes the cluster and this /);
  assert.match(text(scale), who);
  assert.match(text(scale), /Nothing was changed/);
  const remove = await call(client, 'remove_nodepool_nodes', {
    cluster_id: d.hangzhou.cluster_id,
    nodepool_id: d.defaultPool.nodepool_id,
    instance_ids: [d.hangzhou.nodes[0]!.instance_id],
  });
  assert.match(text(remove), /^Error ReadOnlyMode: /);
  const diagnose = await call(client, 'create_cluster_diagnosis', {
    cluster_id: d.hangzhou.cluster_id,
    diagnosis_type: 'node',
    target: { name: 'x' },
  });
  assert.match(text(diagnose), /^Error ReadOnlyMode: /);
  assert.deepEqual(actions(stack), [], 'nothing reached Alibaba Cloud');
  assert.equal(d.defaultPool.desired_size, desired);
}

describe('ACCESS_MODE=read-only', () => {
  let stack: Stack;
  let d: Demo;
  before(async () => {
    stack = await startAckStack({ ACCESS_MODE: 'read-only' });
    d = await demo(stack);
  });
  after(() => stack.close());

  test('the mutating tools are absent; the task and diagnosis reads are listed', async () => {
    const names = (await d.client.listTools()).tools.map((tool) => tool.name);
    for (const name of MUTATING) assert.ok(!names.includes(name), `${name} hidden`);
    for (const name of READS) assert.ok(names.includes(name), `${name} listed`);
  });

  test('calling them anyway is refused before any API call', async () => {
    await assertRefused(stack, d, d.client, /this server is read-only/);
  });

  test('reads still reach ACK', async () => {
    const result = await call(d.client, 'describe_task_info', { task_id: 'T-000000000000000000000000', cluster_id: d.hangzhou.cluster_id });
    assert.match(text(result), /ErrorTaskNotFound/);
  });
});

describe('a read-only token on a read-write server', () => {
  let stack: Stack;
  let d: Demo;
  before(async () => {
    stack = await startAckStack({ MCP_AUTH_TOKENS: `viewer:${VIEWER_TOKEN}:read-only,ops:${OPS_TOKEN}` });
    d = await demo(stack);
  });
  after(() => stack.close());

  test('the viewer sees no mutating tool and is refused; the ops token may scale', async () => {
    const key = callerHeaders(d.account.accessKeys[0]!);
    const viewer = await stack.client({ ...key, authorization: `Bearer ${VIEWER_TOKEN}` });
    const ops = await stack.client({ ...key, authorization: `Bearer ${OPS_TOKEN}` });
    const viewerNames = (await viewer.listTools()).tools.map((tool) => tool.name);
    for (const name of MUTATING) assert.ok(!viewerNames.includes(name), `${name} hidden from the viewer`);
    const opsNames = (await ops.listTools()).tools.map((tool) => tool.name);
    for (const name of MUTATING) assert.ok(opsNames.includes(name), `${name} listed for ops`);
    const scaleTool = (await ops.listTools()).tools.find((tool) => tool.name === 'scale_nodepool')!;
    assert.deepEqual(
      { ...scaleTool.annotations, title: undefined },
      { title: undefined, readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    );
    // Starting a diagnosis is additive (MCP: not destructive) but not read-only, so it is absent above.
    const diagnosisTool = (await ops.listTools()).tools.find((tool) => tool.name === 'create_cluster_diagnosis')!;
    assert.deepEqual(
      { ...diagnosisTool.annotations, title: undefined },
      { title: undefined, readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    );
    assert.match(diagnosisTool.description ?? '', /^Start a diagnosis job in the cluster: /);
    await assertRefused(stack, d, viewer, /this token is read-only/);
    const scaled = await call(ops, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    assert.equal(scaled.isError, undefined, text(scaled));
    assert.equal(stack.emulator.callLog.of('ScaleClusterNodePool').length, 1);
  });
});
