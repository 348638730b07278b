/**
 * An answer from Alibaba Cloud that arrived but cannot be used: not JSON (a gateway's HTML
 * page, an empty body, a cut-off body) or not the documented shape. Such an answer says
 * nothing about whether the operation ran.
 */
export class UnreadableAnswerError extends Error {
  override name = 'UnreadableAnswerError';
}

/** Throws `UnreadableAnswerError` when an answer lacks a field the caller needs. */
export function requireAnswerField<T>(value: T | null | undefined | '', what: string): T {
  if (value === undefined || value === null || value === '') throw new UnreadableAnswerError(`the answer has no ${what}`);
  return value;
}

const CAST_FAILURE = /^(type of \S+ is mismatch|can not cast to)/;

/**
 * True for an error that means "an answer arrived but could not be read": ours, the JSON parser's
 * (the SDK parses every body, error bodies included, with `JSON.parse`), or the SDK's model cast.
 * Only meaningful for errors thrown by an SDK call.
 */
export function isUnreadableAnswer(error: unknown): boolean {
  if (error instanceof UnreadableAnswerError || error instanceof SyntaxError) return true;
  const candidate = error as { statusCode?: unknown; message?: unknown };
  return candidate?.statusCode === undefined && typeof candidate?.message === 'string' && CAST_FAILURE.test(candidate.message);
}

/** Words for what was wrong with the answer, bounded (a gateway's page is quoted only briefly). */
export function describeUnreadable(error: unknown): string {
  const message = String((error as { message?: unknown })?.message ?? '').slice(0, 160);
  if (error instanceof UnreadableAnswerError) return message;
  if (error instanceof SyntaxError) return /end of JSON input/.test(message) ? 'an empty or cut-off body' : `not JSON: ${message}`;
  return `not the documented shape: ${message}`;
}
