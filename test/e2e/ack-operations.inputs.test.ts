/**
 * Bad inputs to the ACK operation tools: bounds and id shapes are refused before any API call,
 * instances from another pool are named and nothing is removed, unknown tasks and another
 * account's clusters and tasks are not found.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, type Stack } from '../support/stack.ts';
import { lifecycleOf } from '../emulator/cs/lifecycle/index.ts';
import { actions, call, demo, poolNodes, startAckStack, text, type Demo } from './ack-operations.helpers.ts';

let stack: Stack;
let d: Demo;
let otherClient: Client;

before(async () => {
  stack = await startAckStack();
  d = await demo(stack);
  otherClient = await stack.client(callerHeaders(d.other.accessKeys[0]!));
});
after(() => stack.close());
beforeEach(() => stack.emulator.callLog.clear());

/** Asserts an InvalidArguments refusal that reached no API. */
function assertRefusedBeforeAnyCall(result: { isError?: boolean; content: Array<{ text: string }> }, pattern: RegExp): void {
  assert.equal(result.isError, true);
  assert.match(text(result as never), /^Error InvalidArguments: /);
  assert.match(text(result as never), pattern);
  assert.match(text(result as never), /Nothing was sent to Alibaba Cloud/);
  assert.deepEqual(actions(stack), [], 'no upstream call was made');
}

describe('bounds and id shapes are enforced before any API call', () => {
  for (const count of [0, 501, 2.5]) {
    test(`scale_nodepool count ${count}`, async () => {
      const result = await call(d.client, 'scale_nodepool', {
        cluster_id: d.hangzhou.cluster_id,
        nodepool_id: d.defaultPool.nodepool_id,
        count,
      });
      assertRefusedBeforeAnyCall(result, /count: /);
    });
  }

  test('ids of the wrong shape', async () => {
    assertRefusedBeforeAnyCall(
      await call(d.client, 'scale_nodepool', { cluster_id: 'prod-hangzhou', nodepool_id: d.defaultPool.nodepool_id, count: 1 }),
      /cluster_id: must be an ACK cluster id/,
    );
    assertRefusedBeforeAnyCall(
      await call(d.client, 'scale_nodepool', { cluster_id: d.hangzhou.cluster_id, nodepool_id: 'default-nodepool', count: 1 }),
      /nodepool_id: must be a node pool id/,
    );
    assertRefusedBeforeAnyCall(
      await call(d.client, 'remove_nodepool_nodes', {
        cluster_id: d.hangzhou.cluster_id,
        nodepool_id: d.defaultPool.nodepool_id,
        instance_ids: ['10.0.1.11'],
      }),
      /instance_ids\.0: must be an ECS instance id/,
    );
    assertRefusedBeforeAnyCall(
      await call(d.client, 'describe_task_info', { task_id: '5faa48fb31b6b8078d000006' }),
      /task_id: must be an ACK task id/,
    );
    assertRefusedBeforeAnyCall(
      await call(d.client, 'get_cluster_diagnosis_result', { cluster_id: d.hangzhou.cluster_id, diagnosis_id: '../x' }),
      /diagnosis_id: must be a diagnosis id/,
    );
  });

  test('instance_ids: 1 to 100', async () => {
    const base = { cluster_id: d.hangzhou.cluster_id, nodepool_id: d.defaultPool.nodepool_id };
    assertRefusedBeforeAnyCall(await call(d.client, 'remove_nodepool_nodes', { ...base, instance_ids: [] }), /instance_ids: /);
    const many = Array.from({ length: 101 }, (_, i) => `i-bp1${String(i).padStart(17, '0')}`);
    assertRefusedBeforeAnyCall(await call(d.client, 'remove_nodepool_nodes', { ...base, instance_ids: many }), /instance_ids: /);
  });

  test('wait_seconds is bounded', async () => {
    assertRefusedBeforeAnyCall(
      await call(d.client, 'describe_task_info', { task_id: 'T-5faa48fb31b6b8078d000006', wait_seconds: 121 }),
      /wait_seconds: /,
    );
  });

  test('a diagnosis target that does not fit its type is refused with the expected shape', async () => {
    const base = { cluster_id: d.hangzhou.cluster_id };
    assertRefusedBeforeAnyCall(
      await call(d.client, 'create_cluster_diagnosis', { ...base, diagnosis_type: 'pod', target: { name: 'web' } }),
      /Invalid target for a pod diagnosis: missing namespace\. The target for diagnosis_type "pod" must be exactly \{"namespace":"default","name":"web-6d4b9c7f8-x2kqj"\}/,
    );
    assertRefusedBeforeAnyCall(
      await call(d.client, 'create_cluster_diagnosis', { ...base, diagnosis_type: 'node', target: { node: 'cn-hangzhou.10.0.1.11' } }),
      /missing name; unexpected field\(s\) node\. The target for diagnosis_type "node" must be exactly \{"name":"cn-hangzhou\.10\.0\.1\.11"\}/,
    );
    assertRefusedBeforeAnyCall(
      await call(d.client, 'create_cluster_diagnosis', {
        ...base,
        diagnosis_type: 'network',
        target: { src: '10.0.1.11', dst: 'db', dport: 5432 },
      }),
      /dst must be an IP address.*\{"src":"10\.0\.1\.11","dst":"10\.0\.2\.12","dport":"443","protocol":"tcp"\}/,
    );
    assertRefusedBeforeAnyCall(
      await call(d.client, 'create_cluster_diagnosis', { ...base, diagnosis_type: 'ingress', target: { url: 'shop.example.com' } }),
      /url must be an http\(s\) URL/,
    );
    assertRefusedBeforeAnyCall(
      await call(d.client, 'create_cluster_diagnosis', { ...base, diagnosis_type: 'cluster', target: {} }),
      /diagnosis_type: /,
    );
  });

  test('a network diagnosis sends its target to ACK, dport as a string as ACK documents', async () => {
    const result = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_type: 'network',
      target: { src: '10.0.1.11', dst: '10.0.2.12', dport: 443 },
    });
    assert.equal(result.isError, undefined, text(result));
    // What ACK received and stored, not the tool's echo of its own arguments.
    const stored = lifecycleOf(stack.emulator.world).diagnoses.get(result.structuredContent.diagnosis_id);
    assert.ok(stored, 'the emulator holds the diagnosis');
    assert.equal(stored.type, 'network');
    assert.deepEqual(stored.target, { src: '10.0.1.11', dst: '10.0.2.12', dport: '443' });
    assert.equal(typeof stored.target.dport, 'string');
    assert.deepEqual(
      actions(stack).filter((a) => a !== 'DescribeClusterDetail'),
      ['CreateClusterDiagnosis'],
    );
  });
});

describe('requests ACK would refuse', () => {
  test('instances from another node pool are named, and nothing is removed', async () => {
    const own = poolNodes(d.hangzhou, d.defaultPool)[0]!;
    const foreign = poolNodes(d.hangzhou, d.gpuPool)[0]!;
    const before = d.hangzhou.nodes.length;
    const result = await call(d.client, 'remove_nodepool_nodes', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      instance_ids: [own.instance_id, foreign.instance_id, 'i-bp1doesnotexist0000'],
    });
    assert.equal(result.isError, true);
    assert.match(
      text(result),
      new RegExp(
        `Error InstancesNotInNodePool: These instances are not in node pool ${d.defaultPool.nodepool_id} .*: ` +
          `${foreign.instance_id} \\(in node pool ${d.gpuPool.nodepool_id}\\), i-bp1doesnotexist0000 \\(not a node of this cluster\\)\\. Nothing was removed\\.`,
      ),
    );
    assert.ok(!text(result).includes(own.instance_id), "the pool's own instance is not named");
    assert.match(text(result), /Hint: list_nodes/);
    // One membership check, filtered by the instance ids, and no removal.
    const checks = stack.emulator.callLog.of('DescribeClusterNodes');
    assert.equal(checks.length, 1);
    assert.equal(checks[0]!.query.instanceIds, [own.instance_id, foreign.instance_id, 'i-bp1doesnotexist0000'].join(','));
    assert.equal(checks[0]!.query.nodepool_id, undefined);
    assert.deepEqual(
      actions(stack).filter((a) => a !== 'DescribeClusterDetail'),
      ['DescribeClusterNodes'],
    );
    assert.equal(d.hangzhou.nodes.length, before);
  });

  test('a node pool the cluster does not have', async () => {
    const result = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: `np${'0'.repeat(32)}`,
      count: 1,
    });
    assert.equal(result.isError, true);
    assert.match(text(result), /Error ErrorNodePoolNotFound: Cluster .* has no node pool np0+\./);
    assert.match(text(result), /Its node pools are: .*default-nodepool.*gpu-pool.*Nothing was changed/);
    assert.equal(stack.emulator.callLog.of('ScaleClusterNodePool').length, 0);
  });

  test('an unknown task', async () => {
    const result = await call(d.client, 'describe_task_info', { task_id: 'T-000000000000000000000000', cluster_id: d.hangzhou.cluster_id });
    assert.equal(result.isError, true);
    assert.match(text(result), /Error ErrorTaskNotFound: The specified task T-0+ does not exist\./);
    assert.match(text(result), /Hint: Check the task id .* visible only to the Alibaba Cloud account that started it/);
    assert.deepEqual(
      stack.emulator.callLog.of('DescribeTaskInfo').map((r) => r.endpoint),
      ['cn-hangzhou'],
      "asked at the cluster's regional endpoint",
    );
  });

  test('a task looked up without cluster_id goes to the central endpoint, and the hint says to pass cluster_id', async () => {
    const result = await call(d.client, 'describe_task_info', { task_id: 'T-000000000000000000000000' });
    assert.match(text(result), /Error ErrorTaskNotFound: /);
    assert.match(
      text(result),
      /pass the cluster_id of the cluster it runs on \(without cluster_id or region it is looked up in the region of X-Aliyun-Region or the server's DEFAULT_REGION, else at the central endpoint\)/,
    );
    assert.deepEqual(
      stack.emulator.callLog.of('DescribeTaskInfo').map((r) => r.endpoint),
      ['central'],
    );
  });

  test('a task of another region asked at the wrong regional endpoint is not found there', async () => {
    lifecycleOf(stack.emulator.world).held = true;
    const scaled = await call(d.client, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    assert.equal(scaled.isError, undefined, text(scaled));
    const elsewhere = await call(d.client, 'describe_task_info', { task_id: scaled.structuredContent.task_id, region: 'cn-beijing' });
    assert.match(text(elsewhere), /Error ErrorTaskNotFound: .*\nHint: .*pass the cluster_id/);
    lifecycleOf(stack.emulator.world).held = false;
    const own = await call(d.client, 'describe_task_info', {
      task_id: scaled.structuredContent.task_id,
      cluster_id: d.hangzhou.cluster_id,
      wait_seconds: 60,
    });
    assert.equal(own.structuredContent.state, 'success');
    assert.deepEqual(
      stack.emulator.callLog
        .of('DescribeTaskInfo')
        .map((r) => r.endpoint)
        .slice(0, 2),
      ['cn-beijing', 'cn-hangzhou'],
    );
  });

  test("another account's cluster is not found, and nothing is sent to it", async () => {
    const foreign = d.other.clusters[0]!;
    const pool = foreign.nodepools[0]!;
    const desired = pool.desired_size;
    const scaled = await call(d.client, 'scale_nodepool', { cluster_id: foreign.cluster_id, nodepool_id: pool.nodepool_id, count: 1 });
    assert.equal(scaled.isError, true);
    assert.match(text(scaled), /Error ErrorClusterNotFound: /);
    const diagnosed = await call(d.client, 'create_cluster_diagnosis', {
      cluster_id: foreign.cluster_id,
      region: 'ap-southeast-1',
      diagnosis_type: 'node',
      target: { name: foreign.nodes[0]!.node_name },
    });
    assert.match(text(diagnosed), /Error ErrorClusterNotFound: /);
    assert.equal(pool.desired_size, desired);
    assert.equal(stack.emulator.callLog.of('ScaleClusterNodePool').length, 0);
  });

  test("another account's task and diagnosis are not found", async () => {
    const foreign = d.other.clusters[0]!;
    const theirs = await call(otherClient, 'scale_nodepool', {
      cluster_id: foreign.cluster_id,
      nodepool_id: foreign.nodepools[0]!.nodepool_id,
      count: 1,
    });
    assert.equal(theirs.isError, undefined, text(theirs));
    const seen = await call(d.client, 'describe_task_info', { task_id: theirs.structuredContent.task_id });
    assert.match(text(seen), /Error ErrorTaskNotFound: /);
    const diagnosis = await call(otherClient, 'create_cluster_diagnosis', {
      cluster_id: foreign.cluster_id,
      diagnosis_type: 'node',
      target: { name: foreign.nodes[0]!.node_name },
    });
    const read = await call(d.client, 'get_cluster_diagnosis_result', {
      cluster_id: d.hangzhou.cluster_id,
      diagnosis_id: diagnosis.structuredContent.diagnosis_id,
    });
    assert.match(text(read), /Error ErrorDiagnosisNotFound: .*\nHint: Check the diagnosis id/);
    const owner = await call(otherClient, 'describe_task_info', { task_id: theirs.structuredContent.task_id, wait_seconds: 60 });
    assert.equal(owner.structuredContent.state, 'success');
  });

  test("a region that is not the cluster's is refused before anything is changed", async () => {
    const desired = d.defaultPool.desired_size;
    const base = { cluster_id: d.hangzhou.cluster_id, nodepool_id: d.defaultPool.nodepool_id };
    // cn-beijing's own endpoint does not know a Hangzhou cluster.
    const atBeijing = await call(d.client, 'scale_nodepool', { ...base, count: 1, region: 'cn-beijing' });
    assert.match(
      text(atBeijing),
      /^Error ErrorClusterNotFound: .*\nHint: .*If you passed a region \(argument or X-Aliyun-Region\), it must be the cluster's own: omit it/,
    );
    // cn-shanghai has no endpoint of its own here: the call goes to CS_ENDPOINT, whose answer names the cluster's region.
    const atShanghai = await call(d.client, 'scale_nodepool', { ...base, count: 1, region: 'cn-shanghai' });
    assert.match(
      text(atShanghai),
      /^Error ClusterRegionMismatch: ACK reports cluster c\w+ in region cn-hangzhou, but this call used region cn-shanghai \(from the region argument\)\./,
    );
    assert.match(text(atShanghai), /Hint: Omit the region .* or pass region cn-hangzhou\. Nothing was changed\./);
    const node = poolNodes(d.hangzhou, d.defaultPool).find((n) => n.state === 'running')!;
    const removal = await call(d.client, 'remove_nodepool_nodes', { ...base, instance_ids: [node.instance_id], region: 'cn-shanghai' });
    assert.match(text(removal), /^Error ClusterRegionMismatch: .*used region cn-shanghai/);
    assert.equal(
      stack.emulator.callLog.of('ScaleClusterNodePool').length + stack.emulator.callLog.of('RemoveNodePoolNodes').length,
      0,
      'no write was sent',
    );
    assert.equal(d.defaultPool.desired_size, desired);
    assert.equal(node.state, 'running');
  });

  test('a RAM identity without the permission is refused by ACK and nothing changes', async () => {
    const limited = await stack.client(callerHeaders(d.account.accessKeys[1]!));
    const desired = d.defaultPool.desired_size;
    const result = await call(limited, 'scale_nodepool', {
      cluster_id: d.hangzhou.cluster_id,
      nodepool_id: d.defaultPool.nodepool_id,
      count: 1,
    });
    // ACK's own answer (ACK API enhances user authentication): 403 StatusForbidden naming the RAM action.
    assert.match(text(result), /^Error StatusForbidden: RAM policy Forbidden for action cs:ScaleClusterNodePool\n/);
    assert.match(text(result), /\nHint: The RAM identity lacks permission for cs:ScaleClusterNodePool: grant it in RAM/);
    assert.equal(d.defaultPool.desired_size, desired);
  });
});
