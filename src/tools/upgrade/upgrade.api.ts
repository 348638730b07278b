/**
 * What the upgrade-readiness check reads from ACK, over the CS SDK: the cluster's version and type
 * (DescribeClusterDetail), the versions it can upgrade to (DescribeKubernetesVersionMetadata), the pre-upgrade checks
 * (ListClusterChecks / RunClusterCheck / GetClusterCheck, type ClusterUpgrade), installed addons against ACK's
 * catalogue (ListClusterAddonInstances, ListAddons) and the node pools' kubelet versions (DescribeClusterNodePools
 * `node_components`). No MCP here.
 */
import { loadCsSdk, type CsClient } from '../../clients/cs-client.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { callRead, callWrite, type RetryPolicy } from '../../upstream/call-upstream.ts';

export interface ClusterVersionInfo {
  current_version: string;
  cluster_type: string;
  profile: string;
  region_id: string;
}

export async function clusterVersion(
  cs: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  signal: AbortSignal,
): Promise<ClusterVersionInfo> {
  const { body } = await callRead(retry, () => cs.describeClusterDetail(clusterId), signal);
  if (!body?.currentVersion)
    throw new ToolFailure('UnreadableAnswer', `DescribeClusterDetail answered no current_version for cluster ${clusterId}.`, {
      hint: 'Try again; if it persists, the cluster may be in an unusual state.',
    });
  return {
    current_version: body.currentVersion,
    cluster_type: body.clusterType ?? 'ManagedKubernetes',
    profile: body.profile ?? 'Default',
    region_id: body.regionId ?? '',
  };
}

export interface VersionMetadata {
  version: string;
  upgradable_versions: string[];
  expiration_date: string;
}

export async function upgradableVersions(
  cs: CsClient,
  retry: RetryPolicy,
  cluster: ClusterVersionInfo,
  region: string,
  signal: AbortSignal,
): Promise<VersionMetadata> {
  const { models } = await loadCsSdk();
  const request = new models.DescribeKubernetesVersionMetadataRequest({
    region,
    clusterType: cluster.cluster_type,
    profile: cluster.profile,
    kubernetesVersion: cluster.current_version,
    queryUpgradableVersion: true,
  });
  const { body } = await callRead(retry, () => cs.describeKubernetesVersionMetadata(request), signal);
  const entry = (body ?? []).find((candidate) => candidate.version === cluster.current_version) ?? body?.[0];
  return {
    version: cluster.current_version,
    upgradable_versions: entry?.upgradableVersions ?? [],
    expiration_date: entry?.expirationDate ?? '',
  };
}

export interface ClusterCheckSummary {
  check_id: string;
  status: string;
  message: string;
  created_at: string;
  finished_at: string;
}

export async function listUpgradeChecks(
  cs: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  signal: AbortSignal,
): Promise<ClusterCheckSummary[]> {
  const { models } = await loadCsSdk();
  const { body } = await callRead(
    retry,
    () => cs.listClusterChecks(clusterId, new models.ListClusterChecksRequest({ type: 'ClusterUpgrade' })),
    signal,
  );
  return (body?.checks ?? [])
    .map((check) => ({
      check_id: check.checkId ?? '',
      status: check.status ?? '',
      message: check.message ?? '',
      created_at: check.createdAt ?? '',
      finished_at: check.finishedAt ?? '',
    }))
    .filter((check) => check.check_id)
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/** Starts a ClusterUpgrade check for `nextVersion`. A write: sent once, never retried blindly. */
export async function runUpgradeCheck(
  cs: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  nextVersion: string,
  signal: AbortSignal,
): Promise<string> {
  const { models } = await loadCsSdk();
  const request = new models.RunClusterCheckRequest({ type: 'ClusterUpgrade', options: { next_version: nextVersion } });
  const { body } = await callWrite(
    retry,
    {
      summary: `start a pre-upgrade check of cluster ${clusterId} for ${nextVersion}`,
      howToCheck: 'Call check_upgrade_readiness again: it lists the latest pre-upgrade checks (ListClusterChecks).',
    },
    () => cs.runClusterCheck(clusterId, request),
    signal,
  );
  if (!body?.checkId)
    throw new ToolFailure('UnreadableAnswer', 'RunClusterCheck answered no check_id.', {
      hint: 'Call check_upgrade_readiness again without run_check to read the latest check.',
    });
  return body.checkId;
}

export interface CheckItem {
  category: string;
  name: string;
  /** `blocker` (the check says the upgrade cannot go on), `warning`, or `pass`. */
  severity: 'blocker' | 'warning' | 'pass';
  level: string;
  target: string;
  message: string;
  suggestion: string;
}

export interface ClusterCheckDetail extends ClusterCheckSummary {
  items: CheckItem[];
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);

/**
 * One check item. The SDK types the items only as maps and ACK documents no keys: this reads the keys the emulator
 * answers (`name`, `level`, `target`, `message`, `suggestion`) and common alternatives, and keeps unknown levels as
 * warnings (docs/alibaba-cloud-fidelity.md).
 */
export function checkItem(category: string, raw: Record<string, unknown>): CheckItem {
  const level = text(raw.level ?? raw.status ?? raw.result ?? raw.severity).toLowerCase();
  const severity = /^(error|fail|failed|critical|blocker|fatal)$/.test(level)
    ? 'blocker'
    : /^(pass|passed|success|succeeded|normal|ok|info)$/.test(level)
      ? 'pass'
      : 'warning';
  return {
    category,
    name: text(raw.name ?? raw.check_item ?? raw.display_name ?? raw.checkItem) || '?',
    severity,
    level,
    target: text(raw.target ?? raw.resource ?? raw.targets),
    message: text(raw.message ?? raw.desc ?? raw.description),
    suggestion: text(raw.suggestion ?? raw.fix ?? raw.advice ?? raw.solution),
  };
}

export async function getUpgradeCheck(
  cs: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  checkId: string,
  signal: AbortSignal,
): Promise<ClusterCheckDetail> {
  const { body } = await callRead(retry, () => cs.getClusterCheck(clusterId, checkId), signal);
  const items = Object.entries(body?.checkItems ?? {}).flatMap(([category, list]) =>
    (Array.isArray(list) ? list : []).map((raw) => checkItem(category, (raw ?? {}) as Record<string, unknown>)),
  );
  return {
    check_id: body?.checkId ?? checkId,
    status: body?.status ?? '',
    message: body?.message ?? '',
    created_at: body?.createdAt ?? '',
    finished_at: body?.finishedAt ?? '',
    items,
  };
}

export interface AddonVersion {
  name: string;
  version: string;
  state: string;
  /** The version ACK's catalogue offers for the cluster; empty when the addon is not in it. */
  latest: string;
}

export async function addonVersions(cs: CsClient, retry: RetryPolicy, clusterId: string, signal: AbortSignal): Promise<AddonVersion[]> {
  const { models } = await loadCsSdk();
  const [installed, catalogue] = await Promise.all([
    callRead(retry, () => cs.listClusterAddonInstances(clusterId), signal),
    callRead(retry, () => cs.listAddons(new models.ListAddonsRequest({ clusterId })), signal),
  ]);
  const latest = new Map((catalogue.body?.addons ?? []).map((addon) => [addon.name ?? '', addon.version ?? '']));
  return (installed.body?.addons ?? []).map((addon) => ({
    name: addon.name ?? '',
    version: addon.version ?? '',
    state: addon.state ?? '',
    latest: latest.get(addon.name ?? '') ?? '',
  }));
}

export interface NodePoolVersion {
  nodepool_id: string;
  name: string;
  kubelet_version: string;
}

export async function nodePoolVersions(
  cs: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  signal: AbortSignal,
): Promise<NodePoolVersion[]> {
  const { models } = await loadCsSdk();
  const { body } = await callRead(
    retry,
    () => cs.describeClusterNodePools(clusterId, new models.DescribeClusterNodePoolsRequest({})),
    signal,
  );
  return (body?.nodepools ?? []).map((pool) => ({
    nodepool_id: pool.nodepoolInfo?.nodepoolId ?? '',
    name: pool.nodepoolInfo?.name ?? '',
    kubelet_version: (pool.nodeComponents ?? []).find((component) => component.name === 'kubelet')?.version ?? '',
  }));
}
