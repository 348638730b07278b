/**
 * What an agent can do about an Alibaba Cloud error: one hint per failure, chosen by the error
 * code, then by the code's message, then by the HTTP status alone, so that a code this table
 * does not know (or that Alibaba renames) still gets advice that fits its class.
 *
 * Sources: ACK's RAM denial is 403 `StatusForbidden` "RAM policy Forbidden for action cs:…" /
 * "STSToken policy Forbidden for action cs:…" (ACK's "ACK API enhances user authentication" notice
 * and its RRSA guide), older answers `ErrorCheckAcl`; Log Service answers 401 `Unauthorized` for
 * every credential problem, told apart by the message (aliyun/alibabacloud-observability-mcp-server
 * `pkg/errors/api_errors.go`), and throttles with 403 `ReadQuotaExceed` / `WriteQuotaExceed` /
 * `MetaOperationQpsLimitExceeded` or `ServerBusy` (same file; aliyun-log-go-sdk `error_code.go`).
 */

/** Hints for exact codes an agent can act on. */
const BY_CODE: Record<string, string> = {
  ErrorClusterNotFound:
    'Check the cluster id (list_clusters shows them, with their regions) and which Alibaba Cloud account the credentials belong to. ' +
    "If you passed a region (argument or X-Aliyun-Region), it must be the cluster's own: omit it and the server finds the region.",
  ErrorNodePoolNotFound: 'Check the node pool id with list_nodepools.',
  'InvalidAccessKeyId.NotFound': 'The AccessKey id is not known to Alibaba Cloud: check X-Aliyun-Access-Key-Id or the function role.',
  'InvalidAccessKeyId.Inactive': 'The AccessKey is disabled: enable it or use another.',
  SignatureDoesNotMatch: 'The AccessKey secret does not match the AccessKey id: check X-Aliyun-Access-Key-Secret.',
  SignatureNotMatch: 'The AccessKey secret does not match the AccessKey id: check X-Aliyun-Access-Key-Secret.',
  IncompleteSignature: 'The request could not be signed correctly: check the AccessKey secret.',
  'InvalidSecurityToken.Expired': 'The STS token has expired: obtain fresh STS credentials and retry.',
  'InvalidSecurityToken.Malformed': 'STS AccessKeys (STS.…) need X-Aliyun-Security-Token as well.',
  'InvalidSecurityToken.MismatchWithAccessKey': 'The STS token belongs to a different AccessKey: send the matching set.',
  'InvalidTimeStamp.Expired': "The server's clock differs from Alibaba Cloud's: check the system time.",
  RequestTimeExpired: "The server's clock differs from Alibaba Cloud's by more than 15 minutes: check the system time.",
  InvalidParameter:
    'Alibaba Cloud rejected the request as sent, so nothing was changed: check the arguments (list_nodepools / list_nodes show valid ids).',
  ProjectForbidden: 'The Log Service project is disabled (often an overdue payment): check the account in the Log Service console.',
  // STS, getting a signed-in user's role session (AUTH_MODE oauth/both; the RAM error-code list of STS 2015-04-01).
  'EntityNotExist.Role': 'The RAM role your sign-in maps to does not exist: the operator must fix OAUTH_ROLE_MAPPING or create the role.',
  'AuthenticationFail.NoPermission':
    "RAM would not let your sign-in assume the mapped role: the role's trust policy must name the RAM OIDC provider of this server's OAUTH_OIDC_PROVIDER_ARN (operator).",
  'AuthenticationFail.OIDCToken.AudienceNotMatch':
    "RAM's OIDC provider does not list this server's OAUTH_RESOURCE as a client id (the tokens' aud): the operator must add it to the provider.",
  'AuthenticationFail.OIDCToken.Expired': 'Your sign-in has expired: sign in again (your MCP client does this when it gets a 401).',
  'AuthenticationFail.OIDCToken.InvalidSignature':
    "RAM could not verify your token with the OIDC provider's keys: the operator must check the provider's issuer URL and fingerprint.",
  // Emulator codes: ACK's own codes for these cases are not published. Any other code of the same
  // class gets the class hint below.
  ErrorNodePoolStateConflict:
    'Another operation is still running on this node pool. Nothing was changed: wait for its task (describe_task_info) or for list_nodepools to show the pool active, then retry.',
  ErrorTaskNotFound:
    'Check the task id (scale_nodepool and remove_nodepool_nodes answer it). A task is visible only to the Alibaba Cloud account that started it, ' +
    "and is looked up in its cluster's region: pass the cluster_id of the cluster it runs on (without cluster_id or region it is looked up in the region of X-Aliyun-Region or the server's DEFAULT_REGION, else at the central endpoint).",
  ErrorDiagnosisNotFound:
    'Check the diagnosis id (create_cluster_diagnosis answers it) and that it was created for this cluster with the same Alibaba Cloud account.',
};

const THROTTLED = 'Alibaba Cloud is throttling this account: wait a few seconds before retrying.';

/** Log Service's 401 `Unauthorized`, by message (first match wins). */
const LOG_UNAUTHORIZED: Array<[RegExp, string]> = [
  [
    /security token .*invalid/i,
    'The STS token is not valid for this AccessKey: send the matching X-Aliyun-Security-Token, or fresh STS credentials.',
  ],
  [/security token .*expired/i, 'The STS token has expired: obtain fresh STS credentials and retry.'],
  [/security token .*required/i, 'STS AccessKeys (STS.…) need X-Aliyun-Security-Token as well.'],
  [/accesskeyid not found/i, 'The AccessKey id is not known to Alibaba Cloud: check X-Aliyun-Access-Key-Id or the function role.'],
  [/accesskeyid is disabled/i, 'The AccessKey is disabled: enable it or use another.'],
  [
    /project does not belong to you/i,
    'The project exists but belongs to another Alibaba Cloud account: check the project name, or use credentials of the account that owns it.',
  ],
  [
    /service has been forbidden/i,
    'Log Service is disabled for this account (often an overdue payment): check the account in the Log Service console.',
  ],
  [
    /denied by sts or ram/i,
    "RAM does not allow this Log Service action for this identity: grant it (see the README's RAM policy), or use another identity.",
  ],
];

/** The `cs:…` / `log:…` action a RAM denial names, when it names one. */
export function deniedAction(message: string): string | undefined {
  return /(?:for action|action:)\s*([a-z]+:[A-Za-z]+)/.exec(message)?.[1];
}

function ramHint(message: string): string {
  const action = deniedAction(message);
  return `The RAM identity lacks permission${action ? ` for ${action}` : ' for this action'}: grant it in RAM (see the README's RAM policy) or use another identity.`;
}

/** True for an answer that says a RAM policy refused the action, whatever the product calls it. */
export function isRamDenial(code: string | undefined, status: number | undefined, message: string): boolean {
  if (code && /^(StatusForbidden|ErrorCheckAcl|Forbidden\.RAM|Forbidden\.NoPermission|NoPermission)$/.test(code)) return true;
  return (status === 401 || status === 403) && /policy Forbidden|denied by sts or ram|not authorized to operate/i.test(message);
}

/** Throttling codes of the ACS gateway and of Log Service. */
const THROTTLING_CODES =
  /^(Throttling(\..+)?|ReadQuotaExceed|WriteQuotaExceed|ShardReadQuotaExceed|ShardWriteQuotaExceed|MetaOperationQpsLimitExceeded|ServerBusy)$/;

/** True when the answer refused the request for rate reasons, before running it. */
export function isThrottlingAnswer(code: string | undefined, status: number | undefined): boolean {
  return status === 429 || (code !== undefined && (THROTTLING_CODES.test(code) || /Throttling/i.test(code)));
}

/** The hint for a failure, by code, then message, then HTTP status; undefined when nothing useful can be said. */
export function hintFor(code: string | undefined, status: number | undefined, message: string): string | undefined {
  if (code && BY_CODE[code]) return BY_CODE[code];
  if (isThrottlingAnswer(code, status)) return THROTTLED;
  if (code === 'Unauthorized') {
    return (
      LOG_UNAUTHORIZED.find(([pattern]) => pattern.test(message))?.[1] ??
      'Log Service refused these credentials: check the AccessKey, the STS token and the RAM policy of this identity.'
    );
  }
  if (code === 'InvalidAccessKeyId') {
    return /service has not opened/i.test(message)
      ? 'Log Service is not activated for this account: activate it in the console, then retry.'
      : 'The AccessKey id is not valid: check X-Aliyun-Access-Key-Id or the function role.';
  }
  if (isRamDenial(code, status, message)) return ramHint(message);
  if (status === undefined) return undefined;
  if (status >= 500) return 'Alibaba Cloud had a temporary failure: retry shortly.';
  if (status === 404 || (code && /NotFound|NotExist/i.test(code))) {
    return 'Alibaba Cloud says it does not exist: check the id, and that it belongs to the account of these credentials and to the region asked.';
  }
  if (
    status === 409 ||
    /Conflict|Busy|InProgress|StateNotAllowed/i.test(code ?? '') ||
    /still running|in progress|conflict|is busy|not allowed in (the )?current state/i.test(message)
  ) {
    return 'Another operation is still in progress on this resource. Nothing was changed: wait for it to finish (describe_task_info, list_nodepools), then retry.';
  }
  if (status === 401 || status === 403)
    return 'Alibaba Cloud refused these credentials for this action: check the AccessKey, the STS token and the RAM policy of this identity.';
  return undefined;
}
