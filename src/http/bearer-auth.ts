/**
 * Caller authentication: `Authorization: Bearer <token>` checked against the configured
 * tokens in constant time. Sets `caller` (token name and whether it is read-only); a request
 * without a valid token gets the refusal of `auth-answers.ts`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AuthToken } from '../config.ts';
import { sha256 } from '../values.ts';
import type { AppEnv } from './app-env.ts';
import { refuseCaller } from './auth-answers.ts';

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

/** Finds which configured static token `presented` is, in time that does not depend on which one matched. */
export function staticTokenMatcher(tokens: AuthToken[]): (presented: string | undefined) => AuthToken | undefined {
  const known = tokens.map((token) => ({ token, digest: sha256(token.token) }));
  return (presented) => {
    const hashed = presented === undefined ? undefined : sha256(presented);
    let found: AuthToken | undefined;
    for (const entry of known) {
      if (hashed && timingSafeEqual(hashed, entry.digest)) found ??= entry.token;
    }
    return found;
  };
}

export function bearerAuth(tokens: AuthToken[]): MiddlewareHandler<AppEnv> {
  const match = staticTokenMatcher(tokens);
  return async function authenticateCaller(c, next) {
    if (tokens.length === 0) {
      c.set('caller', { tokenName: 'anonymous', readOnly: false });
      return next();
    }
    const presented = bearerTokenOf(c.req.header('authorization'));
    const found = match(presented);
    if (!found) return refuseCaller(c, presented !== undefined ? 'invalid_token' : 'missing_token');
    c.set('caller', { tokenName: found.name, readOnly: found.readOnly });
    return next();
  };
}
