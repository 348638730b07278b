/**
 * A cluster's addons: ListClusterAddonInstances (what is installed: name, version, state) and ListAddons with the
 * cluster's id (ACK's catalogue for this cluster: the version an install or upgrade would get). The deprecated
 * DescribeClusterAddonsVersion is not called. No MCP here.
 */
import { loadCsSdk, type CsClient } from '../../clients/cs-client.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';

export interface InstalledAddon {
  name: string;
  version: string;
  /** active, updating, upgrading, deleting (ListClusterAddonInstancesResponseBody). */
  state: string;
}

export interface CatalogueAddon {
  name: string;
  version: string;
  category: string;
  managed: boolean;
}

export async function listClusterAddonInstances(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  signal?: AbortSignal,
): Promise<InstalledAddon[]> {
  const { body } = await callRead(retry, () => client.listClusterAddonInstances(clusterId), signal);
  return (body?.addons ?? []).map((addon) => ({ name: addon.name ?? '', version: addon.version ?? '', state: addon.state ?? '' }));
}

export async function listAvailableAddons(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  signal?: AbortSignal,
): Promise<CatalogueAddon[]> {
  const { ListAddonsRequest } = (await loadCsSdk()).models;
  const { body } = await callRead(retry, () => client.listAddons(new ListAddonsRequest({ clusterId })), signal);
  return (body?.addons ?? []).map((addon) => ({
    name: addon.name ?? '',
    version: addon.version ?? '',
    category: addon.category ?? '',
    managed: addon.managed ?? false,
  }));
}

/** The numbers in a version string, in order: `v1.9.3.10-7dfca203-aliyun` → [1, 9, 3, 10] (the build suffix is ignored). */
function numbersOf(version: string): number[] {
  const core = version.replace(/^v/i, '').split(/[-+]/)[0] ?? '';
  return core
    .split('.')
    .map((part) => Number.parseInt(part, 10))
    .filter((n) => Number.isFinite(n));
}

/**
 * Whether `available` is newer than `installed`: their dotted numbers compared in order; equal numbers (or versions
 * without numbers) are newer only when the strings differ and cannot be ordered, which is reported as `unknown`.
 */
export function compareAddonVersions(installed: string, available: string): 'newer' | 'same' | 'older' | 'unknown' {
  if (!available || !installed) return 'unknown';
  if (installed === available) return 'same';
  const a = numbersOf(installed);
  const b = numbersOf(available);
  if (a.length === 0 || b.length === 0) return 'unknown';
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return y > x ? 'newer' : 'older';
  }
  return 'unknown';
}
