/** list_clusters, list_nodepools and list_nodes through MCP, against the emulator. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import type { ClusterRecord } from '../emulator/world.ts';

let stack: Stack;
let client: Client;
let hangzhou: ClusterRecord;
let beijing: ClusterRecord;

interface ToolResult<T> {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent: T;
}

async function call<T = any>(name: string, args: Record<string, unknown>, using = client): Promise<ToolResult<T>> {
  return (await using.callTool({ name, arguments: args })) as unknown as ToolResult<T>;
}

before(async () => {
  stack = await startStack({ env: { CLUSTER_REGION_TTL_SECONDS: '600' } });
  const demo = stack.emulator.world.accounts[0]!;
  client = await stack.client(callerHeaders(demo.accessKeys[0]!));
  [hangzhou, beijing] = demo.clusters as [ClusterRecord, ClusterRecord];
});
after(() => stack.close());
beforeEach(() => {
  stack.emulator.callLog.clear();
  stack.emulator.faults.clear();
});

describe('list_clusters', () => {
  test("lists the account's clusters in every region with a readable table", async () => {
    const result = await call<{
      clusters: Array<{ cluster_id: string; region_id: string; node_count: number }>;
      page: { total_count: number };
    }>('list_clusters', {});
    assert.equal(result.isError, undefined);
    assert.deepEqual(result.structuredContent.clusters.map((c) => c.region_id).sort(), ['cn-beijing', 'cn-hangzhou']);
    assert.equal(result.structuredContent.page.total_count, 2);
    assert.equal(result.structuredContent.clusters.find((c) => c.cluster_id === hangzhou.cluster_id)!.node_count, hangzhou.nodes.length);
    const text = result.content[0]!.text;
    assert.match(text, /^CLUSTER_ID\s+NAME\s+REGION/);
    assert.ok(text.includes(hangzhou.cluster_id) && text.includes('prod-hangzhou'));
  });

  test('filters by region and name, and pages with a hint for the next page', async () => {
    const byRegion = await call<{ clusters: Array<{ name: string }> }>('list_clusters', { region: 'cn-beijing' });
    assert.deepEqual(
      byRegion.structuredContent.clusters.map((c) => c.name),
      ['staging-beijing'],
    );
    const byName = await call<{ clusters: Array<{ name: string }> }>('list_clusters', { name: 'prod-hangzhou' });
    assert.deepEqual(
      byName.structuredContent.clusters.map((c) => c.name),
      ['prod-hangzhou'],
    );
    // ACK documents the filter as "the cluster name": a part of one may match nothing, and the answer says so.
    const partial = await call('list_clusters', { name: 'prod' });
    assert.match(
      partial.content[0]!.text,
      /No clusters found named "prod" \(ACK's name filter may need the full name: omit name to list them all\)/,
    );
    const paged = await call<{ clusters: unknown[]; page: { total_count: number } }>('list_clusters', { page_size: 1 });
    assert.equal(paged.structuredContent.clusters.length, 1);
    assert.match(paged.content[0]!.text, /Showing 1 of 2 clusters; ask for page_number 2/);
    const empty = await call('list_clusters', { name: 'nothing-like-this' });
    assert.match(empty.content[0]!.text, /No clusters found named "nothing-like-this"/);
  });

  test('numbers sent as strings are accepted; out-of-range paging is refused before any call', async () => {
    const paged = await call<{ clusters: unknown[] }>('list_clusters', { page_size: '1' });
    assert.equal(paged.structuredContent.clusters.length, 1);
    stack.emulator.callLog.clear();
    const refused = await call('list_clusters', { page_size: 1000 });
    assert.equal(refused.isError, true);
    assert.match(refused.content[0]!.text, /^Error InvalidArguments: .*page_size/);
    assert.equal(stack.emulator.callLog.records.length, 0);
  });

  test('unknown arguments are refused by name', async () => {
    const refused = await call('list_clusters', { regoin: 'cn-hangzhou' });
    assert.match(refused.content[0]!.text, /unknown argument\(s\) "regoin"/);
  });
});

describe('list_nodepools', () => {
  test('shows sizes, health, instance types and billing per pool', async () => {
    const result = await call<{
      region_id: string;
      nodepools: Array<{
        name: string;
        desired_nodes: number;
        total_nodes: number;
        healthy_nodes: number;
        instance_types: string[];
        instance_charge_type: string;
      }>;
    }>('list_nodepools', { cluster_id: hangzhou.cluster_id });
    assert.equal(result.structuredContent.region_id, 'cn-hangzhou');
    const gpu = result.structuredContent.nodepools.find((pool) => pool.name === 'gpu-pool')!;
    assert.deepEqual(
      {
        desired: gpu.desired_nodes,
        total: gpu.total_nodes,
        healthy: gpu.healthy_nodes,
        types: gpu.instance_types,
        billing: gpu.instance_charge_type,
      },
      { desired: 1, total: 1, healthy: 1, types: ['ecs.gn7i-c8g1.2xlarge'], billing: 'PrePaid' },
    );
    assert.match(result.content[0]!.text, /default-nodepool \(default\)\s+3\s+3\s+3\s+0/);
  });

  test('finds the region once per identity and cluster, then uses the regional answer from cache', async () => {
    await call('list_nodepools', { cluster_id: beijing.cluster_id });
    await call('list_nodepools', { cluster_id: beijing.cluster_id });
    await call('list_nodes', { cluster_id: beijing.cluster_id });
    assert.equal(stack.emulator.callLog.of('DescribeClusterDetail').length, 1);
    assert.equal(stack.emulator.callLog.of('DescribeClusterNodePools').length, 2);
  });

  test('X-Aliyun-Region skips the region lookup', async () => {
    const regional = await stack.client({
      ...callerHeaders(stack.emulator.world.accounts[0]!.accessKeys[1]!),
      'x-aliyun-region': 'cn-hangzhou',
    });
    const result = await call<{ region_id: string }>('list_nodepools', { cluster_id: hangzhou.cluster_id }, regional);
    assert.equal(result.structuredContent.region_id, 'cn-hangzhou');
    assert.equal(stack.emulator.callLog.of('DescribeClusterDetail').length, 0);
  });

  test('a malformed cluster id is refused before any call, naming the expected shape', async () => {
    const result = await call('list_nodepools', { cluster_id: '../../etc/passwd' });
    assert.equal(result.isError, true);
    assert.match(result.content[0]!.text, /cluster_id: must be an ACK cluster id/);
    assert.equal(stack.emulator.callLog.records.length, 0);
  });

  test('throttling and a 5xx on a read are retried and the call succeeds', async () => {
    stack.emulator.faults.inject({ kind: 'throttle', action: 'DescribeClusterNodePools' });
    stack.emulator.faults.inject({ kind: 'server-error', action: 'DescribeClusterNodePools' });
    const result = await call<{ nodepools: unknown[] }>('list_nodepools', { cluster_id: hangzhou.cluster_id });
    assert.equal(result.isError, undefined);
    assert.equal(result.structuredContent.nodepools.length, 2);
    const attempts = stack.emulator.callLog.of('DescribeClusterNodePools').map((record) => record.errorCode ?? record.status);
    assert.deepEqual(attempts, ['Throttling.User', 'InternalError', 200]);
  });

  test('persistent throttling ends in a clear error after a bounded number of attempts', async () => {
    stack.emulator.faults.inject({ kind: 'throttle', action: 'DescribeClusterNodePools', times: 50 });
    const result = await call('list_nodepools', { cluster_id: hangzhou.cluster_id });
    assert.equal(result.isError, true);
    assert.match(result.content[0]!.text, /^Error Throttling\.User/);
    assert.match(result.content[0]!.text, /Hint: Alibaba Cloud is throttling/);
    assert.equal(stack.emulator.callLog.of('DescribeClusterNodePools').length, 4, 'first attempt + 3 retries');
  });
});

describe('regions', () => {
  test("a regional call goes to that region's endpoint; the region lookup to the central one", async () => {
    const fresh = await stack.client(callerHeaders(stack.emulator.world.accounts[0]!.accessKeys[2]!));
    const result = await call<{ region_id: string }>('list_nodepools', { cluster_id: beijing.cluster_id }, fresh);
    assert.equal(result.structuredContent.region_id, 'cn-beijing');
    assert.deepEqual(
      stack.emulator.callLog.records.map((record) => `${record.action}@${record.endpoint}`),
      ['DescribeClusterDetail@central', 'DescribeClusterNodePools@cn-beijing'],
    );
    await call('list_nodes', { cluster_id: hangzhou.cluster_id });
    assert.equal(stack.emulator.callLog.of('DescribeClusterNodes').at(-1)!.endpoint, 'cn-hangzhou');
    await call('list_clusters', { region: 'cn-beijing' });
    assert.equal(stack.emulator.callLog.of('DescribeClustersV1').at(-1)!.endpoint, 'cn-beijing');
  });

  test('a wrong region argument gives a clear error with a hint, never an echo of that region', async () => {
    const atBeijing = await call('list_nodepools', { cluster_id: hangzhou.cluster_id, region: 'cn-beijing' });
    assert.equal(atBeijing.isError, true);
    assert.match(
      atBeijing.content[0]!.text,
      /^Error ErrorClusterNotFound: .*\nHint: .*If you passed a region \(argument or X-Aliyun-Region\), it must be the cluster's own: omit it and the server finds the region\./,
    );
    assert.equal(stack.emulator.callLog.of('DescribeClusterNodePools').at(-1)!.endpoint, 'cn-beijing');
    const unhosted = await call('list_nodepools', { cluster_id: hangzhou.cluster_id, region: 'cn-shanghai' });
    assert.equal(unhosted.isError, true);
    assert.match(
      unhosted.content[0]!.text,
      /^Error ClusterRegionMismatch: ACK reports cluster c\w+ in region cn-hangzhou, but this call used region cn-shanghai \(from the region argument\)\.\nHint: Omit the region .* or pass region cn-hangzhou\./,
    );
  });

  test('a wrong X-Aliyun-Region is named in the error too', async () => {
    const pinned = await stack.client({
      ...callerHeaders(stack.emulator.world.accounts[0]!.accessKeys[0]!),
      'x-aliyun-region': 'cn-shanghai',
    });
    const result = await call('list_nodepools', { cluster_id: beijing.cluster_id }, pinned);
    assert.match(
      result.content[0]!.text,
      /^Error ClusterRegionMismatch: .* in region cn-beijing, but this call used region cn-shanghai \(from the X-Aliyun-Region header\)/,
    );
  });
});

describe('a single CS endpoint for every region (CS_ENDPOINT alone)', () => {
  let single: Stack;
  let singleClient: Client;
  before(async () => {
    single = await startStack({ env: { CS_REGION_ENDPOINTS: '' } });
    singleClient = await single.client(callerHeaders(single.emulator.world.accounts[0]!.accessKeys[0]!));
  });
  after(() => single.close());

  test('every call goes to that endpoint and works', async () => {
    const cluster = single.emulator.world.accounts[0]!.clusters[1]!;
    const result = await call<{ region_id: string; nodepools: unknown[] }>(
      'list_nodepools',
      { cluster_id: cluster.cluster_id },
      singleClient,
    );
    assert.equal(result.isError, undefined);
    assert.equal(result.structuredContent.region_id, 'cn-beijing');
    assert.deepEqual(new Set(single.emulator.callLog.records.map((record) => record.endpoint)), new Set(['central']));
  });

  test("a wrong region is still caught: the answer names the cluster's region", async () => {
    const cluster = single.emulator.world.accounts[0]!.clusters[0]!;
    const result = await call('list_nodepools', { cluster_id: cluster.cluster_id, region: 'cn-beijing' }, singleClient);
    assert.match(
      result.content[0]!.text,
      /^Error ClusterRegionMismatch: ACK reports cluster c\w+ in region cn-hangzhou, but this call used region cn-beijing/,
    );
  });
});

describe('list_nodes', () => {
  test('lists instance id, node name, status, IP and pool; filters by node pool', async () => {
    const pool = hangzhou.nodepools[0]!;
    const all = await call<{ nodes: Array<{ instance_id: string; nodepool_id: string; node_name: string; ip_address: string }> }>(
      'list_nodes',
      { cluster_id: hangzhou.cluster_id },
    );
    assert.equal(all.structuredContent.nodes.length, hangzhou.nodes.length);
    const one = all.structuredContent.nodes[0]!;
    assert.match(one.instance_id, /^i-bp1/);
    assert.equal(one.node_name, `cn-hangzhou.${one.ip_address}`);
    const filtered = await call<{ nodes: Array<{ nodepool_id: string }> }>('list_nodes', {
      cluster_id: hangzhou.cluster_id,
      nodepool_id: pool.nodepool_id,
    });
    assert.equal(filtered.structuredContent.nodes.length, pool.desired_size);
    assert.ok(filtered.structuredContent.nodes.every((node) => node.nodepool_id === pool.nodepool_id));
    assert.equal(stack.emulator.callLog.of('DescribeClusterNodes').at(-1)!.query.nodepool_id, pool.nodepool_id);
  });

  test('an unknown node pool is a clear error', async () => {
    const result = await call('list_nodes', { cluster_id: hangzhou.cluster_id, nodepool_id: 'np00000000000000000000000000000000' });
    assert.match(result.content[0]!.text, /^Error ErrorNodePoolNotFound/);
  });
});

describe('request log', () => {
  test('one JSON line per request with token name, tool, cluster, outcome and masked key', async () => {
    const before = stack.logs.length;
    await call('list_nodes', { cluster_id: beijing.cluster_id });
    const lines = stack.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    const line = lines.find((entry) => entry.tool === 'list_nodes')!;
    assert.equal(line.event, 'request');
    assert.equal(line.token, 'default');
    assert.equal(line.cluster, beijing.cluster_id);
    assert.equal(line.outcome, 'ok');
    assert.equal(line.credentialSource, 'caller');
    assert.match(String(line.accessKeyId), /^LTAI5t\*{4}\w{4}$/);
    assert.equal(typeof line.durationMs, 'number');
  });

  test('the FC request id is carried into the log line', async () => {
    const before = stack.logs.length;
    await stack.post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'x-fc-request-id': '1-6541a2b3-c4d5e6f7a8b9' });
    const line = stack.logs
      .slice(before)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((entry) => entry.event === 'request')!;
    assert.equal(line.requestId, '1-6541a2b3-c4d5e6f7a8b9');
    assert.deepEqual(line.rpc, ['tools/list']);
  });

  test('a failure logs its error code', async () => {
    const before = stack.logs.length;
    await call('list_nodes', { cluster_id: stack.emulator.world.accounts[1]!.clusters[0]!.cluster_id });
    const line = stack.logs
      .slice(before)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((entry) => entry.tool === 'list_nodes')!;
    assert.equal(line.outcome, 'error');
    assert.equal(line.errorCode, 'ErrorClusterNotFound');
  });
});

describe('hostile region values', () => {
  test('an X-Aliyun-Region that is not a region id is refused before any endpoint is built from it', async () => {
    const hostile = await stack.client({
      ...callerHeaders(stack.emulator.world.accounts[0]!.accessKeys[0]!),
      'x-aliyun-region': 'evil.example.com#',
    });
    for (const [name, args] of [
      ['list_clusters', {}],
      ['list_nodepools', { cluster_id: hangzhou.cluster_id }],
    ] as const) {
      const result = await call(name, args, hostile);
      assert.equal(result.isError, true);
      assert.match(result.content[0]!.text, /^Error InvalidRegion: X-Aliyun-Region "evil\.example\.com#"/);
    }
    assert.equal(stack.emulator.callLog.records.length, 0);
  });
});
