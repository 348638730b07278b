/**
 * STS as an emulated product (RPC): GetCallerIdentity answers the caller's account (no RAM permission needed, per
 * Alibaba's API reference); AssumeRole (ACS3-signed, RAM action `sts:AssumeRole`) and AssumeRoleWithOIDC (anonymous:
 * the SDK sends it unsigned, the OIDC token is the proof) issue a role session: a new STS key of the role's account
 * that expires, carries the role's RAM policy (its denied actions) and names the role and session. Checked as the
 * API reference and error-code list describe: the role exists, its trust policy names the caller's account or the
 * OIDC provider, RoleSessionName is 2-64 of [A-Za-z0-9.@_-], DurationSeconds is 900..MaxSessionDuration, and the
 * OIDC token is signed by the provider's issuer (its JWKS, found by OpenID discovery), unexpired, for one of the
 * provider's client ids.
 */
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { serveAcs3Operation } from '../acs3-product.ts';
import type { Caller } from '../authenticate.ts';
import type { EmulatorContext } from '../context.ts';
import { EmulatorError, errorBody, newRequestId, sendJson } from '../http-util.ts';
import type { Acs3Request } from '../acs3-product.ts';
import type { EmulatedProduct } from '../index.ts';
import type { AccountRecord, RoleRecord, World } from '../world.ts';

const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;

function findRole(world: World, roleArn: string): { account: AccountRecord; role: RoleRecord } {
  const match = /^acs:ram::(\d+):role\/(.+)$/i.exec(roleArn);
  const account = world.accounts.find((candidate) => candidate.accountId === match?.[1]);
  const role = account?.roles?.find((candidate) => candidate.roleName.toLowerCase() === match?.[2]?.toLowerCase());
  if (!account || !role) throw new EmulatorError(404, 'EntityNotExist.Role', `The role not exists: ${roleArn}.`);
  return { account, role };
}

function durationOf(query: URLSearchParams, role: RoleRecord): number {
  const raw = query.get('DurationSeconds');
  const seconds = raw === null ? 3600 : Number(raw);
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > role.maxSessionSeconds) {
    throw new EmulatorError(
      400,
      'InvalidParameter.DurationSeconds',
      `The parameter DurationSeconds is invalid: it must be from 900 to ${role.maxSessionSeconds}.`,
    );
  }
  return seconds;
}

function sessionNameOf(query: URLSearchParams): string {
  const name = query.get('RoleSessionName') ?? '';
  if (!SESSION_NAME.test(name))
    throw new EmulatorError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
  return name;
}

/** Issues the session: a new STS key of the role's account, valid `seconds`, with the role's RAM policy. */
function issueSession(
  ctx: EmulatorContext,
  account: AccountRecord,
  role: RoleRecord,
  sessionName: string,
  seconds: number,
  requestId: string,
) {
  const expiresAt = ctx.now() + seconds * 1000;
  const key = {
    accessKeyId: `STS.NT${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`,
    accessKeySecret: randomBytes(24).toString('base64url'),
    securityToken: `CAIS${randomBytes(48).toString('base64url')}`,
    expiresAt,
    deniedActions: [...role.deniedActions],
    assumedRole: { roleName: role.roleName, roleId: role.roleId, sessionName },
  };
  account.accessKeys.push(key);
  return {
    RequestId: requestId,
    AssumedRoleUser: {
      Arn: `acs:ram::${account.accountId}:role/${role.roleName.toLowerCase()}/${sessionName}`,
      AssumedRoleId: `${role.roleId}:${sessionName}`,
    },
    Credentials: {
      AccessKeyId: key.accessKeyId,
      AccessKeySecret: key.accessKeySecret,
      SecurityToken: key.securityToken,
      Expiration: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  };
}

function getCallerIdentity(caller: Caller, requestId: string) {
  const assumed = caller.key.assumedRole;
  const sts = caller.key.securityToken !== undefined;
  const roleName = assumed?.roleName ?? 'ack-mcp';
  const session = assumed?.sessionName ?? 'ack-mcp';
  return {
    RequestId: requestId,
    AccountId: caller.account.accountId,
    UserId: sts ? `${assumed?.roleId ?? `3${caller.account.accountId.slice(1)}`}:${session}` : `2${caller.account.accountId.slice(1, 15)}`,
    IdentityType: sts ? 'AssumedRoleUser' : 'RAMUser',
    Arn: sts
      ? `acs:ram::${caller.account.accountId}:assumed-role/${roleName}/${session}`
      : `acs:ram::${caller.account.accountId}:user/ack-mcp`,
    PrincipalId: caller.key.accessKeyId,
  };
}

const issuerKeys = new Map<string, JWTVerifyGetKey>();
async function keysOf(issuer: string): Promise<JWTVerifyGetKey> {
  const known = issuerKeys.get(issuer);
  if (known) return known;
  const metadata = (await (await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)).json()) as { jwks_uri?: string };
  if (!metadata.jwks_uri)
    throw new EmulatorError(401, 'AuthenticationFail.OIDCToken.Invalid', 'The Jwt content is invalid that cannot be recognized.');
  const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
  issuerKeys.set(issuer, keys);
  return keys;
}

async function assumeRoleWithOidc(ctx: EmulatorContext, query: URLSearchParams, requestId: string) {
  const providerArn = query.get('OIDCProviderArn') ?? '';
  const token = query.get('OIDCToken') ?? '';
  const { account, role } = findRole(ctx.world, query.get('RoleArn') ?? '');
  const provider = account.oidcProviders?.find((candidate) => candidate.arn === providerArn);
  if (!provider) throw new EmulatorError(401, 'AuthenticationFail.NoPermission', 'No such OIDC Provider registered.');
  if (!token) throw new EmulatorError(401, 'AuthenticationFail.OIDCToken.Invalid', 'The OIDCToken can not empty.');
  if (token.split('.').length !== 3)
    throw new EmulatorError(
      401,
      'AuthenticationFail.OIDCToken.Invalid',
      "The number of Jwt field should be divided into 3 parts with '.' .",
    );
  try {
    await jwtVerify(token, await keysOf(provider.issuerUrl), {
      issuer: provider.issuerUrl,
      audience: provider.clientIds,
      algorithms: ['RS256', 'ES256'],
    });
  } catch (error) {
    if (error instanceof EmulatorError) throw error;
    if (error instanceof errors.JWTExpired)
      throw new EmulatorError(401, 'AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud')
      throw new EmulatorError(401, 'AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.');
    if (error instanceof errors.JWSSignatureVerificationFailed)
      throw new EmulatorError(401, 'AuthenticationFail.OIDCToken.InvalidSignature', 'OIDC token validate failed: invalid signature.');
    throw new EmulatorError(401, 'AuthenticationFail.OIDCToken.Invalid', 'The Jwt content is invalid that cannot be recognized.');
  }
  if (!role.trustedOidcProviders.includes(providerArn))
    throw new EmulatorError(401, 'AuthenticationFail.NoPermission', 'There is no permission');
  return issueSession(ctx, account, role, sessionNameOf(query), durationOf(query, role), requestId);
}

/** AssumeRoleWithOIDC arrives unsigned (authType Anonymous): parameters in the query, no Authorization header. */
async function serveAnonymous(ctx: EmulatorContext, request: Acs3Request): Promise<void> {
  const requestId = newRequestId();
  const entry = ctx.callLog.add({
    time: Date.now(),
    product: 'sts',
    action: 'AssumeRoleWithOIDC',
    method: request.req.method ?? 'POST',
    path: request.url.pathname,
    query: Object.fromEntries([...request.url.searchParams].filter(([name]) => name !== 'OIDCToken')),
    accessKeyId: '',
    endpoint: request.endpointRegion ?? 'central',
    status: 0,
  });
  try {
    const answer = await assumeRoleWithOidc(ctx, request.url.searchParams, requestId);
    ctx.callLog.settle(entry, { status: 200 });
    sendJson(request.res, 200, answer, requestId);
  } catch (error) {
    const failure =
      error instanceof EmulatorError
        ? error
        : new EmulatorError(500, 'InternalError', 'The request processing has failed due to some unknown error.');
    ctx.callLog.settle(entry, { status: failure.status, errorCode: failure.code });
    sendJson(request.res, failure.status, errorBody(failure, requestId), requestId);
  }
}

export const stsProduct: EmulatedProduct = {
  name: 'sts',
  matches(req) {
    return req.headers['x-acs-version'] === '2015-04-01';
  },
  async serve(ctx, request) {
    const action = String(request.req.headers['x-acs-action'] ?? '');
    if (action === 'AssumeRoleWithOIDC') return serveAnonymous(ctx, request);
    const operations = {
      GetCallerIdentity: { action, run: getCallerIdentity },
      AssumeRole: {
        action,
        ramAction: 'sts:AssumeRole',
        run(caller: Caller, requestId: string) {
          const roleArn = request.url.searchParams.get('RoleArn') ?? '';
          const { account, role } = findRole(ctx.world, roleArn);
          if (!role.trustedAccounts.includes(caller.account.accountId)) {
            throw new EmulatorError(403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');
          }
          return issueSession(
            ctx,
            account,
            role,
            sessionNameOf(request.url.searchParams),
            durationOf(request.url.searchParams, role),
            requestId,
          );
        },
      },
    } as const;
    await serveAcs3Operation('sts', ctx, request, operations[action as keyof typeof operations]);
  },
};
