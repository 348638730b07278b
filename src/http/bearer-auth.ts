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

export function bearerAuth(tokens: AuthToken[]): MiddlewareHandler<AppEnv> {
  const known = tokens.map((token) => ({ ...token, digest: sha256(token.token) }));
  return async function authenticateCaller(c, next) {
    if (known.length === 0) {
      c.set('caller', { tokenName: 'anonymous', readOnly: false });
      return next();
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const presented = match ? sha256(match[1]!) : undefined;
    // Compare against every token so the time taken does not depend on which one matched.
    let found: (typeof known)[number] | undefined;
    for (const token of known) {
      if (presented && timingSafeEqual(presented, token.digest)) found ??= token;
    }
    if (!found) return refuseCaller(c, match ? 'invalid_token' : 'missing_token');
    c.set('caller', { tokenName: found.name, readOnly: found.readOnly });
    return next();
  };
}
