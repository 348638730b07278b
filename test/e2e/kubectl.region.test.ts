/**
 * kubectl checks a caller-named region (the `region` argument or X-Aliyun-Region) as every cluster tool does:
 * a value that is not a region id is InvalidRegion, a region that is not the cluster's is ClusterRegionMismatch,
 * whether or not a kubeconfig for the cluster is already cached, and nothing runs.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { AccessKey, ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let key: AccessKey;
let hangzhou: ClusterRecord;

async function kubectl(args: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await stack.post(
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'kubectl', arguments: { cluster_id: hangzhou.cluster_id, command: 'get ns', ...args } },
    },
    { ...callerHeaders(key), ...headers },
  );
  const result = response.body.result as { isError?: boolean; content: Array<{ text: string }> };
  return { isError: result.isError === true, text: result.content[0]!.text };
}

before(async () => {
  stack = await startStack();
  const account = stack.emulator.world.accounts[0]!;
  key = account.accessKeys[0]!;
  hangzhou = account.clusters.find((cluster) => cluster.region_id === 'cn-hangzhou')!;
});
after(() => stack.close());
beforeEach(() => {
  stack.emulator.kube.requests.length = 0;
});

describe('kubectl and caller-named regions', () => {
  for (const warm of [false, true]) {
    describe(warm ? "with the cluster's kubeconfig cached" : 'before any kubeconfig is cached', () => {
      before(async () => {
        if (warm) assert.equal((await kubectl({})).isError, false);
      });

      test("a region argument that is not the cluster's → ClusterRegionMismatch, nothing run", async () => {
        const result = await kubectl({ region: 'cn-beijing' });
        assert.equal(result.isError, true, result.text);
        assert.match(
          result.text,
          /^Error ClusterRegionMismatch: ACK reports cluster c\w+ in region cn-hangzhou, but this call used region cn-beijing \(from the region argument\)\./,
        );
        assert.equal(stack.emulator.kube.requests.length, 0);
      });

      test("an X-Aliyun-Region that is not the cluster's → ClusterRegionMismatch naming the header", async () => {
        const result = await kubectl({}, { 'x-aliyun-region': 'cn-shanghai' });
        assert.match(
          result.text,
          /^Error ClusterRegionMismatch: .* in region cn-hangzhou, but this call used region cn-shanghai \(from the X-Aliyun-Region header\)/,
        );
        assert.equal(stack.emulator.kube.requests.length, 0);
      });

      test('an X-Aliyun-Region that is not a region id → InvalidRegion', async () => {
        const result = await kubectl({}, { 'x-aliyun-region': 'evil.example.com#' });
        assert.match(result.text, /^Error InvalidRegion: X-Aliyun-Region "evil\.example\.com#"/);
        assert.equal(stack.emulator.kube.requests.length, 0);
      });

      test("the cluster's own region, as argument or header, works", async () => {
        assert.equal((await kubectl({ region: 'cn-hangzhou' })).isError, false);
        assert.equal((await kubectl({}, { 'x-aliyun-region': 'cn-hangzhou' })).isError, false);
      });
    });
  }
});
