/**
 * Log Service's v1 request signature (`authorization: LOG {AccessKeyId}:{Signature}`), implemented
 * from the published algorithm (Log Service "Request signatures"), not from the SDK:
 *
 *   SignString = VERB + "\n" + CONTENT-MD5 + "\n" + CONTENT-TYPE + "\n" + DATE + "\n"
 *                + CanonicalizedLOGHeaders + "\n" + CanonicalizedResource
 *   CanonicalizedLOGHeaders = every `x-log-*` and `x-acs-*` header, names in lower case, sorted by name,
 *                             `name:value` with the spaces around the value removed, joined by "\n"
 *   CanonicalizedResource   = the path, then `?` and the query parameters sorted by name as `k=v`
 *                             (not encoded) joined by `&`
 *   Signature = base64(HMAC(AccessKeySecret, SignString)), the hash named by `x-log-signaturemethod`
 *               (`hmac-sha1`, the documented method, or `hmac-sha256`, which the current SDK sends)
 *
 * The body must match `Content-MD5` (upper-case hex MD5), and `Date` (RFC 822) must be within
 * 15 minutes of the server's clock (`RequestTimeExpired` otherwise).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { EmulatorError } from '../http-util.ts';

export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const HASHES: Record<string, 'sha1' | 'sha256'> = { 'hmac-sha1': 'sha1', 'hmac-sha256': 'sha256' };

export function parseLogAuthorization(header: string | undefined): { accessKeyId: string; signature: string } | undefined {
  const match = /^LOG ([^:\s]+):(\S+)$/.exec(header ?? '');
  return match ? { accessKeyId: match[1]!, signature: match[2]! } : undefined;
}

function one(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

export function logStringToSign(method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders): string {
  const logHeaders = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith('x-log-') || name.startsWith('x-acs-'))
    .sort()
    .map((name) => `${name}:${one(headers, name).trim()}`)
    .join('\n');
  const keys = [...new Set(query.keys())].sort();
  const resource = keys.length ? `${path}?${keys.map((key) => `${key}=${query.get(key) ?? ''}`).join('&')}` : path;
  return `${method.toUpperCase()}\n${one(headers, 'content-md5')}\n${one(headers, 'content-type')}\n${one(headers, 'date')}\n${logHeaders}\n${resource}`;
}

/** The `Signature` part of the Authorization header for a string to sign. */
export function logSignature(stringToSign: string, secret: string, signatureMethod = 'hmac-sha1'): string {
  const hash = HASHES[signatureMethod];
  if (!hash) throw new EmulatorError(400, 'InvalidSignatureMethod', `x-log-signaturemethod ${signatureMethod} is unsupported.`);
  return createHmac(hash, secret).update(stringToSign).digest('base64');
}

/** Undefined when the signature and Content-MD5 are valid; otherwise the reason. */
export function verifyLogSignature(
  request: { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: Buffer },
  signature: string,
  secret: string,
): string | undefined {
  if (request.body.length > 0) {
    const md5 = createHash('md5').update(request.body).digest('hex').toUpperCase();
    if (one(request.headers, 'content-md5') !== md5) return 'Content-MD5 does not match the body.';
  }
  const method = one(request.headers, 'x-log-signaturemethod') || 'hmac-sha1';
  const expected = Buffer.from(
    logSignature(logStringToSign(request.method, request.path, request.query, request.headers), secret, method),
    'base64',
  );
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature mismatch';
  return undefined;
}

/** Log Service's checks of the `Date` header: present, RFC 822, within 15 minutes of `now`. */
export function checkLogDate(date: string | undefined, now: number): void {
  if (!date) throw new EmulatorError(400, 'MissingDate', 'Date does not exist in http header.');
  const time = Date.parse(date);
  if (!Number.isFinite(time)) throw new EmulatorError(400, 'InvalidDateFormat', `Date ${date} must follow RFC822.`);
  if (Math.abs(now - time) > MAX_CLOCK_SKEW_MS) {
    throw new EmulatorError(
      400,
      'RequestTimeExpired',
      `Request time ${date} has been expired while server time is ${new Date(now).toUTCString()}.`,
    );
  }
}
