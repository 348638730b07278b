/**
 * Finds a cluster's region from its id alone: DescribeClusterDetail on the central endpoint,
 * cached per (identity, cluster). Nothing here is shared between identities.
 */
import { TtlCache } from '../cache/ttl-cache.ts';
import type { CsClient } from '../clients/cs-client.ts';
import { callRead, type RetryPolicy } from '../upstream/call-upstream.ts';

export interface ClusterSummary {
  regionId: string;
  name: string;
  state: string;
}

const clusterSummaries = new TtlCache<ClusterSummary>(5000);

export async function describeClusterSummary(
  identityKey: string,
  clusterId: string,
  centralClient: () => Promise<CsClient>,
  retry: RetryPolicy,
  ttlMs: number,
  signal?: AbortSignal,
): Promise<ClusterSummary> {
  return clusterSummaries.getOrLoad(`${identityKey}:${clusterId}`, async () => {
    const client = await centralClient();
    const response = await callRead(retry, () => client.describeClusterDetail(clusterId), signal);
    const body = response.body;
    return {
      value: { regionId: body?.regionId ?? '', name: body?.name ?? '', state: body?.state ?? '' },
      ttlMs,
    };
  });
}
