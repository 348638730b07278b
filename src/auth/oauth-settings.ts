/**
 * The OAuth settings: how callers authenticate (`AUTH_MODE`), which authorization server's JWTs are accepted
 * (`OAUTH_ISSUER`, `OAUTH_RESOURCE`, `OAUTH_JWKS_URI`, `OAUTH_ALGORITHMS`, `OAUTH_CLOCK_SKEW_SECONDS`) and which RAM role
 * each signed-in user acts with (`OAUTH_ROLE_MAPPING`, `OAUTH_ASSUME_WITH`, `OAUTH_OIDC_PROVIDER_ARN`). Parsed once;
 * a setting that does not make sense stops the start with one line.
 */
import type { AccessMode } from '../config.ts';

export type AuthMode = 'token' | 'oauth' | 'both';

/** One line of the mapping: users whose `claim` holds `value` act as `roleArn`, in `access` mode. */
export interface RoleMapping {
  claim: string;
  value: string;
  roleArn: string;
  access: AccessMode;
}

export interface OAuthSettings {
  /** The authorization server (`iss` of its tokens; named in the protected resource metadata). */
  issuer: string;
  /** This MCP endpoint's canonical URL (`https://host/mcp`): the `aud` tokens must carry (RFC 8707). */
  resource: string;
  /** Where the issuer's keys are; undefined: read from the issuer's metadata (RFC 8414, then OpenID discovery). */
  jwksUri: string | undefined;
  /** Signature algorithms accepted (never `none` or an HMAC: the keys are public). */
  algorithms: string[];
  clockSkewSeconds: number;
  /** Claim shown as the user's name in logs (`name`, `preferred_username`…); the subject is always logged too. */
  displayNameClaim: string;
  mappings: RoleMapping[];
  /** `role`: sts:AssumeRole with the server's own credentials; `oidc`: sts:AssumeRoleWithOIDC with the user's token. */
  assumeWith: 'role' | 'oidc';
  /** The RAM OIDC provider the issuer is registered as (`acs:ram::<account>:oidc-provider/<name>`), for `oidc`. */
  oidcProviderArn: string | undefined;
  /** Lifetime asked for the user's STS session (`OAUTH_SESSION_SECONDS`, 900-3600, default 3600). */
  sessionSeconds: number;
}

/** A setting error: the message is the one line the operator sees. */
export class OAuthSettingsError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export const ROLE_ARN = /^acs:ram::\d{16}:role\/[A-Za-z0-9._-]{1,64}$/;
const OIDC_PROVIDER_ARN = /^acs:ram::\d{16}:oidc-provider\/[A-Za-z0-9._-]{1,128}$/;
const SAFE_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLAIM_NAME = /^[A-Za-z0-9_:./-]{1,128}$/;

function httpsUrl(value: string, name: string, allowHttpLoopback: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OAuthSettingsError(`${name} must be an absolute URL such as https://idp.example.com; got "${value.slice(0, 120)}".`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(allowHttpLoopback && loopback && url.protocol === 'http:')) {
    throw new OAuthSettingsError(`${name} must use https (http only on a loopback address); got "${value.slice(0, 120)}".`);
  }
  if (url.hash || url.search) throw new OAuthSettingsError(`${name} must have no query or fragment; got "${value.slice(0, 120)}".`);
  return value;
}

/**
 * `OAUTH_ROLE_MAPPING`: entries separated by `;`, each `claim=value=>roleArn` with an optional `,read-only` or
 * `,read-write` (default read-only: least privilege), e.g. `groups=ops=>acs:ram::123…:role/ack-ops,read-write`.
 * The first entry whose claim holds the value wins.
 */
export function parseRoleMapping(raw: string): RoleMapping[] {
  const usage = 'OAUTH_ROLE_MAPPING entries are claim=value=>acs:ram::<account id>:role/<name>[,read-only|,read-write], separated by ;';
  const mappings: RoleMapping[] = [];
  for (const entry of raw
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)=([^=>\s][^>]*?)=>([^,\s]+)(?:,(read-only|read-write))?$/.exec(entry);
    if (!match) throw new OAuthSettingsError(`${usage}; got "${entry.slice(0, 160)}".`);
    const [, claim, value, roleArn, access] = match as unknown as [string, string, string, string, AccessMode | undefined];
    if (!CLAIM_NAME.test(claim)) throw new OAuthSettingsError(`OAUTH_ROLE_MAPPING: "${claim.slice(0, 60)}" is not a claim name.`);
    if (!ROLE_ARN.test(roleArn)) {
      throw new OAuthSettingsError(
        `OAUTH_ROLE_MAPPING: "${roleArn.slice(0, 120)}" is not a RAM role ARN (acs:ram::<16-digit account id>:role/<name>).`,
      );
    }
    mappings.push({ claim, value, roleArn, access: access ?? 'read-only' });
  }
  return mappings;
}

function parseMode(env: Env): AuthMode {
  const mode = env.AUTH_MODE?.trim() || 'token';
  if (mode !== 'token' && mode !== 'oauth' && mode !== 'both')
    throw new OAuthSettingsError(`AUTH_MODE must be token, oauth or both; got "${mode.slice(0, 40)}".`);
  return mode;
}

/** Reads `AUTH_MODE` and, unless it is `token`, the OAuth settings. @throws OAuthSettingsError */
export function parseOAuthSettings(env: Env): { authMode: AuthMode; oauth: OAuthSettings | undefined } {
  const authMode = parseMode(env);
  const named = ['OAUTH_ISSUER', 'OAUTH_RESOURCE', 'OAUTH_ROLE_MAPPING'].filter((name) => env[name]?.trim());
  if (authMode === 'token') {
    if (named.length > 0)
      throw new OAuthSettingsError(`${named.join(', ')} set but AUTH_MODE is token: set AUTH_MODE=oauth or both, or remove them.`);
    return { authMode, oauth: undefined };
  }
  const allowHttp = env.OAUTH_ALLOW_HTTP_LOOPBACK?.trim() === 'true';
  const issuerRaw = env.OAUTH_ISSUER?.trim();
  if (!issuerRaw)
    throw new OAuthSettingsError(`AUTH_MODE=${authMode} needs OAUTH_ISSUER, the authorization server whose tokens are accepted.`);
  const resourceRaw = env.OAUTH_RESOURCE?.trim();
  if (!resourceRaw)
    throw new OAuthSettingsError(
      `AUTH_MODE=${authMode} needs OAUTH_RESOURCE, this endpoint's public URL (https://<host>/mcp): tokens must be issued for it.`,
    );
  const mappingRaw = env.OAUTH_ROLE_MAPPING?.trim();
  if (!mappingRaw)
    throw new OAuthSettingsError(
      `AUTH_MODE=${authMode} needs OAUTH_ROLE_MAPPING (claim=value=>RAM role ARN;…): without it no signed-in user could act.`,
    );
  const algorithms = (env.OAUTH_ALGORITHMS?.trim() || 'RS256,ES256')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const alg of algorithms) {
    if (!SAFE_ALGORITHMS.includes(alg))
      throw new OAuthSettingsError(
        `OAUTH_ALGORITHMS accepts ${SAFE_ALGORITHMS.join(', ')} (public-key algorithms only); got "${alg.slice(0, 20)}".`,
      );
  }
  const assumeWith = env.OAUTH_ASSUME_WITH?.trim() || 'role';
  if (assumeWith !== 'role' && assumeWith !== 'oidc')
    throw new OAuthSettingsError(`OAUTH_ASSUME_WITH must be role or oidc; got "${assumeWith.slice(0, 20)}".`);
  const providerArn = env.OAUTH_OIDC_PROVIDER_ARN?.trim() || undefined;
  if (assumeWith === 'oidc' && !providerArn)
    throw new OAuthSettingsError('OAUTH_ASSUME_WITH=oidc needs OAUTH_OIDC_PROVIDER_ARN (acs:ram::<account id>:oidc-provider/<name>).');
  if (providerArn && !OIDC_PROVIDER_ARN.test(providerArn))
    throw new OAuthSettingsError(
      `OAUTH_OIDC_PROVIDER_ARN must look like acs:ram::<16-digit account id>:oidc-provider/<name>; got "${providerArn.slice(0, 120)}".`,
    );
  const number = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new OAuthSettingsError(`${name} must be an integer from ${min} to ${max}; got "${raw.slice(0, 20)}".`);
    return value;
  };
  const displayNameClaim = env.OAUTH_NAME_CLAIM?.trim() || 'name';
  if (!CLAIM_NAME.test(displayNameClaim))
    throw new OAuthSettingsError(`OAUTH_NAME_CLAIM must be a claim name; got "${displayNameClaim.slice(0, 60)}".`);
  const jwksRaw = env.OAUTH_JWKS_URI?.trim();
  return {
    authMode,
    oauth: Object.freeze({
      issuer: httpsUrl(issuerRaw, 'OAUTH_ISSUER', allowHttp),
      resource: httpsUrl(resourceRaw, 'OAUTH_RESOURCE', allowHttp),
      jwksUri: jwksRaw ? httpsUrl(jwksRaw, 'OAUTH_JWKS_URI', allowHttp) : undefined,
      algorithms,
      clockSkewSeconds: number('OAUTH_CLOCK_SKEW_SECONDS', 60, 0, 300),
      displayNameClaim,
      mappings: parseRoleMapping(mappingRaw),
      assumeWith,
      oidcProviderArn: providerArn,
      sessionSeconds: number('OAUTH_SESSION_SECONDS', 3600, 900, 3600),
    }),
  };
}
