import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OutcomeUnknownFailure } from '../errors/tool-failure.ts';
import { callRead, callWrite } from './call-upstream.ts';

const policy = { maxRetries: 2, baseDelayMs: 1, attemptTimeoutMs: 50 };
const write = { summary: 'scale node pool np1 by 2', howToCheck: 'Call list_nodepools.' };

function sdkError(statusCode: number, code: string) {
  return Object.assign(new Error(`code: ${statusCode}, failed request id: R1`), { statusCode, code, data: { requestId: 'R1' } });
}

function attempts<T>(outcomes: Array<T | Error | 'hang'>) {
  let count = 0;
  const run = () => {
    const outcome = outcomes[Math.min(count, outcomes.length - 1)];
    count += 1;
    if (outcome === 'hang') return new Promise<T>(() => undefined);
    return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome as T);
  };
  return { run, count: () => count };
}

describe('callRead', () => {
  test('retries throttling, 5xx and a hung attempt, then succeeds', async () => {
    const op = attempts<string>([sdkError(400, 'Throttling.User'), 'hang', 'ok']);
    assert.equal(await callRead(policy, op.run), 'ok');
    assert.equal(op.count(), 3);
  });

  test('does not retry a client error', async () => {
    const op = attempts<string>([sdkError(404, 'ErrorClusterNotFound'), 'ok']);
    await assert.rejects(callRead(policy, op.run), /failed/);
    assert.equal(op.count(), 1);
  });

  test('gives up after the bound', async () => {
    const op = attempts<string>([sdkError(503, 'ServiceUnavailable')]);
    await assert.rejects(callRead(policy, op.run));
    assert.equal(op.count(), 3);
  });
});

describe('callWrite', () => {
  test('retries a throttling rejection (it happened before the operation)', async () => {
    const op = attempts<string>([sdkError(400, 'Throttling.User'), 'done']);
    assert.equal(await callWrite(policy, write, op.run), 'done');
    assert.equal(op.count(), 2);
  });

  for (const [what, outcome] of [
    ['a 5xx', sdkError(500, 'InternalError')],
    ['a timeout after sending', 'hang'],
  ] as const) {
    test(`${what} is never retried: outcome unknown, with how to check`, async () => {
      const op = attempts<string>([outcome, 'done']);
      await assert.rejects(callWrite(policy, write, op.run), (error: unknown) => {
        assert.ok(error instanceof OutcomeUnknownFailure);
        assert.match(error.message, /scale node pool np1 by 2 was sent.*NOT retried/);
        assert.match(error.details.hint ?? '', /list_nodepools/);
        return true;
      });
      assert.equal(op.count(), 1);
    });
  }

  test('a plain rejection passes through unchanged', async () => {
    const op = attempts<string>([sdkError(403, 'Forbidden.RAM')]);
    await assert.rejects(callWrite(policy, write, op.run), (error: { code?: string }) => error.code === 'Forbidden.RAM');
    assert.equal(op.count(), 1);
  });
});
