/**
 * Calls an Alibaba Cloud operation with the retry policy its kind allows:
 * - reads retry throttling, 5xx and network failures, with exponential backoff and a bound;
 * - writes retry only rejections that provably happened before the operation (throttling).
 *   Any failure after a write may have been applied (timeout, connection reset, 5xx) becomes
 *   `OutcomeUnknownFailure`, never a second send.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { isNetworkOrTimeout, isThrottling, toToolFailure, upstreamStatus } from '../errors/map-error.ts';
import { OutcomeUnknownFailure } from '../errors/tool-failure.ts';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /**
   * Bound on one attempt, enforced here regardless of the SDK: the SDK's own read timeout is
   * lost when a pooled keep-alive socket is reused within `readTimeout` of the request before
   * it (a stale per-socket timer clears the new one), so a call could otherwise wait forever.
   */
  attemptTimeoutMs?: number;
}

/** Runs `operation`, failing with a timeout error (named like the SDK's) after `ms`. */
export async function withDeadline<T>(ms: number | undefined, operation: () => Promise<T>): Promise<T> {
  if (ms === undefined) return operation();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`ReadTimeout(${ms}): no answer within ${ms} ms.`);
      error.name = 'RequestTimeoutError';
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([operation(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export interface WriteDescription {
  /** What was asked, in words, e.g. "scale node pool np1 by 2". */
  summary: string;
  /** How the agent can find out what happened. */
  howToCheck: string;
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const exponential = policy.baseDelayMs * 2 ** attempt;
  return exponential / 2 + Math.random() * (exponential / 2);
}

function isRetryableRead(error: unknown): boolean {
  const status = upstreamStatus(error);
  return isThrottling(error) || (status !== undefined && status >= 500) || (status === undefined && isNetworkOrTimeout(error));
}

export async function callRead<T>(policy: RetryPolicy, operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await withDeadline(policy.attemptTimeoutMs, operation);
    } catch (error) {
      if (attempt >= policy.maxRetries || !isRetryableRead(error) || signal?.aborted) throw error;
      await delay(backoff(policy, attempt), undefined, signal ? { signal } : undefined);
    }
  }
}

export async function callWrite<T>(
  policy: RetryPolicy,
  description: WriteDescription,
  operation: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await withDeadline(policy.attemptTimeoutMs, operation);
    } catch (error) {
      const status = upstreamStatus(error);
      if (isThrottling(error) && status !== undefined && status < 500) {
        if (attempt >= policy.maxRetries || signal?.aborted) throw error;
        await delay(backoff(policy, attempt), undefined, signal ? { signal } : undefined);
        continue;
      }
      const ambiguous = status === undefined ? isNetworkOrTimeout(error) : status >= 500;
      if (ambiguous) {
        const cause = toToolFailure(error);
        throw new OutcomeUnknownFailure(
          'OutcomeUnknown',
          `The request to ${description.summary} was sent, but ${status ? `Alibaba Cloud answered HTTP ${status} (${cause.code})` : 'no answer arrived in time'}. It may or may not have been applied, so it was NOT retried.`,
          { hint: `Do not repeat it blindly. ${description.howToCheck}`, requestId: cause.details.requestId },
        );
      }
      throw error;
    }
  }
}
