/**
 * Builds the `ToolContext` for one call from the request's headers: credentials resolved at most once per request,
 * SDK clients for those credentials only (every region checked before it becomes part of a host name), the server's
 * per-process services, and `forCluster`, the one preamble of every cluster tool.
 */
import { createArmsClient } from '../clients/arms-client.ts';
import { createCmsClient } from '../clients/cms-client.ts';
import { createCsClient } from '../clients/cs-client.ts';
import { createSlsClient } from '../clients/sls-client.ts';
import { createStsClient } from '../clients/sts-client.ts';
import { confirmClusterRegion, lookUpClusterRegion, regionClaim } from '../cluster/cluster-region.ts';
import { REGION_PATTERN } from '../cluster/region-id.ts';
import type { AccessMode, Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { maskAccessKeyId } from '../credentials/aliyun-credentials.ts';
import { CALLER_HEADERS, type DefaultCredentialChain, resolveCredentials } from '../credentials/resolve-credentials.ts';
import { ToolFailure } from '../errors/tool-failure.ts';
import type { CallerUser } from '../auth/caller-user.ts';
import type { UserCredentialSource } from '../auth/user-credentials.ts';
import type { ServerServices } from '../services.ts';
import type { ClusterScope, ToolContext } from './tool-context.ts';

export interface RequestScope {
  config: Config;
  services: ServerServices;
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
    return Promise.reject(
      new ToolFailure(
        'CallerCredentialsNotAccepted',
        'You are signed in: every call acts with your own role. Remove the X-Aliyun-Access-Key-* headers.',
      ),
    );
  }
  // The server's own credentials sign AssumeRole (OAUTH_ASSUME_WITH=role); AssumeRoleWithOIDC needs none.
  return source.get(user, () => resolveCredentials(scope.headers, scope.config, scope.defaultChain));
}

function invalidRegion(value: string, where: string): ToolFailure {
  return new ToolFailure('InvalidRegion', `${where} "${value.slice(0, 40)}" is not a region id such as cn-hangzhou. Nothing was sent.`);
}

/** The cluster's scope: its region resolved on first need (once), its clients for that region. */
function clusterScope(
  ctx: ToolContext,
  checked: (region: string) => string,
  clusterId: string,
  explicitRegion: string | undefined,
): ClusterScope {
  let region: Promise<string> | undefined;
  const scope: ClusterScope = {
    id: clusterId,
    regionClaim: regionClaim(explicitRegion, ctx.callerRegion),
    region() {
      region ??= (async () => {
        const chosen = explicitRegion ?? ctx.callerRegion;
        if (chosen) return checked(chosen);
        return checked(await lookUpClusterRegion(ctx, clusterId));
      })();
      return region;
    },
    async confirmRegion(reported = []) {
      return confirmClusterRegion(ctx, clusterId, await scope.region(), scope.regionClaim, reported);
    },
    cs: async () => ctx.cs(await scope.region()),
    sls: async () => createSlsClient(ctx.config, await ctx.credentials(), await scope.region()),
    cms: async () => createCmsClient(ctx.config, await ctx.credentials(), await scope.region()),
    arms: async () => createArmsClient(ctx.config, await ctx.credentials(), await scope.region()),
  };
  return scope;
}

/** Returns a factory: every call of one request shares the resolved credentials. */
export function toolContextFactory(scope: RequestScope): (signal: AbortSignal, progress: ToolContext['progress']) => ToolContext {
  let credentials: Promise<AliyunCredentials> | undefined;
  const getCredentials = () => {
    const { user, userCredentials } = scope;
    const resolve = () =>
      user && userCredentials
        ? signedInUsersCredentials(scope, user, userCredentials)
        : resolveCredentials(scope.headers, scope.config, scope.defaultChain);
    credentials ??= resolve().then((resolved) => {
      scope.note({ credentialSource: resolved.source, accessKeyId: maskAccessKeyId(resolved.accessKeyId) });
      return resolved;
    });
    return credentials;
  };
  const headerRegion = scope.headers.get(CALLER_HEADERS.region)?.trim() || undefined;
  const headerRegionValid = headerRegion === undefined || REGION_PATTERN.test(headerRegion);
  /** A region about to become part of a host name: the header's and the value's format checked. */
  const checked = (region: string, where = 'region'): string => {
    if (!headerRegionValid) throw invalidRegion(headerRegion ?? '', 'X-Aliyun-Region');
    if (!REGION_PATTERN.test(region)) throw invalidRegion(region, where);
    return region;
  };
  const retry = {
    maxRetries: scope.config.upstream.maxRetries,
    baseDelayMs: scope.config.upstream.retryBaseDelayMs,
    budgetMs: scope.config.upstream.retryBudgetMs,
    attemptTimeoutMs: scope.config.upstream.connectTimeoutMs + scope.config.upstream.readTimeoutMs,
  };

  return (signal, progress) => {
    const ctx: ToolContext = {
      config: scope.config,
      services: scope.services,
      accessMode: scope.mode,
      credentials: getCredentials,
      callerRegion: headerRegion,
      fallbackRegion: headerRegion ?? scope.config.defaultRegion,
      retry,
      signal,
      progress,
      note: scope.note,
      ...(scope.user ? { user: { subject: scope.user.subject, name: scope.user.name } } : {}),
      // `this`: the context the handler holds (the call runner wraps `note` to record the cluster per call).
      forCluster(args) {
        this.note({ cluster: args.cluster_id });
        return clusterScope(this, checked, args.cluster_id, args.region);
      },
      async cs(region) {
        if (region === undefined && !headerRegionValid) throw invalidRegion(headerRegion ?? '', 'X-Aliyun-Region');
        return createCsClient(scope.config, await getCredentials(), region === undefined ? undefined : checked(region));
      },
      async sts() {
        if (!headerRegionValid) throw invalidRegion(headerRegion ?? '', 'X-Aliyun-Region');
        return createStsClient(scope.config, await getCredentials(), ctx.fallbackRegion);
      },
    };
    return ctx;
  };
}
