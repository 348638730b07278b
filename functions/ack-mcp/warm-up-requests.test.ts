/**
 * The build's warm-up requests go through the real server and succeed: otherwise the code cache written after them
 * would hold the compiled code of an error path instead of a first caller's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { warmUpRequests } from './warm-up-requests.ts';

describe("the build's warm-up requests", () => {
  it('answer a tools/list and a list_nodepools of the stand-in cloud, as a 2025 and as a 2026-07-28 client', async () => {
    const answers = await warmUpRequests();
    assert.deepEqual(
      answers.map((answer) => [answer.request, answer.status]),
      [
        ['tools/list', 200],
        ['tools/call list_nodepools', 200],
        ['tools/call list_nodepools (2026-07-28)', 200],
      ],
    );
    assert.match(answers[0]!.body, /"name":"list_nodepools"/);
    for (const call of answers.slice(1)) {
      const result = JSON.parse(call.body).result as {
        isError?: boolean;
        structuredContent: { nodepools: Array<{ nodepool_id: string }> };
      };
      assert.equal(result.isError, undefined);
      assert.deepEqual(
        result.structuredContent.nodepools.map((pool) => pool.nodepool_id),
        ['np-warm-up'],
      );
    }
  });
});
