/**
 * A cluster's region: an explicit `region` argument beats X-Aliyun-Region, which beats the
 * lookup; the looked-up region is cached per (identity, cluster) for CLUSTER_REGION_TTL_SECONDS.
 * The TTL is tested on a mocked `Date.now` (the cache's clock; timers, signing dates and the network run for
 * real). `mock.timers` cannot mock Date on Node 20.10, the Node FC runs and the tests run on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { AccessKey, ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';

const TTL_SECONDS = 60;
let stack: Stack;
let key: AccessKey;
let hangzhou: ClusterRecord;
let beijing: ClusterRecord;

before(async () => {
  stack = await startStack({ env: { CLUSTER_REGION_TTL_SECONDS: String(TTL_SECONDS) } });
  const account = stack.emulator.world.accounts[0]!;
  key = account.accessKeys[0]!;
  [hangzhou, beijing] = account.clusters as [ClusterRecord, ClusterRecord];
});
after(() => stack.close());

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as unknown as {
    isError?: boolean;
    content: Array<{ text: string }>;
    structuredContent: any;
  };
  assert.equal(result.isError, undefined, result.content[0]?.text);
  return result.structuredContent;
}

const lookups = () => stack.emulator.callLog.of('DescribeClusterDetail').length;

describe('which region a call uses', () => {
  test('an explicit region argument beats X-Aliyun-Region, and neither needs a lookup', async () => {
    const withHeader = await stack.client({ ...callerHeaders(key), 'x-aliyun-region': 'cn-beijing' });
    stack.emulator.callLog.clear();
    const explicit = await call(withHeader, 'list_log_stores', { cluster_id: hangzhou.cluster_id, region: 'cn-hangzhou' });
    assert.equal(explicit.region_id, 'cn-hangzhou');
    const fromHeader = await call(withHeader, 'list_log_stores', { cluster_id: beijing.cluster_id });
    assert.equal(fromHeader.region_id, 'cn-beijing');
    assert.equal(lookups(), 0);
  });
});

describe('CLUSTER_REGION_TTL_SECONDS', () => {
  test('the looked-up region is reused until the TTL has passed, then looked up again', async (t) => {
    let now = Date.now();
    t.mock.method(Date, 'now', () => now);
    const tick = (ms: number) => {
      now += ms;
    };
    const client = await stack.client(callerHeaders(key));
    stack.emulator.callLog.clear();
    const region = async () => (await call(client, 'list_nodepools', { cluster_id: beijing.cluster_id })).region_id;
    assert.equal(await region(), 'cn-beijing');
    assert.equal(lookups(), 1);
    tick(TTL_SECONDS * 1000 - 1_000);
    assert.equal(await region(), 'cn-beijing');
    assert.equal(lookups(), 1, 'still cached one second before the TTL ends');
    tick(1_000);
    assert.equal(await region(), 'cn-beijing');
    assert.equal(lookups(), 2, 'looked up again once the TTL has passed');
    assert.equal(await region(), 'cn-beijing');
    assert.equal(lookups(), 2, 'and cached again');
  });
});
