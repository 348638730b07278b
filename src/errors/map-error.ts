/**
 * Maps any error a tool may meet to a `ToolFailure`, once, for every tool: Alibaba Cloud SDK
 * errors keep their code, message and request id; anything unexpected becomes a generic
 * failure whose details go only to the log. Never a stack trace to the caller.
 */
import { ToolFailure } from './tool-failure.ts';

/** Hints for codes an agent can act on. */
const HINTS: Record<string, string> = {
  ErrorClusterNotFound: 'Check the cluster id (list_clusters shows them) and which Alibaba Cloud account the credentials belong to.',
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
    'Check the task id (scale_nodepool and remove_nodepool_nodes answer it). A task is visible only to the Alibaba Cloud account that started it.',
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

function upstreamMessage(error: SdkLikeError): string {
  const data = error.data as Record<string, unknown> | undefined;
  const fromBody = data && (data.message ?? data.Message);
  if (typeof fromBody === 'string' && fromBody) return fromBody;
  const raw = typeof error.message === 'string' ? error.message : '';
  // The SDK formats "code: 404, <message> request id: <id>"; keep the message part.
  return raw.replace(/^code: \d+, /, '').replace(/ request id: \S*$/, '') || 'The upstream request failed.';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

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

/** Maps an error to what the agent sees. `unexpected` receives errors that are bugs, for the log. */
export function toToolFailure(error: unknown, unexpected?: (error: unknown) => void): ToolFailure {
  if (error instanceof ToolFailure) return error;
  const status = upstreamStatus(error);
  const code = upstreamCode(error);
  if (status !== undefined && code) {
    const sdk = error as SdkLikeError;
    const data = sdk.data as Record<string, unknown> | undefined;
    const requestId = typeof sdk.requestId === 'string' && sdk.requestId !== 'undefined' ? sdk.requestId : (data?.requestId as string | undefined);
    const hint = HINTS[code] ?? (status >= 500 ? 'Alibaba Cloud had a temporary failure: retry shortly.' : undefined);
    return new ToolFailure(code, upstreamMessage(sdk), { requestId, hint, httpStatus: status, retryable: status >= 500 || isThrottling(error) });
  }
  if (isNetworkOrTimeout(error)) {
    return new ToolFailure('UpstreamUnreachable', 'Alibaba Cloud did not answer in time or the connection failed.', {
      hint: 'Retry shortly; if it persists, check the network path from the function to Alibaba Cloud endpoints.',
      retryable: true,
    });
  }
  unexpected?.(error);
  return new ToolFailure('InternalError', 'The server failed to handle this call. The failure was logged.');
}
