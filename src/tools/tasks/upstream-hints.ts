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
