/**
 * The caller's access to a cluster's API server: DescribeClusterUserKubeconfig (a short-lived kubeconfig), parsed and
 * cached in memory per (identity, cluster) until shortly before it or the caller's credential expires
 * (`credentialCacheTtlMs`). Never written to disk, never returned.
 */
import { loadCsSdk, type CsClient } from '../../clients/cs-client.ts';
import { credentialCacheTtlMs } from '../../credentials/aliyun-credentials.ts';
import type { UpstreamCluster } from '../../kubectl/kubeconfig.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';
import type { ClusterScope, ToolContext } from '../tool-context.ts';

/** Renew a kubeconfig this long before ACK says it expires (at most half its lifetime). */
export const KUBECONFIG_RENEW_MARGIN_MS = 5 * 60_000;

/** The kubeconfig parser and its YAML library, loaded by the first kubectl call (no other tool needs them). */
export const loadKubeconfigParser = () => import('../../kubectl/kubeconfig.ts');

export interface UserKubeconfig {
  config: string;
  /** When the credential expires (ms since epoch), if ACK said. */
  expiresAt: number | undefined;
}

export async function describeClusterUserKubeconfig(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  options: { temporaryDurationMinutes: number; privateIpAddress: boolean },
  signal?: AbortSignal,
): Promise<UserKubeconfig> {
  const { DescribeClusterUserKubeconfigRequest } = (await loadCsSdk()).models;
  const request = new DescribeClusterUserKubeconfigRequest({
    temporaryDurationMinutes: options.temporaryDurationMinutes,
    privateIpAddress: options.privateIpAddress,
  });
  const { body } = await callRead(retry, () => client.describeClusterUserKubeconfig(clusterId, request), signal);
  const expiresAt = body?.expiration ? Date.parse(body.expiration) : Number.NaN;
  return { config: body?.config ?? '', expiresAt: Number.isFinite(expiresAt) ? expiresAt : undefined };
}

/** How long a kubeconfig stays cached: until the margin before `expiresAt` (or before the requested duration). */
export function kubeconfigTtlMs(expiresAt: number | undefined, requestedMinutes: number, now = Date.now()): number {
  const lifetime = expiresAt !== undefined ? expiresAt - now : requestedMinutes * 60_000;
  return Math.max(0, lifetime - Math.min(KUBECONFIG_RENEW_MARGIN_MS, lifetime / 2));
}

/** Cache key: the identity, the cluster, and what shapes the answer (the CS endpoint asked, the endpoint kind, the lifetime). */
async function cacheKey(ctx: ToolContext, clusterId: string): Promise<string> {
  const { identityKey } = await ctx.credentials();
  const settings = ctx.config.kubectl;
  return [identityKey, clusterId, ctx.config.endpoints.cs ?? '', settings.privateIp, settings.kubeconfigMinutes].join('\0');
}

/**
 * The caller's upstream for a cluster, from the cache or from ACK. A region the caller named (argument or
 * X-Aliyun-Region) is checked first, cached kubeconfig or not, as every cluster tool checks it.
 * @throws ToolFailure InvalidRegion, ClusterRegionMismatch
 */
export async function clusterUpstream(ctx: ToolContext, cluster: ClusterScope): Promise<UpstreamCluster> {
  const clusterId = cluster.id;
  if (cluster.regionClaim !== undefined) await cluster.confirmRegion();
  const settings = ctx.config.kubectl;
  const key = await cacheKey(ctx, clusterId);
  return ctx.services.caches.kubeconfigs.getOrLoad(key, async () => {
    const client = await cluster.cs();
    const answer = await describeClusterUserKubeconfig(
      client,
      ctx.retry,
      clusterId,
      { temporaryDurationMinutes: settings.kubeconfigMinutes, privateIpAddress: settings.privateIp },
      ctx.signal,
    );
    const ttlMs = credentialCacheTtlMs(
      await ctx.credentials(),
      kubeconfigTtlMs(answer.expiresAt, settings.kubeconfigMinutes),
      ctx.config.stsCacheMaxMs,
    );
    const { parseKubeconfig } = await loadKubeconfigParser();
    return { value: parseKubeconfig(answer.config), ttlMs };
  });
}

/** Forget a cached kubeconfig (the API server refused its credential). */
export async function forgetClusterUpstream(ctx: ToolContext, clusterId: string): Promise<void> {
  ctx.services.caches.kubeconfigs.delete(await cacheKey(ctx, clusterId));
}
