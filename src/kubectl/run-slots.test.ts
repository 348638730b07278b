import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RunSlots, SlotWaitEnded, slotWaitNote, type SlotGrant } from './run-slots.ts';

describe('RunSlots', () => {
  test('never more than the limit at once; waiters get slots in arrival order, each slot handed straight over', async () => {
    const slots = new RunSlots();
    const order: number[] = [];
    const ahead: number[] = [];
    const grants: Array<Promise<SlotGrant>> = [];
    for (let i = 0; i < 6; i++)
      grants.push(
        slots.acquire({ limit: 2, onQueued: (n) => ahead.push(n) }).then((grant) => {
          order.push(i);
          return grant;
        }),
      );
    assert.deepEqual([slots.running, slots.waiting], [2, 4]);
    assert.deepEqual(ahead, [0, 1, 2, 3]);
    const held = [await grants[0]!, await grants[1]!];
    assert.deepEqual(order, [0, 1]);
    for (let next = 2; next < 6; next++) {
      held.shift()!.release();
      held.push(await grants[next]!);
      assert.equal(slots.running, 2);
      assert.equal(slots.waiting, 5 - next);
    }
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.ok((await grants[5]!).waitedMs > 0);
    assert.equal((await grants[0]!).waitedMs, 0);
    for (const grant of held) grant.release();
    held[0]!.release(); // a second release changes nothing
    assert.deepEqual([slots.running, slots.waiting], [0, 0]);
  });

  test('a waiter whose deadline passes leaves the queue with reason "deadline"; the others keep their places', async () => {
    const slots = new RunSlots();
    const left: string[] = [];
    slots.on('left', (reason: string) => left.push(reason));
    const first = await slots.acquire({ limit: 1 });
    const late = slots.acquire({ limit: 1, deadline: performance.now() + 30 });
    const patient = slots.acquire({ limit: 1 });
    await assert.rejects(late, (error: unknown) => error instanceof SlotWaitEnded && error.reason === 'deadline' && error.waitedMs >= 25);
    assert.equal(slots.waiting, 1);
    assert.deepEqual(left, ['deadline']);
    first.release();
    (await patient).release();
    assert.deepEqual([slots.running, slots.waiting], [0, 0]);
    const held = await slots.acquire({ limit: 1, deadline: performance.now() - 1 }); // a free slot is taken whatever the deadline
    await assert.rejects(slots.acquire({ limit: 1, deadline: performance.now() - 1 }), /deadline passed/);
    held.release();
    assert.deepEqual([slots.running, slots.waiting], [0, 0]);
  });

  test('a waiter whose client aborts leaves the queue with reason "aborted" and never gets the slot', async () => {
    const slots = new RunSlots();
    const first = await slots.acquire({ limit: 1 });
    const controller = new AbortController();
    let granted = false;
    const cancelled = slots.acquire({ limit: 1, signal: controller.signal }).then(() => (granted = true));
    const next = slots.acquire({ limit: 1 });
    controller.abort();
    await assert.rejects(cancelled, (error: unknown) => error instanceof SlotWaitEnded && error.reason === 'aborted');
    assert.equal(slots.waiting, 1);
    first.release();
    (await next).release();
    assert.equal(granted, false);
    assert.deepEqual([slots.running, slots.waiting], [0, 0]);
    await assert.rejects(slots.acquire({ limit: 1, signal: AbortSignal.abort() }), /cancelled/);
    assert.equal(slots.running, 0);
  });

  test('each call brings its own limit: strict arrival order, a head that gives up lets the next one run', async () => {
    const slots = new RunSlots();
    const a = await slots.acquire({ limit: 2 });
    const b = await slots.acquire({ limit: 2 });
    const controller = new AbortController();
    const strict = slots.acquire({ limit: 1, signal: controller.signal }); // needs the process to itself
    let roomy = false;
    // queued behind it (FIFO)
    const wide = slots.acquire({ limit: 4 }).then((grant) => {
      roomy = true;
      return grant;
    });
    assert.deepEqual([slots.running, slots.waiting, roomy], [2, 2, false]);
    controller.abort();
    await assert.rejects(strict, /cancelled/);
    (await wide).release();
    assert.equal(roomy, true);
    a.release();
    b.release();
    assert.deepEqual([slots.running, slots.waiting], [0, 0]);
  });

  test('a wait of a second or more is worth a line in the answer', () => {
    assert.equal(slotWaitNote(0, 4), undefined);
    assert.equal(slotWaitNote(999, 4), undefined);
    assert.equal(slotWaitNote(2_345, 4), '[waited 2.3 s for a free kubectl slot: this server runs at most 4 kubectl commands at once]');
    assert.equal(slotWaitNote(1_000, 1), '[waited 1.0 s for a free kubectl slot: this server runs at most 1 kubectl command at once]');
  });

  test('rejects a limit below 1', async () => {
    await assert.rejects(new RunSlots().acquire({ limit: 0 }), RangeError);
    await assert.rejects(new RunSlots().acquire({ limit: 1.5 }), RangeError);
  });
});
