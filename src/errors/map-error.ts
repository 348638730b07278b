/**
 * Maps any error a tool may meet to a `ToolFailure`, once, for every tool: Alibaba Cloud SDK
 * errors keep their code, message and request id; anything unexpected becomes a generic
 * failure whose details go only to the log. Never a stack trace to the caller.
 */
import { ToolFailure } from './tool-failure.ts';

/** Hints for codes an agent can act on. */
const HINTS: Record<string, string> = {
  ErrorClusterNotFound:
    'Check the cluster id (list_clusters shows them, with their regions) and which Alibaba Cloud account the credentials belong to. ' +
    "If you passed a region (argument or X-Aliyun-Region), it must be the cluster's own: omit it and the server finds the region.",
  ErrorNodePoolNotFound: 'Check the node pool id with list_nodepools.',
  'InvalidAccessKeyId.NotFound': 'The AccessKey id is not known to Alibaba Cloud: check X-Aliyun-Access-Key-Id or the function role.',
  'InvalidAccessKeyId.Inactive': 'The AccessKey is disabled: enable it or use another.',
  SignatureDoesNotMatch: 'The AccessKey secret does not match the AccessKey id: check X-Aliyun-Access-Key-Secret.',
  IncompleteSignature: 'The request could not be signed correctly: check the AccessKey secret.',
  'InvalidSecurityToken.Expired': 'The STS token has expired: obtain fresh STS credentials and retry.',
  'InvalidSecurityToken.Malformed': 'STS AccessKeys (STS.…) need X-Aliyun-Security-Token as well.',
  'InvalidSecurityToken.MismatchWithAccessKey': 'The STS token belongs to a different AccessKey: send the matching set.',
  'Throttling.User': 'Alibaba Cloud is throttling this account: wait a few seconds before retrying.',
  'Forbidden.RAM': 'The RAM identity lacks permission for this action: grant it in RAM (see the README\'s RAM policy) or use another identity.',
  'InvalidTimeStamp.Expired': "The server's clock differs from Alibaba Cloud's: check the system time.",
  InvalidParameter: 'Alibaba Cloud rejected the request as sent, so nothing was changed: check the arguments (list_nodepools / list_nodes show valid ids).',
  // ACK's exact code for a busy node pool is unconfirmed; this is the emulator's.
  ErrorNodePoolStateConflict:
    'Another operation is still running on this node pool. Nothing was changed: wait for its task (describe_task_info) or for list_nodepools to show the pool active, then retry.',
  ErrorTaskNotFound:
    'Check the task id (scale_nodepool and remove_nodepool_nodes answer it). A task is visible only to the Alibaba Cloud account that started it, ' +
    "and is looked up in its cluster's region: pass the cluster_id of the cluster it runs on (without cluster_id or region it is looked up in the region of X-Aliyun-Region or the server's DEFAULT_REGION, else at the central endpoint).",
  ErrorDiagnosisNotFound:
    'Check the diagnosis id (create_cluster_diagnosis answers it) and that it was created for this cluster with the same Alibaba Cloud account.',
};

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

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH']);

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

export function isThrottling(error: unknown): boolean {
  return /Throttling/i.test(upstreamCode(error) ?? '') || upstreamStatus(error) === 429;
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
    const hint = HINTS[code] ?? (status >= 500 ? 'Alibaba Cloud had a temporary failure: retry shortly.' : undefined);
    return new ToolFailure(code, upstreamMessage(error as SdkLikeError), {
      requestId: upstreamRequestId(error),
      hint,
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
    return new ToolFailure(`Upstream${status}`, message, { requestId: upstreamRequestId(error), hint, httpStatus: status, retryable: status >= 500 });
  }
  if (isAbort(error)) {
    return new ToolFailure('Cancelled', 'The call was cancelled (the client went away or gave up) before it finished.', {
      hint: 'Call again if the answer is still needed.',
    });
  }
  if (isNetworkOrTimeout(error)) {
    const why = neverSent(error) ? `the connection could not be opened (${networkCode(error) ?? 'connect failed'})` : 'it did not answer in time or the connection failed';
    return new ToolFailure('UpstreamUnreachable', `Alibaba Cloud could not be reached: ${why}.`, {
      hint: 'Retry shortly; if it persists, check the network path from the function to Alibaba Cloud endpoints.',
      retryable: true,
    });
  }
  unexpected?.(error);
  return new ToolFailure('InternalError', 'The server failed to handle this call. The failure was logged.');
}
