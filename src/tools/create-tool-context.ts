/**
 * Builds the `ToolContext` for one call from the request's headers: credentials resolved at
 * most once per request, CS clients for those credentials only, and the per-identity
 * cluster-region cache.
 */
import type { AccessMode, Config } from '../config.ts';
import { createCsClient } from '../clients/cs-client.ts';
import { lookUpClusterRegion } from '../cluster/cluster-region.ts';
import { REGION_PATTERN } from '../cluster/region-id.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { maskAccessKeyId } from '../credentials/aliyun-credentials.ts';
import { CALLER_HEADERS, resolveCredentials, type DefaultCredentialChain } from '../credentials/resolve-credentials.ts';
import { ToolFailure } from '../errors/tool-failure.ts';
import type { CallerUser } from '../auth/caller-user.ts';
import type { UserCredentialSource } from '../auth/user-credentials.ts';
import type { ToolContext } from './tool-context.ts';

export interface RequestScope {
  config: Config;
  headers: Headers;
  mode: AccessMode;
  defaultChain: DefaultCredentialChain;
  note: ToolContext['note'];
  /** The signed-in user (AUTH_MODE oauth/both): every call then acts with the user's role session. */
  user?: CallerUser | undefined;
  userCredentials?: UserCredentialSource | undefined;
}

function signedInUsersCredentials(scope: RequestScope, user: CallerUser, source: UserCredentialSource): Promise<AliyunCredentials> {
  if (Object.values(CALLER_HEADERS).some((name) => name !== CALLER_HEADERS.region && scope.headers.has(name))) {
    return Promise.reject(new ToolFailure('CallerCredentialsNotAccepted', 'You are signed in: every call acts with your own role. Remove the X-Aliyun-Access-Key-* headers.'));
  }
  // The server's own credentials sign AssumeRole (OAUTH_ASSUME_WITH=role); AssumeRoleWithOIDC needs none.
  return source.get(user, () => resolveCredentials(scope.headers, scope.config, scope.defaultChain));
}

function invalidRegion(value: string, where: string): ToolFailure {
  return new ToolFailure('InvalidRegion', `${where} "${value.slice(0, 40)}" is not a region id such as cn-hangzhou. Nothing was sent.`);
}

/** Returns a factory: every call of one request shares the resolved credentials. */
export function toolContextFactory(scope: RequestScope): (signal: AbortSignal, progress: ToolContext['progress']) => ToolContext {
  let credentials: Promise<AliyunCredentials> | undefined;
  const getCredentials = () => {
    const { user, userCredentials } = scope;
    const resolve = () => (user && userCredentials ? signedInUsersCredentials(scope, user, userCredentials) : resolveCredentials(scope.headers, scope.config, scope.defaultChain));
    credentials ??= resolve().then((resolved) => {
      scope.note({ credentialSource: resolved.source, accessKeyId: maskAccessKeyId(resolved.accessKeyId) });
      return resolved;
    });
    return credentials;
  };
  const headerRegion = scope.headers.get(CALLER_HEADERS.region)?.trim() || undefined;
  const headerRegionValid = headerRegion === undefined || REGION_PATTERN.test(headerRegion);
  const retry = {
    maxRetries: scope.config.upstream.maxRetries,
    baseDelayMs: scope.config.upstream.retryBaseDelayMs,
    budgetMs: scope.config.upstream.retryBudgetMs,
    attemptTimeoutMs: scope.config.upstream.connectTimeoutMs + scope.config.upstream.readTimeoutMs,
  };

  return (signal, progress) => {
    const ctx: ToolContext = {
      config: scope.config,
      accessMode: scope.mode,
      credentials: getCredentials,
      callerRegion: headerRegion,
      fallbackRegion: headerRegion ?? scope.config.defaultRegion,
      retry,
      signal,
      progress,
      note: scope.note,
      ...(scope.user ? { user: { subject: scope.user.subject, name: scope.user.name } } : {}),
      async cs(region) {
        if (!headerRegionValid) throw invalidRegion(headerRegion ?? '', 'X-Aliyun-Region');
        if (region !== undefined && !REGION_PATTERN.test(region)) throw invalidRegion(region, 'region');
        return createCsClient(scope.config, await getCredentials(), region);
      },
      async clusterRegion(clusterId, explicitRegion) {
        if (!headerRegionValid) throw invalidRegion(headerRegion ?? '', 'X-Aliyun-Region');
        const chosen = explicitRegion ?? headerRegion;
        if (chosen) {
          if (!REGION_PATTERN.test(chosen)) throw invalidRegion(chosen, 'region');
          return chosen;
        }
        return lookUpClusterRegion(ctx, clusterId);
      },
    };
    return ctx;
  };
}
