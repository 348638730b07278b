/**
 * The one error type a tool reports to the agent: a code, a message written for the agent,
 * the upstream request id when there is one, and a hint on what to do next.
 */
export class ToolFailure extends Error {
  override name = 'ToolFailure';
  /** An unexpected error behind this failure: logged as a bug when the failure is reported, never shown. */
  loggedCause?: unknown;

  constructor(
    readonly code: string,
    message: string,
    readonly details: {
      requestId?: string | undefined;
      hint?: string | undefined;
      httpStatus?: number | undefined;
      retryable?: boolean | undefined;
    } = {},
  ) {
    super(message);
  }
}

/** A write whose outcome cannot be known (sent, then timed out or failed ambiguously). */
export class OutcomeUnknownFailure extends ToolFailure {
  override name = 'OutcomeUnknownFailure';
}
