/**
 * Maps any error a tool may meet to a `ToolFailure`, once, for every tool: Alibaba Cloud SDK
 * errors keep their code, message and request id; anything unexpected becomes a generic
 * failure whose details go only to the log. Never a stack trace to the caller.
 */
import { hintFor, isThrottlingAnswer } from './hints.ts';
import { ToolFailure } from './tool-failure.ts';

interface SdkLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  requestId?: unknown;
  data?: unknown;
  name?: unknown;
}

/** The `message` (or `Message`) of an error answer's body, when it has a non-empty one. */
function messageInBody(error: unknown): string | undefined {
  const data = (error as SdkLikeError)?.data as Record<string, unknown> | undefined;
  const fromBody = data && (data.message ?? data.Message);
  return typeof fromBody === 'string' && fromBody ? fromBody : undefined;
}

function upstreamMessage(error: SdkLikeError): string {
  const fromBody = messageInBody(error);
  if (fromBody) return fromBody;
  const raw = typeof error.message === 'string' ? error.message : '';
  // The SDK formats "code: 404, <message> request id: <id>"; keep the message part.
  return raw.replace(/^code: \d+, /, '').replace(/ request id: \S*$/, '') || 'The upstream request failed.';
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Codes Node gives a failed `connect()` or name lookup: no byte of the request left the machine. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const LOOKUP_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

/**
 * True only when the request provably never left: the name lookup or the TCP connect failed
 * (Node marks these with `syscall` 'getaddrinfo' / 'connect'; with several addresses it wraps
 * them in an AggregateError). A reset or hang-up after connecting, and any timeout (the SDK's
 * "ConnectTimeout" is a socket idle timer that also fires after the request was written),
 * stay ambiguous.
 */
export function neverSent(error: unknown): boolean {
  const candidate = error as { code?: unknown; syscall?: unknown; errors?: unknown };
  if (error instanceof AggregateError && Array.isArray(candidate.errors) && candidate.errors.length > 0) {
    return candidate.errors.every((inner) => neverSent(inner));
  }
  const code = typeof candidate?.code === 'string' ? candidate.code : '';
  if (candidate?.syscall === 'getaddrinfo') return LOOKUP_CODES.has(code);
  return candidate?.syscall === 'connect' && CONNECT_CODES.has(code);
}

/** The system error code of a network failure (ECONNREFUSED…), when there is one. */
export function networkCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code) ? code : undefined;
}

/** True for the abort of a pause or request because the caller went away (`AbortSignal`). */
export function isAbort(error: unknown): boolean {
  const candidate = error as { name?: unknown; code?: unknown };
  return candidate?.name === 'AbortError' || candidate?.code === 'ABORT_ERR';
}

/** True for errors where the request may not have reached, or may have been processed by, the server. */
export function isNetworkOrTimeout(error: unknown): boolean {
  const candidate = error as SdkLikeError & { errno?: unknown };
  const code = typeof candidate?.code === 'string' ? candidate.code : '';
  const name = typeof candidate?.name === 'string' ? candidate.name : '';
  const message = typeof candidate?.message === 'string' ? candidate.message : '';
  return NETWORK_CODES.has(code) || /Timeout/i.test(name) || /timeout|socket hang up|ECONNRESET|ECONNREFUSED/i.test(message);
}

export function upstreamStatus(error: unknown): number | undefined {
  const status = (error as SdkLikeError)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function upstreamCode(error: unknown): string | undefined {
  const code = (error as SdkLikeError)?.code;
  return typeof code === 'string' && code && code !== 'undefined' ? code : undefined;
}

/** Throttling by the ACS gateway (`Throttling…`, 429) or by Log Service (`ReadQuotaExceed`, `ServerBusy`…, see hints.ts). */
export function isThrottling(error: unknown): boolean {
  return isThrottlingAnswer(upstreamCode(error), upstreamStatus(error));
}

export function upstreamRequestId(error: unknown): string | undefined {
  const sdk = error as SdkLikeError;
  if (typeof sdk?.requestId === 'string' && sdk.requestId && sdk.requestId !== 'undefined') return sdk.requestId;
  const data = sdk?.data as Record<string, unknown> | undefined;
  const fromBody = data?.requestId ?? data?.RequestId;
  return typeof fromBody === 'string' && fromBody ? fromBody : undefined;
}

/** The `message` of an error answer's body, when it has one. */
export function bodyMessage(error: unknown): string | undefined {
  return messageInBody(error)?.slice(0, 300);
}

/** Maps an error to what the agent sees. `unexpected` receives errors that are bugs, for the log. */
export function toToolFailure(error: unknown, unexpected?: (error: unknown) => void): ToolFailure {
  if (error instanceof ToolFailure) {
    if (error.loggedCause !== undefined) unexpected?.(error.loggedCause);
    return error;
  }
  const status = upstreamStatus(error);
  const code = upstreamCode(error);
  if (status !== undefined && code) {
    const message = upstreamMessage(error as SdkLikeError);
    return new ToolFailure(code, message, {
      requestId: upstreamRequestId(error),
      hint: hintFor(code, status, message),
      httpStatus: status,
      retryable: status >= 500 || isThrottling(error),
    });
  }
  if (status !== undefined) {
    // An answer without an Alibaba Cloud error code: a gateway or proxy, or an API that answered unusually.
    const fromBody = bodyMessage(error);
    const message = fromBody
      ? `Alibaba Cloud answered HTTP ${status} without an error code: ${fromBody}`
      : `Alibaba Cloud answered HTTP ${status} without an error code or message.`;
    const hint =
      status >= 500
        ? 'Alibaba Cloud (or a gateway in front of it) had a temporary failure: retry shortly.'
        : 'The request was refused without a reason Alibaba Cloud documents: check the arguments, and that CS_ENDPOINT / CS_REGION_ENDPOINTS point at Alibaba Cloud.';
    return new ToolFailure(`Upstream${status}`, message, {
      requestId: upstreamRequestId(error),
      hint,
      httpStatus: status,
      retryable: status >= 500,
    });
  }
  if (isAbort(error)) {
    return new ToolFailure('Cancelled', 'The call was cancelled (the client went away or gave up) before it finished.', {
      hint: 'Call again if the answer is still needed.',
    });
  }
  if (isNetworkOrTimeout(error)) {
    const why = neverSent(error)
      ? `the connection could not be opened (${networkCode(error) ?? 'connect failed'})`
      : 'it did not answer in time or the connection failed';
    return new ToolFailure('UpstreamUnreachable', `Alibaba Cloud could not be reached: ${why}.`, {
      hint: 'Retry shortly; if it persists, check the network path from the function to Alibaba Cloud endpoints.',
      retryable: true,
    });
  }
  unexpected?.(error);
  return new ToolFailure('InternalError', 'The server failed to handle this call. The failure was logged.');
}
