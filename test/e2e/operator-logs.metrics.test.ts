/** cms_list_metrics end to end: metric names and labels from the metricstore's (or the ARMS instance's) Prometheus API. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { seriesOf } from '../emulator/prometheus/series.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';
import { call as callWith, text, upstream, type Result } from './observability.helpers.ts';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const world = createDemoWorld();
const [demoKey] = world.accounts[0]!.accessKeys;
const otherKey = world.accounts[1]!.accessKeys[0]!;
/** The metric names the emulated Prometheus of prod-hangzhou holds. */
const prodNames = [...new Set(seriesOf(world.accounts[0]!.clusters[0]!).map((series) => series.labels.__name__!))].sort();

describe('cms_list_metrics', () => {
  let stack: Stack;
  let client: Client;
  const call = (args: Record<string, unknown>, c = client): Promise<Result> => callWith(c, 'cms_list_metrics', args);

  before(async () => {
    stack = await startStack();
    client = await stack.client(callerHeaders(demoKey!));
  });
  after(async () => stack.close());

  it('lists the metric names and the labels of the matching ones', async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: PROD, match: 'node_*' });
    assert.equal(r.isError, undefined, text(r));
    const s = r.structuredContent;
    const nodeNames = prodNames.filter((name) => name.startsWith('node_'));
    assert.ok(nodeNames.includes('node_cpu_seconds_total'));
    assert.deepEqual(s.names, nodeNames);
    assert.equal(s.names_total, prodNames.length);
    assert.equal(s.metricstore, `aliyun-prom-${PROD}`);
    const cpu = s.metrics.find((m: any) => m.name === 'node_cpu_seconds_total');
    assert.equal(cpu.series, 4 * 2 * 3, 'four nodes, two CPUs, three modes');
    assert.deepEqual(
      cpu.labels.map((l: any) => [l.name, l.values]),
      [
        ['cpu', 2],
        ['instance', 4],
        ['job', 1],
        ['mode', 3],
        ['node', 4],
      ],
    );
    assert.deepEqual(cpu.labels.find((l: any) => l.name === 'mode').examples, ['idle', 'system', 'user']);
    assert.match(
      text(r),
      new RegExp(
        `^${nodeNames.length} of ${prodNames.length} metric names match "node_\\*" on workspace-default-cms-\\d+-cn-hangzhou/aliyun-prom-`,
      ),
    );
    assert.match(text(r), /node_cpu_seconds_total — 24 series; cpu \(2: 0, 1\); instance \(4: /);
    assert.deepEqual(upstream(stack).slice(-2), ['sls:PrometheusLabelValues', 'sls:PrometheusSeries']);
    const series = stack.emulator.callLog.of('PrometheusSeries')[0]!;
    assert.equal(series.query['match[]'], `{__name__=~"${nodeNames.join('|')}"}`);
  });

  it('bounds the names and the label details with a marker; a substring matches anywhere', async () => {
    const memory = prodNames.filter((name) => name.toLowerCase().includes('mem'));
    assert.ok(memory.length >= 2 && memory.includes('node_memory_MemTotal_bytes'));
    const r = await call({ cluster_id: PROD, match: 'MEM', limit: 1, with_labels: 0 });
    assert.equal(r.isError, undefined, text(r));
    assert.deepEqual(r.structuredContent.names, memory.slice(0, 1));
    assert.equal(r.structuredContent.matched, memory.length);
    assert.deepEqual(r.structuredContent.metrics, []);
    assert.match(
      text(r),
      new RegExp(`\\[truncated: ${memory.length - 1} more matching names not listed \\(limit 1\\); narrow \`match\`\\]`),
    );
  });

  it('reads an ARMS-hosted instance when the cluster has no metricstore', async () => {
    const r = await call({ cluster_id: STAGING, match: 'up' });
    assert.equal(r.isError, undefined, text(r));
    assert.ok(r.structuredContent.names.includes('up'));
    assert.match(r.structuredContent.source, /^ARMS GetPrometheusInstance/);
    assert.ok(r.structuredContent.metrics.find((m: any) => m.name === 'up').series > 0);
  });

  it('says so, with a hint, when the cluster has no managed Prometheus', async () => {
    const other = await stack.client(callerHeaders(otherKey));
    const r = await call({ cluster_id: clusterIdFor('other-singapore') }, other);
    assert.equal(r.isError, true);
    assert.match(text(r), /MetricstoreNotFound: No managed Prometheus data for cluster/);
    assert.match(text(r), /Is Managed Service for Prometheus enabled for this cluster\?/);
  });

  it('refuses a pattern that is not a metric-name pattern before anything is sent', async () => {
    stack.emulator.callLog.clear();
    for (const match of ['.*', 'a|b', '"}', 'a*b*c*d*e*f']) {
      const r = await call({ cluster_id: PROD, match });
      assert.equal(r.isError, true, match);
    }
    assert.deepEqual(upstream(stack), []);
  });
});
