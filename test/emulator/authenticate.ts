/**
 * Authenticates an ACS3-signed request the way Alibaba Cloud's gateway does: the key must
 * exist, the signature must match its secret, an STS key must carry its unexpired token,
 * the timestamp must be fresh and the nonce unused.
 */
import type { IncomingMessage } from 'node:http';
import { parseAcs3Authorization, verifyAcs3 } from './acs3-signature.ts';
import { EmulatorError } from './http-util.ts';
import { findAccessKey, type AccessKey, type AccountRecord, type World } from './world.ts';

export interface Caller {
  account: AccountRecord;
  key: AccessKey;
}

/** How far x-acs-date may be from the emulator's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** x-acs-date: ISO 8601 in UTC, to the second (`2023-10-26T10:22:32Z`), as the V3 document specifies. */
const ACS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export class NonceRegistry {
  private readonly seen = new Map<string, number>();

  /** Returns false when the nonce was already used within the skew window. */
  claim(nonce: string, now: number): boolean {
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now);
    if (this.seen.size > 50_000) {
      for (const [key, time] of this.seen) if (now - time > MAX_CLOCK_SKEW_MS) this.seen.delete(key);
    }
    return true;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The AccessKey id named in the Authorization header, for the call log even when auth fails. */
export function claimedAccessKeyId(req: IncomingMessage): string {
  return parseAcs3Authorization(header(req, 'authorization'))?.accessKeyId ?? '';
}

export function authenticateAcs3(
  world: World,
  nonces: NonceRegistry,
  req: IncomingMessage,
  url: URL,
  rawPath: string,
  body: Buffer,
  now = Date.now(),
): Caller {
  const auth = parseAcs3Authorization(header(req, 'authorization'));
  if (!auth) throw new EmulatorError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
  const found = findAccessKey(world, auth.accessKeyId);
  if (!found) throw new EmulatorError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  const failure = verifyAcs3(
    { method: req.method ?? 'GET', rawPath, query: url.searchParams, headers: req.headers, body },
    auth,
    found.key.accessKeySecret,
  );
  if (failure) {
    const code = failure.code === 'SignatureDoesNotMatch' ? 'SignatureDoesNotMatch' : 'IncompleteSignature';
    throw new EmulatorError(400, code, failure.message);
  }
  if (found.key.securityToken !== undefined) {
    const token = header(req, 'x-acs-security-token');
    if (!token) throw new EmulatorError(400, 'InvalidSecurityToken.Malformed', 'Security token is required for an STS AccessKey.');
    if (token !== found.key.securityToken) {
      throw new EmulatorError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'The security token does not match the AccessKey.');
    }
    if ((found.key.expiresAt ?? Infinity) <= now) {
      throw new EmulatorError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    }
  }
  const dateHeader = header(req, 'x-acs-date') ?? '';
  if (!ACS_DATE.test(dateHeader)) {
    throw new EmulatorError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  }
  const date = Date.parse(dateHeader);
  if (!Number.isFinite(date) || Math.abs(now - date) > MAX_CLOCK_SKEW_MS) {
    throw new EmulatorError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  if (!nonces.claim(header(req, 'x-acs-signature-nonce') ?? '', now)) {
    throw new EmulatorError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  }
  return found;
}

/**
 * Enforces the key's RAM policy for one action (`cs:ScaleClusterNodePool`). ACK answers 403
 * `StatusForbidden` "RAM policy Forbidden for action cs:…" ("STSToken policy …" for STS keys) with
 * an `accessDeniedDetail` (ACK's "ACK API enhances user authentication" notice; its RRSA guide
 * shows the whole answer). The RPC products (CloudMonitor) answer the POP gateway's 403
 * `Forbidden.RAM` (their exact wording is unconfirmed).
 */
export function authorize(caller: Caller, ramAction: string, product = 'cs'): void {
  if (!caller.key.deniedActions?.includes(ramAction)) return;
  if (product === 'cs') {
    const sts = caller.key.securityToken !== undefined;
    const message = `${sts ? 'STSToken' : 'RAM'} policy Forbidden for action ${ramAction}`;
    throw new EmulatorError(403, 'StatusForbidden', message, {
      accessDeniedDetail: {
        AuthAction: ramAction,
        AuthPrincipalType: sts ? 'AssumedRoleUser' : 'SubUser',
        AuthPrincipalOwnerId: caller.account.accountId,
        NoPermissionType: 'ImplicitDeny',
        PolicyType: 'AccountLevelIdentityBasedPolicy',
      },
    });
  }
  throw new EmulatorError(
    403,
    'Forbidden.RAM',
    `User not authorized to operate on the specified resource, or this API doesn't support RAM. Action: ${ramAction}`,
  );
}
