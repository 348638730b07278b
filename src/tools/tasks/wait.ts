/**
 * Bounded waiting for ACK's asynchronous work (tasks, diagnoses): read, and while the work is
 * not done and the wait has time left, send a progress notification, pause, read again.
 *
 * The pause between reads is 2 s. `ACK_MCP_POLL_INTERVAL_MS` (10-10000) overrides it; it is
 * read on every call, from the process environment, so tests can shorten it without a
 * server setting. Operators have no reason to change it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type { ToolContext } from '../tool-context.ts';

export const DEFAULT_POLL_INTERVAL_MS = 2_000;
export const MAX_WAIT_SECONDS = 120;

export function pollIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const raw = Number(env.ACK_MCP_POLL_INTERVAL_MS);
  return Number.isInteger(raw) && raw >= 10 && raw <= 10_000 ? raw : DEFAULT_POLL_INTERVAL_MS;
}

export function waitSecondsArg(what: string) {
  return z
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .default(0)
    .describe(`Seconds to wait, 0-${MAX_WAIT_SECONDS} (default 0: answer at once), polling every ~2 s until ${what}`);
}

export interface Waited<T> {
  value: T;
  /** Seconds spent waiting, rounded to 0.1 s. */
  waited_seconds: number;
  done: boolean;
}

export async function pollUntil<T>(
  ctx: Pick<ToolContext, 'signal' | 'progress'>,
  waitSeconds: number,
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  describe: (value: T) => string,
): Promise<Waited<T>> {
  const started = Date.now();
  const deadline = started + waitSeconds * 1000;
  const interval = pollIntervalMs();
  let value = await read();
  while (!isDone(value)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const elapsed = (Date.now() - started) / 1000;
    await ctx.progress(elapsed, waitSeconds, describe(value));
    await delay(Math.min(interval, remaining), undefined, { signal: ctx.signal });
    value = await read();
  }
  return { value, waited_seconds: Math.round((Date.now() - started) / 100) / 10, done: isDone(value) };
}
