import { createHmac, randomBytes } from 'node:crypto';
import type { CredentialSource } from '../config.ts';

/** Concrete Alibaba Cloud credentials for one request. Never logged, never returned. */
export interface AliyunCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string | undefined;
  readonly source: CredentialSource;
  /**
   * One-way key for per-identity caches: HMAC of the key pair under a per-process random key,
   * so it can neither be reversed nor matched across processes.
   */
  readonly identityKey: string;
}

const processKey = randomBytes(32);

export function identityKeyOf(accessKeyId: string, accessKeySecret: string): string {
  return createHmac('sha256', processKey).update(`${accessKeyId}\0${accessKeySecret}`).digest('hex').slice(0, 32);
}

export function makeCredentials(
  source: CredentialSource,
  accessKeyId: string,
  accessKeySecret: string,
  securityToken: string | undefined,
): AliyunCredentials {
  return Object.freeze({
    accessKeyId,
    accessKeySecret,
    securityToken: securityToken || undefined,
    source,
    identityKey: identityKeyOf(accessKeyId, accessKeySecret),
  });
}

/** `LTAI5t…0001`: enough to tell keys apart in a log, not enough to use one. */
export function maskAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length <= 8) return '****';
  return `${accessKeyId.slice(0, 6)}****${accessKeyId.slice(-4)}`;
}
