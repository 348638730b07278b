/**
 * Calls an Alibaba Cloud operation with the retry policy its kind allows. Each failure is first
 * classified by what it proves about the request (`classifyFailure`):
 *
 * | kind          | proves                                                     | read              | write                          |
 * |---------------|------------------------------------------------------------|-------------------|--------------------------------|
 * | `throttled`   | refused before it ran (4xx `Throttling…`, 429)             | retried           | retried                        |
 * | `not-sent`    | never left: name lookup or TCP connect failed              | retried           | retried; final: "not sent"     |
 * | `rejected`    | refused with an Alibaba Cloud error code (other 4xx)       | passed through    | passed through                 |
 * | `codeless-4xx`| a 4xx without an error code (a gateway? unknown)           | passed through    | outcome unknown                |
 * | `server-error`| 5xx, with or without a code                                | retried           | outcome unknown                |
 * | `unreadable`  | an answer arrived but is not JSON / not the documented shape | retried         | outcome unknown                |
 * | `lost`        | timeout, reset or hang-up after the request may have left  | retried           | outcome unknown                |
 * | `cancelled`   | the caller went away during a pause                        | `Cancelled`       | `Cancelled`, nothing changed   |
 * | `unknown`     | anything else (a bug?)                                     | thrown (logged)   | outcome unknown (cause logged) |
 *
 * A write is sent again only after a provable pre-operation rejection; anything else becomes an
 * `OutcomeUnknownFailure` that says how to check. Pauses grow exponentially from `baseDelayMs`,
 * each capped at `maxDelayMs` (a throttling answer's `x-acs-retry-after` is honoured up to that
 * cap), and no retry starts once `budgetMs` has passed since the first attempt, so a call stays
 * well inside the function's timeout whatever `maxRetries` says.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  bodyMessage,
  isAbort,
  isNetworkOrTimeout,
  isThrottling,
  networkCode,
  neverSent,
  toToolFailure,
  upstreamCode,
  upstreamRequestId,
  upstreamStatus,
} from '../errors/map-error.ts';
import { OutcomeUnknownFailure, ToolFailure } from '../errors/tool-failure.ts';
import { describeUnreadable, isUnreadableAnswer } from '../errors/unreadable-answer.ts';

export const DEFAULT_MAX_DELAY_MS = 5_000;
export const DEFAULT_RETRY_BUDGET_MS = 30_000;

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  /** Cap on one pause between attempts (default 5 s). */
  maxDelayMs?: number;
  /** No retry starts once this long has passed since the first attempt (default 30 s). */
  budgetMs?: number;
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

export type FailureKind =
  | 'throttled'
  | 'not-sent'
  | 'rejected'
  | 'codeless-4xx'
  | 'server-error'
  | 'unreadable'
  | 'lost'
  | 'cancelled'
  | 'unknown';

/** What a failed SDK call proves about the request (see the table above). */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof ToolFailure) return 'unknown';
  if (isAbort(error)) return 'cancelled';
  const status = upstreamStatus(error);
  if (status !== undefined) {
    if (status >= 500) return 'server-error';
    if (isThrottling(error)) return 'throttled';
    return upstreamCode(error) ? 'rejected' : 'codeless-4xx';
  }
  if (isUnreadableAnswer(error)) return 'unreadable';
  if (neverSent(error)) return 'not-sent';
  if (isNetworkOrTimeout(error)) return 'lost';
  return 'unknown';
}

const READ_RETRIES: ReadonlySet<FailureKind> = new Set(['throttled', 'not-sent', 'server-error', 'unreadable', 'lost']);
const WRITE_RETRIES: ReadonlySet<FailureKind> = new Set(['throttled', 'not-sent']);

/** The pause before retry number `attempt + 1`: capped exponential with jitter, or the server's retry-after. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, error: unknown): number {
  const cap = policy.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const retryAfter = (error as { retryAfter?: unknown })?.retryAfter;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter, cap);
  const exponential = Math.min(cap, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return exponential / 2 + Math.random() * (exponential / 2);
}

/**
 * Runs `operation` until it succeeds or a failure is not to be retried; then throws the last
 * error with its kind and the number of attempts made.
 */
async function attempt<T>(
  policy: RetryPolicy,
  operation: () => Promise<T>,
  signal: AbortSignal | undefined,
  retries: ReadonlySet<FailureKind>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown; kind: FailureKind; attempts: number }> {
  const started = Date.now();
  const budget = policy.budgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  for (let attempts = 1; ; attempts += 1) {
    try {
      return { ok: true, value: await withDeadline(policy.attemptTimeoutMs, operation) };
    } catch (error) {
      const kind = classifyFailure(error);
      const pause = retryDelayMs(policy, attempts - 1, error);
      const exhausted = attempts > policy.maxRetries || Date.now() - started + pause > budget;
      if (!retries.has(kind) || exhausted) return { ok: false, error, kind, attempts };
      try {
        await delay(pause, undefined, signal ? { signal } : undefined);
      } catch (aborted) {
        return { ok: false, error: aborted, kind: 'cancelled', attempts };
      }
    }
  }
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}

export async function callRead<T>(policy: RetryPolicy, operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const outcome = await attempt(policy, operation, signal, READ_RETRIES);
  if (outcome.ok) return outcome.value;
  if (outcome.kind === 'unreadable') {
    throw new ToolFailure(
      'UpstreamBadResponse',
      `Alibaba Cloud's answer could not be read (${describeUnreadable(outcome.error)}); asked ${times(outcome.attempts)}.`,
      {
        hint: 'Retry shortly. If it persists, something between this server and Alibaba Cloud (a proxy or gateway) may be answering instead: check CS_ENDPOINT / CS_REGION_ENDPOINTS.',
        retryable: true,
      },
    );
  }
  throw outcome.error;
}

function whatHappened(error: unknown, kind: FailureKind): string {
  const status = upstreamStatus(error);
  if (kind === 'server-error' || kind === 'codeless-4xx') {
    const code = upstreamCode(error);
    return code
      ? `Alibaba Cloud answered HTTP ${status} (${code})`
      : `Alibaba Cloud answered HTTP ${status} without an error code${bodyMessage(error) ? ` ("${bodyMessage(error)}")` : ''}`;
  }
  if (kind === 'unreadable') return `the answer could not be read (${describeUnreadable(error)})`;
  if (kind === 'lost') {
    const code = networkCode(error);
    return code ? `the connection broke before an answer arrived (${code})` : 'no answer arrived in time';
  }
  return 'it failed in an unexpected way (logged for the operator)';
}

export async function callWrite<T>(
  policy: RetryPolicy,
  description: WriteDescription,
  operation: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const outcome = await attempt(policy, operation, signal, WRITE_RETRIES);
  if (outcome.ok) return outcome.value;
  const { error, kind, attempts } = outcome;
  switch (kind) {
    case 'rejected':
      throw error;
    case 'throttled': {
      const cause = toToolFailure(error);
      throw new ToolFailure(
        cause.code,
        `Alibaba Cloud refused to ${description.summary} ${times(attempts)}: it throttled the request (${cause.message}). ` +
          'Throttling refuses a request before it runs, so nothing was changed.',
        {
          hint: 'Wait a minute before trying again; other callers of this account may be using its API quota.',
          requestId: cause.details.requestId,
          httpStatus: cause.details.httpStatus,
          retryable: true,
        },
      );
    }
    case 'not-sent':
      throw new ToolFailure(
        'UpstreamUnreachable',
        `The request to ${description.summary} was not sent: the connection to Alibaba Cloud could not be opened ` +
          `(${networkCode(error) ?? 'connect failed'}; tried ${times(attempts)}). Nothing was changed.`,
        {
          hint: 'Retry shortly; if it persists, check the network path from the function to the endpoint (CS_ENDPOINT / CS_REGION_ENDPOINTS).',
          retryable: true,
        },
      );
    case 'cancelled':
      throw new ToolFailure(
        'Cancelled',
        `The call was cancelled before the request to ${description.summary} was sent again; Alibaba Cloud had refused it before it ran, so nothing was changed.`,
        { hint: 'Call again if it is still wanted.' },
      );
    default: {
      const failure = new OutcomeUnknownFailure(
        'OutcomeUnknown',
        `The request to ${description.summary} was sent, but ${whatHappened(error, kind)}. It may or may not have been applied, so it was NOT retried.`,
        {
          hint: `Do not repeat it blindly. ${description.howToCheck}`,
          requestId: upstreamRequestId(error),
          httpStatus: upstreamStatus(error),
        },
      );
      if (kind === 'unknown') failure.loggedCause = error;
      throw failure;
    }
  }
}
