/**
 * A cluster's region. From a cluster id alone it is found with DescribeClusterDetail on the
 * central endpoint, cached per (identity, cluster) within the credential's lifetime; nothing here is shared between identities.
 * A region the caller names (argument or X-Aliyun-Region) is used as given, to pick the regional
 * endpoint, but is reported as the cluster's region only once ACK confirmed it
 * (`confirmClusterRegion`).
 */
import type { TtlCache } from '../cache/ttl-cache.ts';
import type { CsClient } from '../clients/cs-client.ts';
import type { Config } from '../config.ts';
import { type AliyunCredentials, credentialCacheTtlMs } from '../credentials/aliyun-credentials.ts';
import { ToolFailure } from '../errors/tool-failure.ts';
import { callRead, type RetryPolicy } from '../upstream/call-upstream.ts';

export interface ClusterSummary {
  regionId: string;
  name: string;
  state: string;
}

/** What a region lookup needs: the request's credentials and CS clients, its retry policy, and the server's cache. */
export interface RegionLookup {
  config: Config;
  retry: RetryPolicy;
  signal?: AbortSignal;
  credentials(): Promise<AliyunCredentials>;
  cs(region?: string): Promise<CsClient>;
  services: { caches: { clusterSummaries: TtlCache<ClusterSummary> } };
}

/** `ttlMs`: how long the summary may be cached (already bounded by the credential's lifetime, `credentialCacheTtlMs`). */
export async function describeClusterSummary(
  clusterSummaries: TtlCache<ClusterSummary>,
  identityKey: string,
  clusterId: string,
  centralClient: () => Promise<CsClient>,
  retry: RetryPolicy,
  ttlMs: () => number,
  signal?: AbortSignal,
): Promise<ClusterSummary> {
  return clusterSummaries.getOrLoad(`${identityKey}:${clusterId}`, async () => {
    const client = await centralClient();
    const response = await callRead(retry, () => client.describeClusterDetail(clusterId), signal);
    const body = response.body;
    return {
      value: { regionId: body?.regionId ?? '', name: body?.name ?? '', state: body?.state ?? '' },
      ttlMs: ttlMs(),
    };
  });
}

/** The cluster's region as ACK's central endpoint reports it (cached per identity). */
export async function lookUpClusterRegion(ctx: RegionLookup, clusterId: string): Promise<string> {
  const identity = await ctx.credentials();
  const ttlMs = () => credentialCacheTtlMs(identity, ctx.config.clusterRegionTtlMs, ctx.config.stsCacheMaxMs);
  const summary = await describeClusterSummary(
    ctx.services.caches.clusterSummaries,
    identity.identityKey,
    clusterId,
    () => ctx.cs(undefined),
    ctx.retry,
    ttlMs,
    ctx.signal,
  );
  if (!summary.regionId) throw new ToolFailure('ClusterRegionUnknown', `ACK did not report a region for cluster ${clusterId}.`);
  return summary.regionId;
}

export function regionMismatch(clusterId: string, actual: string, used: string, source: string): ToolFailure {
  return new ToolFailure(
    'ClusterRegionMismatch',
    `ACK reports cluster ${clusterId} in region ${actual}, but this call used region ${used} (from ${source}).`,
    {
      hint: `Omit the region (the server then finds the cluster's region itself) or pass region ${actual}. Nothing was changed.`,
    },
  );
}

/**
 * The region to report for a cluster, confirmed by ACK. `used` is the region the call went to;
 * `claimedBy` says where it came from when the caller named it (undefined when it was looked
 * up, which already confirms it); `reported` are the region ids ACK's answer carried. A
 * disagreement is a `ClusterRegionMismatch`; an answer without a region is checked against
 * the (cached) lookup.
 */
export async function confirmClusterRegion(
  ctx: RegionLookup,
  clusterId: string,
  used: string,
  claimedBy: string | undefined,
  reported: readonly string[],
): Promise<string> {
  const other = reported.find((region) => region !== used);
  if (other) throw regionMismatch(clusterId, other, used, claimedBy ?? 'the region lookup');
  if (claimedBy === undefined || reported.length > 0) return used;
  const actual = await lookUpClusterRegion(ctx, clusterId);
  if (actual !== used) throw regionMismatch(clusterId, actual, used, claimedBy);
  return used;
}

/** Where a caller-named region came from, for messages; undefined when the caller named none. */
export function regionClaim(explicitRegion: string | undefined, callerRegion: string | undefined): string | undefined {
  if (explicitRegion !== undefined) return 'the region argument';
  return callerRegion !== undefined ? 'the X-Aliyun-Region header' : undefined;
}
