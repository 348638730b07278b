/**
 * DEFAULT_REGION (the Python servers' ALIYUN_REGION / REGION_ID): the region of calls that name neither a cluster
 * nor a region. An argument, X-Aliyun-Region and a cluster's own region all come first; list_clusters still lists
 * every region.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { lifecycleOf } from '../emulator/cs/lifecycle/index.ts';
import { callerHeaders, type Stack } from '../support/stack.ts';
import { call, demo, startAckStack, text, type Demo } from './ack-operations.helpers.ts';

let stack: Stack;
let d: Demo;
let taskId: string;

before(async () => {
  stack = await startAckStack({ DEFAULT_REGION: 'cn-hangzhou' });
  d = await demo(stack);
  lifecycleOf(stack.emulator.world).held = true;
  const scaled = await call(d.client, 'scale_nodepool', {
    cluster_id: d.hangzhou.cluster_id,
    nodepool_id: d.defaultPool.nodepool_id,
    count: 1,
  });
  assert.equal(scaled.isError, undefined, text(scaled));
  taskId = scaled.structuredContent.task_id;
});
after(() => stack.close());
beforeEach(() => stack.emulator.callLog.clear());

const taskEndpoints = () => stack.emulator.callLog.of('DescribeTaskInfo').map((record) => record.endpoint);

describe('DEFAULT_REGION', () => {
  test("a task looked up by id alone goes to the default region's endpoint, where it is found", async () => {
    const result = await call(d.client, 'describe_task_info', { task_id: taskId });
    assert.equal(result.isError, undefined, text(result));
    assert.equal(result.structuredContent.task_id, taskId);
    assert.deepEqual(taskEndpoints(), ['cn-hangzhou']);
  });

  test('X-Aliyun-Region and the region argument come before it', async () => {
    const viaHeader = await stack.client({ ...callerHeaders(d.account.accessKeys[0]!), 'x-aliyun-region': 'cn-beijing' });
    const fromHeader = await call(viaHeader, 'describe_task_info', { task_id: taskId });
    assert.match(text(fromHeader), /Error ErrorTaskNotFound: /);
    const fromArgument = await call(d.client, 'describe_task_info', { task_id: taskId, region: 'cn-beijing' });
    assert.match(text(fromArgument), /Error ErrorTaskNotFound: /);
    assert.deepEqual(taskEndpoints(), ['cn-beijing', 'cn-beijing']);
  });

  test("a cluster id still finds the cluster's own region", async () => {
    const beijing = d.account.clusters.find((cluster) => cluster.region_id === 'cn-beijing')!;
    const result = await call(d.client, 'list_nodepools', { cluster_id: beijing.cluster_id });
    assert.equal(result.isError, undefined, text(result));
    assert.equal(result.structuredContent.region_id, 'cn-beijing');
    assert.deepEqual(
      stack.emulator.callLog.of('DescribeClusterNodePools').map((record) => record.endpoint),
      ['cn-beijing'],
    );
  });

  test('is not a filter: list_clusters still lists the clusters of every region', async () => {
    const result = await call(d.client, 'list_clusters', {});
    assert.equal(result.isError, undefined, text(result));
    assert.deepEqual(
      new Set(result.structuredContent.clusters.map((cluster: { region_id: string }) => cluster.region_id)),
      new Set(['cn-hangzhou', 'cn-beijing']),
    );
    assert.deepEqual(
      stack.emulator.callLog.of('DescribeClustersV1').map((record) => record.endpoint),
      ['central'],
    );
  });
});
