/**
 * The authorization server's signing keys: its JWKS (from `OAUTH_JWKS_URI`, else the `jwks_uri` of its RFC 8414 or
 * OpenID metadata), cached by `jose`'s remote key set and fetched again on an unknown `kid`.
 *
 * `jose` alone refetches on an unknown `kid` once per `cooldownDuration` after a *successful* fetch, but retries on
 * every request while fetches fail; so every network fetch (metadata or keys) goes through one gate that allows at
 * most one attempt per `MIN_FETCH_INTERVAL_MS`, whatever the outcome. A flood of tokens with made-up `kid`s costs
 * the issuer at most one request a minute.
 */
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import type { OAuthSettings } from './oauth-settings.ts';

export const MIN_FETCH_INTERVAL_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_DOCUMENT_BYTES = 256 * 1024;

/** The keys could not be had (issuer unreachable, rate-limited, malformed answer): not the caller's fault. */
export class KeysUnavailable extends Error {
  override name = 'KeysUnavailable';
}

type Fetch = typeof fetch;

/** A fetch that makes at most one network attempt per interval and key (URL), refusing the others at once. */
export function rateLimitedFetch(fetchImpl: Fetch, now: () => number = Date.now): Fetch & { attempts: number } {
  const last = new Map<string, number>();
  const gated = (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const url = String(input instanceof Request ? input.url : input);
    const previous = last.get(url);
    if (previous !== undefined && now() - previous < MIN_FETCH_INTERVAL_MS) {
      throw new KeysUnavailable(`the issuer's keys were fetched less than ${MIN_FETCH_INTERVAL_MS / 1000} s ago; not fetching again yet`);
    }
    last.set(url, now());
    gated.attempts += 1;
    const response = await fetchImpl(input, { ...init, redirect: 'error', signal: init?.signal ?? AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_DOCUMENT_BYTES) throw new KeysUnavailable(`the issuer's answer is ${length} bytes, more than ${MAX_DOCUMENT_BYTES}`);
    return response;
  }) as Fetch & { attempts: number };
  gated.attempts = 0;
  return gated;
}

async function discoverJwksUri(issuer: string, fetchImpl: Fetch): Promise<string> {
  const base = issuer.replace(/\/+$/, '');
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  // RFC 8414 §3.1 inserts the well-known segment before the issuer's path; OpenID appends it.
  const candidates = [`${url.origin}/.well-known/oauth-authorization-server${path}`, `${base}/.well-known/openid-configuration`];
  for (const candidate of candidates) {
    let response: Response;
    try {
      response = await fetchImpl(candidate, { headers: { accept: 'application/json' } });
    } catch (error) {
      if (error instanceof KeysUnavailable) throw error;
      continue;
    }
    if (!response.ok) continue;
    const metadata = (await response.json().catch(() => undefined)) as { issuer?: unknown; jwks_uri?: unknown } | undefined;
    if (metadata?.issuer !== issuer) throw new KeysUnavailable(`the metadata at ${candidate} names another issuer`);
    if (typeof metadata.jwks_uri === 'string') return metadata.jwks_uri;
  }
  throw new KeysUnavailable(`no jwks_uri in the issuer's metadata (${candidates.join(', ')}); set OAUTH_JWKS_URI`);
}

/** The key lookup `jwtVerify` takes, for the configured issuer. */
export function issuerKeys(
  settings: Pick<OAuthSettings, 'issuer' | 'jwksUri'>,
  fetchImpl: Fetch = fetch,
): JWTVerifyGetKey & { fetchAttempts(): number } {
  const gated = rateLimitedFetch(fetchImpl);
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const load = () =>
    (keySet ??= (settings.jwksUri ? Promise.resolve(settings.jwksUri) : discoverJwksUri(settings.issuer, gated)).then((uri) =>
      createRemoteJWKSet(new URL(uri), {
        cooldownDuration: MIN_FETCH_INTERVAL_MS,
        timeoutDuration: FETCH_TIMEOUT_MS,
        [customFetch]: gated,
      }),
    )).catch((error: unknown) => {
      keySet = undefined; // discovery failed: the gate decides when it may be tried again
      throw error;
    });
  const getKey = (async (header, token) => (await load())(header, token)) as JWTVerifyGetKey & { fetchAttempts(): number };
  getKey.fetchAttempts = () => gated.attempts;
  return getKey;
}
