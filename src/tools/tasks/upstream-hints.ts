/**
 * Adds an action-specific hint to upstream errors whose code the agent can act on (the
 * generic mapping in errors/map-error.ts knows nothing about tasks or diagnoses).
 */
import { toToolFailure, upstreamCode } from '../../errors/map-error.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';

export async function withHints<T>(hints: Record<string, string>, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const code = upstreamCode(error);
    const hint = code === undefined ? undefined : hints[code];
    if (hint === undefined || error instanceof ToolFailure) throw error;
    const failure = toToolFailure(error);
    throw new ToolFailure(failure.code, failure.message, { ...failure.details, hint });
  }
}

/**
 * Bounds one upstream call by `ms` regardless of the SDK. The SDK's own read timeout is lost
 * when a pooled keep-alive socket is reused within `readTimeout` of the request before it
 * (httpx's stale per-socket timer clears the new one, because the SDK never calls
 * `httpx.read`), so a write could otherwise wait without limit. The error is named like the
 * SDK's timeout, so `callRead` retries it and `callWrite` reports the outcome as unknown.
 */
export async function withDeadline<T>(ms: number, operation: () => Promise<T>): Promise<T> {
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

/** The deadline for one upstream call: connect plus read timeout from the configuration. */
export function upstreamDeadlineMs(config: { upstream: { connectTimeoutMs: number; readTimeoutMs: number } }): number {
  return config.upstream.connectTimeoutMs + config.upstream.readTimeoutMs;
}
