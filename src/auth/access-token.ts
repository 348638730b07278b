/**
 * Validates an OAuth access token (a JWT, RFC 9068 profile) with `jose`: signature by one of the issuer's keys with an
 * allowed public-key algorithm (so `alg: none` and HS256 signed with a public key never pass), `iss` = the issuer,
 * `aud` = this resource, `exp` present and not past, `nbf`/`iat` not in the future, each within the clock skew.
 * Opaque (non-JWT) access tokens are not supported: there is no introspection.
 * Returns the signed-in user, or why the token is refused (a phrase for `error_description`, never the token).
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { KeysUnavailable } from './issuer-keys.ts';
import type { OAuthSettings } from './oauth-settings.ts';

/** Who signed in, as the token says. */
export interface SignedInUser {
  subject: string;
  /** The display-name claim, if the token has one. */
  name: string | undefined;
  claims: JWTPayload;
  /** The access token itself: only for AssumeRoleWithOIDC, never logged. */
  token: string;
  /** `exp` in ms since epoch. */
  expiresAt: number;
}

export type TokenCheck =
  | { ok: true; user: SignedInUser }
  | { ok: false; kind: 'invalid_token'; reason: string }
  | { ok: false; kind: 'unavailable'; reason: string };

/** JWS compact serialisation: three base64url parts. Anything else is not a token this server can validate. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token) && token.length <= 16_384;
}

function reasonOf(error: unknown): TokenCheck {
  if (error instanceof KeysUnavailable) return { ok: false, kind: 'unavailable', reason: error.message };
  if (error instanceof errors.JWKSTimeout)
    return { ok: false, kind: 'unavailable', reason: "the issuer's keys could not be fetched in time" };
  if (error instanceof errors.JWKSInvalid || (error instanceof errors.JOSENotSupported && /JSON Web Key Set|JWK/.test(error.message))) {
    return { ok: false, kind: 'unavailable', reason: "the issuer's key set is not usable" };
  }
  if (error instanceof errors.JWTExpired) return { ok: false, kind: 'invalid_token', reason: 'the token has expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === 'nbf' || claim === 'iat') return { ok: false, kind: 'invalid_token', reason: 'the token is not valid yet' };
    if (claim === 'aud') return { ok: false, kind: 'invalid_token', reason: 'the token was issued for another resource (aud)' };
    if (claim === 'iss') return { ok: false, kind: 'invalid_token', reason: 'the token was issued by another authorization server (iss)' };
    return { ok: false, kind: 'invalid_token', reason: `the token's ${claim} claim is not acceptable` };
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return { ok: false, kind: 'invalid_token', reason: "the token is not signed by one of the issuer's keys" };
  if (error instanceof errors.JOSEAlgNotAllowed)
    return { ok: false, kind: 'invalid_token', reason: 'the token is signed with an algorithm this server does not accept' };
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return { ok: false, kind: 'invalid_token', reason: 'the token signature does not verify' };
  if (error instanceof TypeError || error instanceof errors.JOSEError)
    return { ok: false, kind: 'invalid_token', reason: 'the token is malformed' };
  if (error instanceof Error && /fetch|network|ECONN|ENOTFOUND|abort/i.test(`${error.name} ${error.message}`)) {
    return { ok: false, kind: 'unavailable', reason: "the issuer's keys could not be fetched" };
  }
  return { ok: false, kind: 'invalid_token', reason: 'the token is malformed' };
}

export type AccessTokenVerifier = (token: string) => Promise<TokenCheck>;

export function accessTokenVerifier(settings: OAuthSettings, keys: JWTVerifyGetKey): AccessTokenVerifier {
  return async function verifyAccessToken(token) {
    if (!looksLikeJwt(token))
      return { ok: false, kind: 'invalid_token', reason: 'the token is not a JWT (opaque access tokens are not supported)' };
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.resource,
        algorithms: settings.algorithms,
        clockTolerance: settings.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      if (typeof payload.iat === 'number' && payload.iat * 1000 > Date.now() + settings.clockSkewSeconds * 1000) {
        return { ok: false, kind: 'invalid_token', reason: 'the token is not valid yet' };
      }
      const subject = String(payload.sub);
      if (!/^[\x20-\x7e]{1,255}$/.test(subject))
        return { ok: false, kind: 'invalid_token', reason: 'the token subject (sub) is not printable text' };
      const rawName = payload[settings.displayNameClaim];
      const name = typeof rawName === 'string' ? rawName.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '').slice(0, 64) || undefined : undefined;
      return { ok: true, user: { subject, name, claims: payload, token, expiresAt: (payload.exp as number) * 1000 } };
    } catch (error) {
      return reasonOf(error);
    }
  };
}
