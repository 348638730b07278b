/**
 * Who is calling, by `AUTH_MODE`: `token` checks static bearer tokens (bearer-auth.ts); `oauth` validates the
 * bearer token as an OAuth access token (a JWT of `OAUTH_ISSUER` for this resource) and maps the user to a RAM role;
 * `both` takes a configured static token first, anything else as an access token. A signed-in user's caller carries
 * the user and the role; the request log line names the user (subject and display name, never the token).
 */
import type { MiddlewareHandler } from 'hono';
import type { AccessTokenVerifier } from '../auth/access-token.ts';
import { mappingFor, noMappingMessage } from '../auth/role-mapping.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from './app-env.ts';
import { bearerAuth, bearerTokenOf, staticTokenMatcher } from './bearer-auth.ts';
import { challengeOauth, keysUnavailable, refuseUnmappedUser } from './protected-resource.ts';

export function callerAuth(config: Config, verifier?: AccessTokenVerifier): MiddlewareHandler<AppEnv> {
  const settings = config.oauth;
  if (config.authMode === 'token' || !settings) return bearerAuth(config.authTokens);
  // jose (~0.2 s to load) is loaded with the first access token, never in AUTH_MODE=token.
  let loading: Promise<AccessTokenVerifier> | undefined;
  const verify: AccessTokenVerifier = async (token) => {
    loading ??= verifier
      ? Promise.resolve(verifier)
      : Promise.all([import('../auth/access-token.ts'), import('../auth/issuer-keys.ts')]).then(
          ([{ accessTokenVerifier }, { issuerKeys }]) => accessTokenVerifier(settings, issuerKeys(settings)),
        );
    return (await loading)(token);
  };
  const matchStatic = staticTokenMatcher(config.authMode === 'both' ? config.authTokens : []);
  return async function authenticateCaller(c, next) {
    const presented = bearerTokenOf(c.req.header('authorization'));
    const known = matchStatic(presented);
    if (known) {
      c.set('caller', { tokenName: known.name, readOnly: known.readOnly });
      return next();
    }
    if (presented === undefined) return challengeOauth(c, settings, config.authMode === 'both', undefined);
    const checked = await verify(presented);
    if (!checked.ok) {
      if (checked.kind === 'unavailable') return keysUnavailable(c, checked.reason);
      return challengeOauth(c, settings, config.authMode === 'both', { reason: checked.reason });
    }
    const { user } = checked;
    const fields = c.get('logFields');
    fields.user = { sub: user.subject, ...(user.name ? { name: user.name } : {}) };
    const mapping = mappingFor(user.claims, settings.mappings);
    if (!mapping) return refuseUnmappedUser(c, noMappingMessage(user.claims, settings.mappings));
    fields.role = mapping.roleArn;
    c.set('caller', {
      tokenName: 'oauth',
      readOnly: mapping.access === 'read-only',
      user: { subject: user.subject, name: user.name, roleArn: mapping.roleArn, token: user.token, expiresAt: user.expiresAt },
    });
    return next();
  };
}
