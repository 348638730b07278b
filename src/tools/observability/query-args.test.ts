import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolFailure } from '../../errors/tool-failure.ts';
import { cutCell, formatSpan, timeRange, unixSecondsArg } from './query-args.ts';

describe('timeRange', () => {
  const limits = { defaultSeconds: 3600, maxSeconds: 86_400 };

  it('defaults to the last defaultSeconds before to (or now)', () => {
    assert.deepEqual(timeRange(undefined, 1_700_003_600, limits), { from: 1_700_000_000, to: 1_700_003_600 });
    const now = Math.floor(Date.now() / 1000);
    const range = timeRange(undefined, undefined, limits);
    assert.ok(Math.abs(range.to - now) <= 1 && range.to - range.from === 3600);
  });

  it('refuses a range in the wrong order, naming both ends, and says nothing was sent', () => {
    assert.throws(
      () => timeRange(1_700_000_100, 1_700_000_000, { ...limits, names: ['start', 'end'] }),
      (error: ToolFailure) =>
        error.code === 'InvalidTimeRange' &&
        /^start \(1700000100\) must be before end \(1700000000\)/.test(error.message) &&
        /Nothing was sent/.test(error.details.hint ?? ''),
    );
    assert.throws(() => timeRange(1_700_000_000, 1_700_000_000, limits), /must be before/);
  });

  it('refuses a range longer than the bound, in words', () => {
    assert.throws(
      () => timeRange(1_700_000_000, 1_700_000_000 + 86_401, limits),
      /The time range is 24\.0 hours, longer than the 1 day\(s\) this tool allows/,
    );
    assert.deepEqual(timeRange(1_700_000_000, 1_700_086_400, limits), { from: 1_700_000_000, to: 1_700_086_400 });
  });
});

describe('formatSpan', () => {
  it('uses the largest whole unit', () => {
    assert.deepEqual(
      [formatSpan(7 * 86_400), formatSpan(7200), formatSpan(5400), formatSpan(90)],
      ['7 day(s)', '2 hour(s)', '1.5 hours', '90 seconds'],
    );
  });
});

describe('cutCell', () => {
  it('keeps short values and marks the cut of long ones', () => {
    assert.deepEqual(cutCell('short', 10), { text: 'short', cut: false });
    assert.deepEqual(cutCell('x'.repeat(15), 10), { text: `${'x'.repeat(10)}…[+5 chars]`, cut: true });
  });
});

describe('unixSecondsArg', () => {
  it('explains a millisecond timestamp', () => {
    const result = unixSecondsArg.safeParse(1_700_000_000_000);
    assert.equal(result.success, false);
    assert.match(result.error!.issues[0]!.message, /must be unix seconds, not milliseconds .*divide a millisecond timestamp by 1000/);
  });

  it('accepts unix seconds and refuses times before 2000', () => {
    assert.equal(unixSecondsArg.parse(1_700_000_000), 1_700_000_000);
    assert.match(unixSecondsArg.safeParse(1000).error!.issues[0]!.message, /must be unix seconds \(from 946684800/);
  });
});
