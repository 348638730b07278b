/**
 * Log Service's v1 request signature (`authorization: LOG {AccessKeyId}:{Signature}`), implemented
 * from the published algorithm, not from the SDK:
 *
 *   StringToSign = VERB \n CONTENT-MD5 \n CONTENT-TYPE \n DATE \n CanonicalizedLOGHeaders CanonicalizedResource
 *   CanonicalizedLOGHeaders = every x-log-* and x-acs-* header, sorted by name, as `name:value\n`
 *   CanonicalizedResource  = path, then `?` and the query parameters sorted by name as `k=v` joined by `&` (not encoded)
 *   Signature = base64(hmac_sha256(AccessKeySecret, StringToSign))
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

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
    .filter((name) => name.startsWith('x-log-') || name.startsWith('x-acs-'))
    .sort()
    .map((name) => `${name}:${one(headers, name)}\n`)
    .join('');
  const keys = [...new Set(query.keys())].sort();
  const resource = keys.length ? `${path}?${keys.map((key) => `${key}=${query.get(key) ?? ''}`).join('&')}` : path;
  return `${method.toUpperCase()}\n${one(headers, 'content-md5')}\n${one(headers, 'content-type')}\n${one(headers, 'date')}\n${logHeaders}${resource}`;
}

/** Undefined when valid; otherwise the reason. */
export function verifyLogSignature(
  request: { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: Buffer },
  signature: string,
  secret: string,
): string | undefined {
  if (request.body.length > 0) {
    const md5 = createHash('md5').update(request.body).digest('hex').toUpperCase();
    if (one(request.headers, 'content-md5') !== md5) return 'Content-MD5 does not match the body.';
  }
  const expected = createHmac('sha256', secret).update(logStringToSign(request.method, request.path, request.query, request.headers)).digest();
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature mismatch';
  return undefined;
}
