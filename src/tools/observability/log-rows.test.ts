import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundRows, linesToAsk, renderRows, splitQuery, sqlHasLimit } from './log-rows.ts';

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ n: String(i) }));

describe('linesToAsk', () => {
  it('asks for one more line than wanted, at most 100', () => {
    assert.deepEqual([linesToAsk(3), linesToAsk(99), linesToAsk(100)], [4, 100, 100]);
  });
});

describe('splitQuery', () => {
  it('splits at the first | outside a quoted phrase', () => {
    assert.deepEqual(splitQuery('level: Warning | SELECT count(*)'), { search: 'level: Warning', sql: 'SELECT count(*)' });
    assert.deepEqual(splitQuery('message: "a | b" | SELECT 1'), { search: 'message: "a | b"', sql: 'SELECT 1' });
    assert.deepEqual(splitQuery('message: "say \\"|\\" here"'), { search: 'message: "say \\"|\\" here"', sql: undefined });
  });
});

describe('sqlHasLimit', () => {
  it('finds LIMIT outside literals and quoted names', () => {
    assert.equal(sqlHasLimit('SELECT a LIMIT 10'), true);
    assert.equal(sqlHasLimit('SELECT a limit 5, 10'), true);
    assert.equal(sqlHasLimit(`SELECT a WHERE b = 'limit 5'`), false);
    assert.equal(sqlHasLimit('SELECT "limit 5" FROM x'), false);
    assert.equal(sqlHasLimit('SELECT a'), false);
  });
});

describe('boundRows', () => {
  it('marks a search with more matches than the limit', () => {
    const bounded = boundRows(rows(4), { limit: 3, query: 'reason: BackOff', hasSql: false });
    assert.equal(bounded.rows.length, 3);
    assert.deepEqual(bounded.notes, ['more rows match; narrow the query or raise limit (showing 3)']);
    assert.deepEqual(boundRows(rows(3), { limit: 3, query: '*', hasSql: false }).notes, []);
  });

  it('marks a full page of 100 search lines', () => {
    assert.deepEqual(boundRows(rows(100), { limit: 100, query: '*', hasSql: false }).notes, [
      '100 rows is the most one search returns, so more may match; narrow the query or the time range',
    ]);
  });

  it('marks SQL rows past the limit, and the 100-row cap of SQL without LIMIT', () => {
    assert.deepEqual(boundRows(rows(30), { limit: 20, query: '* | SELECT n LIMIT 30', hasSql: true }).notes, [
      '10 more rows not shown (limit 20); add LIMIT/aggregation or narrow the search',
    ]);
    assert.deepEqual(boundRows(rows(100), { limit: 100, query: '* | SELECT n', hasSql: true }).notes, [
      'Log Service returns at most 100 rows for SQL without LIMIT, so more may exist; aggregate, or page with LIMIT offset, count',
    ]);
    assert.deepEqual(boundRows(rows(100), { limit: 100, query: '* | SELECT n LIMIT 100', hasSql: true }).notes, []);
    assert.deepEqual(boundRows(rows(5), { limit: 20, query: '* | SELECT n', hasSql: true }).notes, []);
  });

  it('cuts long values and counts them', () => {
    const bounded = boundRows([{ content: 'x'.repeat(1500), short: 'ok' }], { limit: 5, query: '*', hasSql: false });
    assert.equal(bounded.rows[0]!.content, `${'x'.repeat(1000)}…[+500 chars]`);
    assert.equal(bounded.rows[0]!.short, 'ok');
    assert.deepEqual(bounded.notes, ['1 values cut at 1000 characters']);
  });
});

describe('renderRows', () => {
  it('renders few columns as a table and leaves out Log Service tags', () => {
    assert.equal(
      renderRows([{ reason: 'BackOff', n: '12', __topic__: 'k8s-event', '__tag__:__hostname__': 'h' }]),
      'reason   n\nBackOff  12',
    );
  });

  it('renders many columns as key=value lines, skipping empty values', () => {
    const row = { a: '1', b: '2', c: '', d: '4', e: '5', f: '6', g: '7' };
    assert.equal(renderRows([row]), 'a=1  b=2  d=4  e=5  f=6  g=7');
  });
});
