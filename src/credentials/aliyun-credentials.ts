import { createHmac, randomBytes } from 'node:crypto';
import type { CredentialSource } from '../config.ts';

/** Concrete Alibaba Cloud credentials for one request. Never logged, never returned. */
export interface AliyunCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string | undefined;
  readonly source: CredentialSource;
  /** When the credential expires (ms since epoch), if its source said (the default chain's STS sessions). */
  readonly expiresAt?: number | undefined;
  /**
   * One-way key for per-identity caches: HMAC of the whole credential (key pair and security token) under a
   * per-process random key, so it can neither be reversed nor matched across processes.
   */
  readonly identityKey: string;
}

const processKey = randomBytes(32);

export function identityKeyOf(accessKeyId: string, accessKeySecret: string, securityToken?: string): string {
  return createHmac('sha256', processKey)
    .update(`${accessKeyId}\0${accessKeySecret}\0${securityToken ?? ''}`)
    .digest('hex')
    .slice(0, 32);
}

export function makeCredentials(
  source: CredentialSource,
  accessKeyId: string,
  accessKeySecret: string,
  securityToken: string | undefined,
  expiresAt?: number,
): AliyunCredentials {
  const token = securityToken || undefined;
  return Object.freeze({
    accessKeyId,
    accessKeySecret,
    securityToken: token,
    source,
    expiresAt: expiresAt !== undefined && Number.isFinite(expiresAt) ? expiresAt : undefined,
    identityKey: identityKeyOf(accessKeyId, accessKeySecret, token),
  });
}

/** A cached entry of an identity ends this long before its credential's known expiry (clock skew, calls in flight). */
export const CREDENTIAL_EXPIRY_MARGIN_MS = 60_000;

/**
 * How long an entry learned with `credentials` may be cached: `ttlMs`, cut to end a margin before a known expiry,
 * or to `stsCacheMaxMs` for an STS credential whose expiry is unknown (it may expire any time). Never negative.
 */
export function credentialCacheTtlMs(credentials: AliyunCredentials, ttlMs: number, stsCacheMaxMs: number, now = Date.now()): number {
  if (credentials.expiresAt !== undefined) return Math.max(0, Math.min(ttlMs, credentials.expiresAt - CREDENTIAL_EXPIRY_MARGIN_MS - now));
  if (credentials.securityToken !== undefined) return Math.max(0, Math.min(ttlMs, stsCacheMaxMs));
  return ttlMs;
}

/** `LTAI5t…0001`: enough to tell keys apart in a log, not enough to use one. */
export function maskAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length <= 8) return '****';
  return `${accessKeyId.slice(0, 6)}****${accessKeyId.slice(-4)}`;
}
