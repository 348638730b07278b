import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PromSeries } from './promql.api.ts';
import { boundSeries, labels, summarise } from './promql-render.ts';

const matrix = (series: number, samples: number): PromSeries[] =>
  Array.from({ length: series }, (_, s) => ({
    metric: { __name__: 'up', node: `n${s}` },
    values: Array.from({ length: samples }, (_, i) => [1000 + i, String(i)] as [number, string]),
  }));

describe('boundSeries', () => {
  it('keeps the first `limit` series, with a marker', () => {
    const bounded = boundSeries(matrix(5, 2), 3);
    assert.equal(bounded.series.length, 3);
    assert.deepEqual(bounded.notes, ['2 more series not shown (limit 3); aggregate (sum by …, topk) or filter with label matchers']);
  });

  it('keeps the latest 500 samples of a series', () => {
    const bounded = boundSeries(matrix(2, 721), 20);
    assert.deepEqual(
      bounded.series.map((s) => s.values!.length),
      [500, 500],
    );
    assert.deepEqual(bounded.series[0]!.values![499], [1720, '720']);
    assert.deepEqual(bounded.series[0]!.values![0], [1221, '221']);
    assert.match(bounded.notes[0]!, /^2 series kept only their latest 500 samples; use a larger step/);
  });

  it('keeps at most 5,000 samples in all, shared evenly', () => {
    const bounded = boundSeries(matrix(24, 721), 30);
    assert.deepEqual(new Set(bounded.series.map((s) => s.values!.length)), new Set([208]));
    assert.ok(bounded.series.reduce((sum, s) => sum + s.values!.length, 0) <= 5000);
    assert.match(bounded.notes[0]!, /^24 series kept only their latest 208 samples \(at most 5000 samples in all\)/);
  });

  it('leaves small results and instant vectors alone', () => {
    assert.deepEqual(boundSeries(matrix(3, 10), 20).notes, []);
    const vector: PromSeries[] = [{ metric: { pod: 'a' }, value: [1, '2'] }];
    assert.deepEqual(boundSeries(vector, 20), { series: vector, notes: [] });
  });
});

describe('summarise', () => {
  it('renders labels and the latest value of an instant sample', () => {
    assert.equal(summarise({ metric: { __name__: 'up', pod: 'a"b' }, value: [1, '1.234567'] }), 'up{pod="a\\"b"}  1.2346');
    assert.equal(labels({ node: 'n1' }), '{node="n1"}');
  });

  it('renders latest, min, max and avg over a range', () => {
    assert.equal(summarise(matrix(1, 5)[0]!), 'up{node="n0"}  latest 4  min 0  max 4  avg 2  (5 samples)');
    assert.equal(summarise({ metric: { __name__: 'up' }, values: [] }), 'up{}  (no samples)');
  });
});
