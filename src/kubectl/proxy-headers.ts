/**
 * Headers through the loopback proxy: what goes upstream (no hop-by-hop, caller auth or impersonation), what comes
 * back, and the media types a Secret may be asked and answered in (JSON only: the masking stream reads nothing else).
 */
import type { IncomingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
]);

/** Header names a `Connection` header lists (hop-by-hop by declaration). */
function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  return new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Headers to send upstream: hop-by-hop, caller auth and impersonation removed. */
export function upstreamHeaders(headers: IncomingHttpHeaders, keepUpgrade: boolean): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith('impersonate-') || lower.startsWith('proxy-')) continue;
    if (HOP_BY_HOP.has(lower) || listed.has(lower)) {
      if (!(keepUpgrade && (lower === 'upgrade' || lower === 'connection'))) continue;
    }
    out[lower] = value;
  }
  return out;
}

/** Headers of an upstream answer to pass to kubectl: hop-by-hop ones removed. */
export function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Accept for a Secret request: its JSON media types only (a Table too), never protobuf or YAML, which are not masked. */
export function jsonOnlyAccept(accept: string | string[] | undefined): string {
  const kept = String(accept ?? '')
    .split(',')
    .map((type) => type.trim())
    .filter((type) => /^application\/json(?:\s*;|$)/i.test(type));
  return kept.length ? kept.join(',') : 'application/json';
}

/** Whether a response to a Secret request is one the masking stream can read: JSON, not compressed. */
export function maskable(headers: IncomingHttpHeaders): boolean {
  const encoding = String(headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  return /^application\/json(?:\s*;|$)/i.test(String(headers['content-type'] ?? '')) && encoding === 'identity';
}

/** The session token of a request (`Authorization: Bearer …`). */
export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return match?.[1];
}
