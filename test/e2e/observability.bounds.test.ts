/**
 * Bounds and completeness of the observability answers, end to end: markers when more rows
 * match than were shown, Log Service's 100-row cap, `progress: Incomplete`, PromQL sample bounds,
 * CloudMonitor paging and the 100-node page.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { clusterIdFor, createDemoWorld, makeNode } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { call, text, upstream } from './observability.helpers.ts';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const demo = createDemoWorld().accounts[0]!;

describe('observability bounds', () => {
  let stack: Stack;
  let client: Client;

  before(async () => {
    stack = await startStack();
    client = await stack.client(callerHeaders(demo.accessKeys[0]!));
  });
  after(async () => stack.close());
  beforeEach(() => {
    stack.emulator.faults.clear();
    stack.emulator.callLog.clear();
  });

  const linesAsked = () => stack.emulator.callLog.of('GetLogsV2').map((record) => (record.body as { line: number }).line);

  it('marks a search with more matches than the limit, asking Log Service for one more line', async () => {
    const r = await call(client, 'sls_execute_sql_query', { cluster_id: PROD, query: 'reason: BackOff', limit: 3 });
    assert.equal(r.structuredContent.rows.length, 3);
    assert.equal(r.structuredContent.truncated, true);
    assert.match(text(r), /\[truncated: more rows match; narrow the query or raise limit \(showing 3\)\]/);
    const all = await call(client, 'sls_execute_sql_query', { cluster_id: PROD, query: 'reason: BackOff', limit: 12 });
    assert.equal(all.structuredContent.rows.length, 12);
    assert.equal(all.structuredContent.truncated, false, text(all));
    assert.deepEqual(linesAsked(), [4, 13]);
  });

  it('says when a search returned the 100 lines one call can, and when SQL without LIMIT hit 100 rows', async () => {
    const search = await call(client, 'sls_execute_sql_query', {
      cluster_id: STAGING,
      logstore: 'nginx-ingress',
      query: 'GET',
      limit: 100,
    });
    assert.equal(search.structuredContent.rows.length, 100);
    assert.match(text(search), /100 rows is the most one search returns, so more may match; narrow the query or the time range/);
    const sql = await call(client, 'sls_execute_sql_query', {
      cluster_id: STAGING,
      logstore: 'nginx-ingress',
      query: '* | SELECT url, status',
      limit: 100,
    });
    assert.equal(sql.structuredContent.returned_rows, 100);
    assert.match(
      text(sql),
      /Log Service returns at most 100 rows for SQL without LIMIT, so more may exist; aggregate, or page with LIMIT offset, count/,
    );
    const limited = await call(client, 'sls_execute_sql_query', {
      cluster_id: STAGING,
      logstore: 'nginx-ingress',
      query: '* | SELECT url, status LIMIT 150',
      limit: 100,
    });
    assert.equal(limited.structuredContent.returned_rows, 150);
    assert.match(text(limited), /50 more rows not shown \(limit 100\)/);
    assert.doesNotMatch(text(limited), /without LIMIT/);
    const aggregated = await call(client, 'sls_execute_sql_query', {
      cluster_id: STAGING,
      logstore: 'nginx-ingress',
      query: '* | SELECT status, count(*) AS n GROUP BY status ORDER BY status',
    });
    assert.deepEqual(aggregated.structuredContent.rows, [
      { status: '200', n: '240' },
      { status: '502', n: '10' },
    ]);
    assert.equal(aggregated.structuredContent.truncated, false);
  });

  it('reports an incomplete result (progress Incomplete) as not complete', async () => {
    stack.emulator.faults.inject({ kind: 'partial', product: 'sls', action: 'GetLogsV2' });
    const r = await call(client, 'sls_execute_sql_query', { cluster_id: PROD, query: '* | SELECT count(*) AS n' });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.progress, 'Incomplete');
    assert.equal(r.structuredContent.complete, false);
    assert.match(text(r), /INCOMPLETE \(progress Incomplete\): retry or narrow the range for exact results/);
  });

  it('keeps at most 500 samples per series, the latest ones', async () => {
    const end = Math.floor(Date.now() / 1000);
    const r = await call(client, 'cms_execute_promql_query', { cluster_id: PROD, query: 'up', start: end - 3600, end, step: 5 });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.result.length, 4);
    for (const series of r.structuredContent.result) {
      assert.equal(series.values.length, 500);
      assert.equal(series.values[499][0], end, 'the latest sample is kept');
    }
    assert.match(text(r), /\[truncated: 4 series kept only their latest 500 samples; use a larger step/);
    assert.match(text(r), /\(721 samples\)/, 'the rendering summarises every sample');
  });

  it('keeps at most 5,000 samples in all, with a marker', async () => {
    const end = Math.floor(Date.now() / 1000);
    const r = await call(client, 'cms_execute_promql_query', {
      cluster_id: PROD,
      query: 'node_cpu_seconds_total',
      start: end - 3600,
      end,
      step: 5,
      limit: 30,
    });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.result.length, 24);
    const samples = r.structuredContent.result.reduce((sum: number, s: any) => sum + s.values.length, 0);
    assert.equal(samples, 24 * 208);
    assert.ok(JSON.stringify(r.structuredContent).length < 160_000, `${JSON.stringify(r.structuredContent).length} bytes`);
    assert.match(text(r), /24 series kept only their latest 208 samples \(at most 5000 samples in all\)/);
  });

  it('follows CloudMonitor pages (NextToken) and marks what it could not read', async () => {
    const to = Math.floor(Date.now() / 60_000) * 60;
    const paged = await call(client, 'cms_get_node_metrics', { cluster_id: PROD, from_timestamp: to - 7 * 3600, to_timestamp: to });
    assert.equal(paged.isError, undefined, text(paged));
    assert.ok(
      paged.structuredContent.nodes.every((node: any) => node.points === 420),
      JSON.stringify(paged.structuredContent.nodes.map((n: any) => n.points)),
    );
    assert.equal(paged.structuredContent.complete, true);
    assert.equal(stack.emulator.callLog.of('DescribeMetricList').length, 2, '1680 datapoints in pages of 1440');
    stack.emulator.callLog.clear();
    const week = await call(client, 'cms_get_node_metrics', { cluster_id: PROD, from_timestamp: to - 7 * 86_400, to_timestamp: to });
    assert.equal(week.structuredContent.complete, false);
    assert.match(text(week), /CloudMonitor had more datapoints than were read; use a larger period or a shorter range/);
    assert.equal(stack.emulator.callLog.of('DescribeMetricList').length, 10);
  });

  it('shows 100 nodes a page with a marker, and the next page on request', async () => {
    const cluster = stack.emulator.world.accounts[0]!.clusters[1]!;
    const pool = cluster.nodepools[0]!;
    for (let i = 0; i < 130; i += 1) cluster.nodes.push(makeNode(cluster.region_id, pool, `bounds-test:${i}`));
    try {
      const first = await call(client, 'cms_get_node_metrics', { cluster_id: STAGING });
      assert.equal(first.isError, undefined, text(first));
      assert.equal(first.structuredContent.nodes.length, 100);
      assert.equal(first.structuredContent.total_nodes, 132);
      assert.equal(first.structuredContent.complete, false);
      assert.match(text(first), /\[truncated: nodes 1-100 of 132 shown; page_number 2 shows the next, or pass nodepool_id to narrow\]/);
      assert.equal(stack.emulator.callLog.of('DescribeMetricList').length, 5, '20 instances per call');
      const second = await call(client, 'cms_get_node_metrics', { cluster_id: STAGING, page_number: 2 });
      assert.equal(second.structuredContent.nodes.length, 32);
      assert.equal(second.structuredContent.truncation, null);
      const ids = new Set([...first.structuredContent.nodes, ...second.structuredContent.nodes].map((node: any) => node.instance_id));
      assert.equal(ids.size, 132);
      assert.ok(upstream(stack).filter((call) => call === 'cs:DescribeClusterNodes').length === 2);
    } finally {
      cluster.nodes.splice(2);
    }
  });
});
