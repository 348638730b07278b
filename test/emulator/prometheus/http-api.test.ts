/**
 * The emulated Prometheus API validates its parameters as Prometheus does (400 bad_data with
 * Prometheus's wording), so a bad step or time range fails fast instead of looping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../index.ts';
import { slsProduct } from '../sls/product.ts';
import { clusterIdFor, createDemoWorld } from '../world.ts';

const world = createDemoWorld();
const account = world.accounts[0]!;
const key = account.accessKeys[0]!;
const base = `/prometheus/workspace-default-cms-${account.accountId}-cn-hangzhou/aliyun-prom-${clusterIdFor('prod-hangzhou')}/api/v1`;

describe('emulated Prometheus API parameters', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ world, products: [slsProduct] });
  });
  after(() => emulator.close());

  async function get(kind: 'query' | 'query_range', params: Record<string, string>) {
    const url = new URL(`${emulator.url}${base}/${kind}`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const response = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`${key.accessKeyId}:${key.accessKeySecret}`).toString('base64')}` },
    });
    return {
      status: response.status,
      body: (await response.json()) as { status: string; errorType?: string; error?: string; data?: { result: unknown[] } },
    };
  }

  const now = Math.floor(Date.now() / 1000);
  const cases: Array<[string, Record<string, string>, string]> = [
    [
      'a zero step',
      { start: String(now - 60), end: String(now), step: '0' },
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    ],
    [
      'a negative step',
      { start: String(now - 60), end: String(now), step: '-15' },
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    ],
    [
      'a step that is no duration',
      { start: String(now - 60), end: String(now), step: 'often' },
      'invalid parameter "step": cannot parse "often" to a valid duration',
    ],
    ['a NaN start', { start: 'NaN', end: String(now), step: '15' }, 'invalid parameter "start": cannot parse "NaN" to a valid timestamp'],
    ['a missing end', { start: String(now - 60), step: '15' }, 'invalid parameter "end": cannot parse "" to a valid timestamp'],
    [
      'end before start',
      { start: String(now), end: String(now - 60), step: '15' },
      'invalid parameter "end": end timestamp must not be before start time',
    ],
    [
      'more than 11,000 points',
      { start: String(now - 11_001), end: String(now), step: '1' },
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    ],
  ];
  for (const [name, params, message] of cases) {
    it(`refuses ${name} with 400 bad_data`, async () => {
      const answer = await get('query_range', { query: 'up', ...params });
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.body, { status: 'error', errorType: 'bad_data', error: message });
    });
  }

  it('refuses an instant query at a time that is no timestamp', async () => {
    const answer = await get('query', { query: 'up', time: 'yesterday' });
    assert.deepEqual([answer.status, answer.body.error], [400, 'invalid parameter "time": cannot parse "yesterday" to a valid timestamp']);
  });

  it('checks the times before the query, and prefixes query errors', async () => {
    const both = await get('query_range', { query: 'sum(', start: String(now), end: String(now - 60), step: '15' });
    assert.match(both.body.error!, /^invalid parameter "end"/);
    const query = await get('query', { query: 'sum(' });
    assert.match(query.body.error!, /^invalid parameter "query": 1:5: parse error: /);
  });

  it('accepts durations, RFC 3339 times and exactly 11,000 points', async () => {
    const durations = await get('query_range', {
      query: 'up',
      start: new Date((now - 300) * 1000).toISOString(),
      end: String(now),
      step: '1m',
    });
    assert.equal(durations.status, 200, JSON.stringify(durations.body));
    assert.equal((durations.body.data!.result[0] as { values: unknown[] }).values.length, 6);
    const limit = await get('query_range', { query: 'up{node=~".*"}', start: String(now - 11_000), end: String(now), step: '1' });
    assert.equal(limit.status, 200);
  });
});
