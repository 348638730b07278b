/** The emulator's query engine: the search part, the split at `|`, and where `FROM log` goes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runLogQuery, type TimedRow } from './sql-engine.ts';

const rows: TimedRow[] = [
  { time: 100, fields: { reason: 'BackOff', message: 'Back-off restarting | failed container', level: 'Warning' } },
  { time: 200, fields: { reason: 'Pulled', message: 'image from registry pulled', level: 'Normal' } },
  { time: 300, fields: { reason: 'BackOff', message: 'Back-off again', level: 'Warning' } },
];
const options = { line: 100, offset: 0, reverse: false };

describe('runLogQuery', () => {
  it('does not split at a | inside a quoted phrase', async () => {
    const answer = await runLogQuery(rows, 'message: "restarting | failed" | SELECT reason', options);
    assert.deepEqual(answer.rows, [{ reason: 'BackOff' }]);
    const search = await runLogQuery(rows, '"restarting | failed"', options);
    assert.equal(search.hasSql, false);
    assert.equal(search.rows.length, 1);
  });

  it('adds FROM log when "from" appears only inside a string literal or a quoted name', async () => {
    const literal = await runLogQuery(rows, `* | SELECT 'from here' AS x, count(*) AS n WHERE reason = 'BackOff'`, options);
    assert.deepEqual(literal.rows, [{ x: 'from here', n: '2' }]);
    const quotedName = await runLogQuery(rows, `* | SELECT reason AS "from" GROUP BY reason ORDER BY reason`, options);
    assert.deepEqual(quotedName.rows, [{ from: 'BackOff' }, { from: 'Pulled' }]);
  });

  it('keeps an explicit FROM (subqueries name the logstore table `log`)', async () => {
    const answer = await runLogQuery(rows, '* | SELECT count(1) AS n FROM (SELECT DISTINCT reason FROM log)', options);
    assert.deepEqual(answer.rows, [{ n: '2' }]);
  });

  it('puts FROM before the first top-level clause, not one inside parentheses', async () => {
    const answer = await runLogQuery(
      rows,
      `* | SELECT reason, (SELECT count(*) FROM log l WHERE l.level = 'Warning') AS warnings GROUP BY reason ORDER BY reason`,
      options,
    );
    assert.deepEqual(answer.rows, [
      { reason: 'BackOff', warnings: '2' },
      { reason: 'Pulled', warnings: '2' },
    ]);
    const nested = await runLogQuery(rows, `* | SELECT max(length(message)) AS longest WHERE reason IN ('BackOff') LIMIT 1`, options);
    assert.deepEqual(nested.rows, [{ longest: '38' }]);
  });

  it('caps SQL without LIMIT at 100 rows, as Log Service does, and honours LIMIT', async () => {
    const many: TimedRow[] = Array.from({ length: 150 }, (_, i) => ({ time: i, fields: { n: String(i) } }));
    assert.equal((await runLogQuery(many, '* | SELECT n', options)).rows.length, 100);
    assert.equal((await runLogQuery(many, '* | SELECT n LIMIT 120', options)).rows.length, 120);
    assert.equal((await runLogQuery(many, `* | SELECT n WHERE n <> 'limit 5'`, options)).rows.length, 100);
  });
});
