/**
 * How many kubectl processes run at once in this process. Each one holds ~45 MB, and a function instance has 512 MB:
 * calls past the limit wait in a FIFO queue for a free slot, each still bound by its own deadline and its client's
 * abort. One limiter per server (`ServerServices.kubectlRunSlots`); each call brings the limit of its server's settings.
 */
import { EventEmitter } from 'node:events';

/** Why a call stopped waiting for a slot; nothing was run. */
export class SlotWaitEnded extends Error {
  override name = 'SlotWaitEnded';

  constructor(
    readonly reason: 'deadline' | 'aborted',
    readonly waitedMs: number,
  ) {
    super(
      reason === 'deadline'
        ? 'the deadline passed while waiting for a free kubectl slot'
        : 'cancelled while waiting for a free kubectl slot',
    );
  }
}

export interface SlotGrant {
  /** Give the slot back (to the next waiter, if any). Calling it again does nothing. */
  release(): void;
  /** How long the call waited for the slot (0 when one was free). */
  waitedMs: number;
}

export interface AcquireOptions {
  /** Run only while fewer than this many (≥ 1) hold a slot. */
  limit: number;
  /** `performance.now()` time after which the call stops waiting. */
  deadline?: number | undefined;
  /** Stops waiting when aborted. */
  signal?: AbortSignal | undefined;
  /** Called once when the call has to wait, with the number of calls queued ahead of it. */
  onQueued?: ((ahead: number) => void) | undefined;
}

interface Waiter {
  limit: number;
  grant(): void;
}

/**
 * A FIFO counting semaphore. Events: `queued` (a call started waiting), `left` (a waiter gave up: its reason).
 */
export class RunSlots extends EventEmitter {
  private active = 0;
  private readonly queue: Waiter[] = [];

  /** Slots in use. */
  get running(): number {
    return this.active;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Take a slot, waiting in arrival order when `limit` are in use.
   * @throws SlotWaitEnded when the deadline passes or the signal aborts before a slot is free
   * @example
   * const slot = await slots.acquire({ limit: 4, deadline: performance.now() + 30_000, signal });
   * try { await run(); } finally { slot.release(); }
   */
  acquire(options: AcquireOptions): Promise<SlotGrant> {
    const { limit, deadline, signal, onQueued } = options;
    if (!Number.isInteger(limit) || limit < 1) return Promise.reject(new RangeError(`limit must be a positive integer, got ${limit}`));
    if (signal?.aborted) return Promise.reject(new SlotWaitEnded('aborted', 0));
    if (this.active < limit && this.queue.length === 0) {
      this.active += 1;
      return Promise.resolve({ release: this.releaser(), waitedMs: 0 });
    }
    const started = performance.now();
    if (deadline !== undefined && deadline <= started) return Promise.reject(new SlotWaitEnded('deadline', 0));
    return new Promise<SlotGrant>((resolve, reject) => {
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        limit,
        grant: () => {
          cleanup();
          resolve({ release: this.releaser(), waitedMs: performance.now() - started });
        },
      };
      const leave = (reason: SlotWaitEnded['reason']) => {
        const at = this.queue.indexOf(waiter);
        if (at < 0) return; // already granted
        this.queue.splice(at, 1);
        cleanup();
        reject(new SlotWaitEnded(reason, performance.now() - started));
        this.emit('left', reason);
        this.pump(); // the head may have been what held the others back
      };
      const onAbort = () => leave('aborted');
      const timer = deadline !== undefined ? setTimeout(() => leave('deadline'), deadline - started) : undefined;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      onQueued?.(this.queue.length - 1);
      this.emit('queued', this.queue.length - 1);
    });
  }

  /** A release function for one granted slot. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.pump();
    };
  }

  /** Grant slots to the waiters at the head of the queue while their limits allow. */
  private pump(): void {
    while (this.queue.length > 0 && this.active < this.queue[0]!.limit) {
      this.active += 1;
      this.queue.shift()!.grant();
    }
  }
}

/** A wait for a slot this long or longer is mentioned in the answer. */
export const WAIT_WORTH_SAYING_MS = 1_000;

/** "at most 4 kubectl commands at once" */
export const commandsAtOnce = (limit: number): string => `at most ${limit} kubectl command${limit === 1 ? '' : 's'} at once`;

/** The line an answer gets about a wait for a slot, when the wait was long enough to matter. */
export function slotWaitNote(waitedMs: number, limit: number): string | undefined {
  if (waitedMs < WAIT_WORTH_SAYING_MS) return undefined;
  return `[waited ${(waitedMs / 1000).toFixed(1)} s for a free kubectl slot: this server runs ${commandsAtOnce(limit)}]`;
}
