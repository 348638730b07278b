import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TtlCache } from './ttl-cache.ts';

/** A cache on a clock the test moves, and a loader that counts its calls. */
function setup(maxEntries = 10) {
  const clock = { now: 1_000_000 };
  const cache = new TtlCache<string>(maxEntries, () => clock.now);
  const loads: string[] = [];
  const loader =
    (key: string, ttlMs = 1000) =>
    async () => {
      loads.push(key);
      return { value: `${key}#${loads.length}`, ttlMs };
    };
  return { clock, cache, loads, loader };
}

describe('TtlCache', () => {
  test('a value is served from cache until its TTL has passed, then loaded again', async () => {
    const { clock, cache, loads, loader } = setup();
    assert.equal(await cache.getOrLoad('a', loader('a')), 'a#1');
    clock.now += 999;
    assert.equal(await cache.getOrLoad('a', loader('a')), 'a#1');
    clock.now += 1; // expiresAt is exclusive
    assert.equal(await cache.getOrLoad('a', loader('a')), 'a#2');
    assert.deepEqual(loads, ['a', 'a']);
  });

  test('each entry has the TTL its load returned', async () => {
    const { clock, cache, loader } = setup();
    await cache.getOrLoad('short', loader('short', 10));
    await cache.getOrLoad('long', loader('long', 10_000));
    clock.now += 10;
    assert.equal(await cache.getOrLoad('short', loader('short')), 'short#3');
    assert.equal(await cache.getOrLoad('long', loader('long')), 'long#2');
  });

  test('the size is bounded: the oldest entry goes first', async () => {
    const { cache, loads, loader } = setup(2);
    for (const key of ['a', 'b', 'c']) await cache.getOrLoad(key, loader(key));
    assert.equal(cache.size, 2);
    await cache.getOrLoad('c', loader('c'));
    await cache.getOrLoad('b', loader('b'));
    assert.deepEqual(loads, ['a', 'b', 'c'], 'b and c still cached');
    await cache.getOrLoad('a', loader('a'));
    assert.deepEqual(loads, ['a', 'b', 'c', 'a'], 'a was evicted');
    assert.equal(cache.size, 2);
  });

  test('a failed load is not cached: the error reaches the caller and the next call loads again', async () => {
    const { cache, loads, loader } = setup();
    await assert.rejects(
      cache.getOrLoad('a', async () => {
        loads.push('failing');
        throw new Error('upstream down');
      }),
      /upstream down/,
    );
    assert.equal(cache.size, 0);
    assert.equal(await cache.getOrLoad('a', loader('a')), 'a#2');
    assert.deepEqual(loads, ['failing', 'a']);
  });

  test('concurrent callers of one key share one load, its value and its failure', async () => {
    const { cache } = setup();
    let release!: (value: { value: string; ttlMs: number }) => void;
    let calls = 0;
    const slow = () => {
      calls += 1;
      return new Promise<{ value: string; ttlMs: number }>((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.getOrLoad('a', slow), cache.getOrLoad('a', slow)]);
    release({ value: 'shared', ttlMs: 1000 });
    assert.deepEqual(await both, ['shared', 'shared']);
    assert.equal(calls, 1);

    let fail!: (error: Error) => void;
    const failing = () => {
      calls += 1;
      return new Promise<{ value: string; ttlMs: number }>((_resolve, reject) => (fail = reject));
    };
    const first = cache.getOrLoad('b', failing);
    const second = cache.getOrLoad('b', failing);
    fail(new Error('once'));
    await assert.rejects(first, /once/);
    await assert.rejects(second, /once/);
    assert.equal(calls, 2, 'one load for the two callers of b');
    assert.equal(cache.size, 1, 'only a is cached');
  });

  test('delete forgets a key', async () => {
    const { cache, loads, loader } = setup();
    await cache.getOrLoad('a', loader('a'));
    cache.delete('a');
    await cache.getOrLoad('a', loader('a'));
    assert.deepEqual(loads, ['a', 'a']);
  });
});
