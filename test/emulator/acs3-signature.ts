/**
 * ACS3-HMAC-SHA256 request signing, implemented from Alibaba Cloud's published
 * algorithm (not from the SDK), so that the emulator proves the SDK signed the
 * request with the caller's own secret.
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(hmac_sha256(secret, StringToSign))
 *
 * As the published document requires ("V3 request body & signature mechanism",
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature): every
 * request header named `host`, `content-type` or `x-acs-*` (so `x-acs-security-token` too) is
 * signed, SignedHeaders lists the names in lowercase, sorted, once each, and
 * `x-acs-content-sha256` is the hex SHA-256 of the body. `acs3-signature.test.ts` checks this
 * code against the document's own worked example.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface SignedRequest {
  method: string;
  /** The path exactly as it arrived (still percent-encoded), without the query. */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

export type Acs3Failure =
  | {
      code: 'MissingAuthorization' | 'InvalidAuthorization' | 'ContentSha256Mismatch' | 'MissingSignedHeader' | 'InvalidSignedHeaders';
      message: string;
    }
  | { code: 'SignatureDoesNotMatch'; message: string };

/** The headers a request must sign whenever it carries them. */
export function mustBeSigned(name: string): boolean {
  return name === 'host' || name === 'content-type' || name.startsWith('x-acs-');
}

/** Percent-encoding used by Alibaba Cloud canonical strings (RFC 3986 unreserved set kept). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function parseAcs3Authorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header?.startsWith(`${ACS3_ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ACS3_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.split(';'), signature };
}

function headerValue(headers: SignedRequest['headers'], name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
}

export function canonicalQuery(query: URLSearchParams): string {
  const keys = [...new Set(query.keys())].sort();
  return keys.map((key) => `${percentEncode(key)}=${percentEncode(query.get(key) ?? '')}`).join('&');
}

export function acs3StringToSign(request: SignedRequest, signedHeaders: string[]): string {
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(request.headers, name)}\n`).join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.rawPath,
    canonicalQuery(request.query),
    canonicalHeaders,
    signedHeaders.join(';'),
    headerValue(request.headers, 'x-acs-content-sha256'),
  ].join('\n');
  return `${ACS3_ALGORITHM}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
}

/** Checks the signature of `request` against `secret`. Returns undefined when it is valid. */
export function verifyAcs3(request: SignedRequest, auth: ParsedAuthorization, secret: string): Acs3Failure | undefined {
  const names = auth.signedHeaders;
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i]!;
    if (name === '' || name !== name.toLowerCase() || (i > 0 && names[i - 1]! >= name)) {
      return { code: 'InvalidSignedHeaders', message: 'SignedHeaders must list lowercase header names in ascending order, each once.' };
    }
  }
  for (const name of Object.keys(request.headers)) {
    if (mustBeSigned(name.toLowerCase()) && !names.includes(name.toLowerCase())) {
      return { code: 'MissingSignedHeader', message: `The header ${name.toLowerCase()} is in the request, so it must be signed.` };
    }
  }
  for (const required of ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-action', 'x-acs-version']) {
    if (!auth.signedHeaders.includes(required)) {
      return { code: 'MissingSignedHeader', message: `The header ${required} must be signed.` };
    }
  }
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  if (headerValue(request.headers, 'x-acs-content-sha256') !== payloadHash) {
    return { code: 'ContentSha256Mismatch', message: 'x-acs-content-sha256 does not match the request body.' };
  }
  const expected = createHmac('sha256', secret).update(acs3StringToSign(request, auth.signedHeaders)).digest();
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      code: 'SignatureDoesNotMatch',
      message: 'Specified signature does not match our calculation.',
    };
  }
  return undefined;
}
