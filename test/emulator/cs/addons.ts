/**
 * ACK addon operations the upgrade-readiness check reads:
 * - ListClusterAddonInstances (GET /clusters/{id}/addon_instances): `addons[{name, version, state}]`, as the SDK's
 *   ListClusterAddonInstancesResponseBody;
 * - ListAddons (GET /addons): the catalogue, for a cluster (`cluster_id`) or for a cluster shape
 *   (`region_id`, `cluster_type`, `profile`, `cluster_spec`, `cluster_version`, all together, as the SDK documents).
 * Seed, for every cluster: five installed addons, `ack-node-problem-detector` one version behind the catalogue.
 * The 1.34 catalogue (a cluster_version of 1.34) has newer coredns and csi-plugin than 1.33's.
 * Registered only when no other module has registered the same actions (the operator tools emulate them too).
 */
import { EmulatorError } from '../http-util.ts';
import type { ClusterRecord } from '../world.ts';
import { ownCluster } from './lifecycle/lookup.ts';
import { csRoutes, type CsRoute } from './routes.ts';

interface CatalogueEntry {
  name: string;
  version: string;
  category: string;
  managed: boolean;
}

const CATALOGUE_133: CatalogueEntry[] = [
  { name: 'coredns', version: 'v1.11.3.2-f57ea7ed6-aliyun', category: 'network', managed: false },
  { name: 'terway-eniip', version: 'v1.13.4', category: 'network', managed: false },
  { name: 'csi-plugin', version: 'v1.33.1-67e8986-aliyun', category: 'storage', managed: false },
  { name: 'ack-node-problem-detector', version: '1.2.26', category: 'monitor', managed: false },
  { name: 'metrics-server', version: 'v0.3.9.4-ff225cd-aliyun', category: 'monitor', managed: true },
  { name: 'arms-prometheus', version: '1.1.31', category: 'monitor', managed: false },
];

const NEWER_IN_134: Record<string, string> = { coredns: 'v1.12.1.1-5e6c3a9d1-aliyun', 'csi-plugin': 'v1.34.0-3b1c2d4-aliyun' };

/** The addons ACK offers for a Kubernetes version (minor 1.34 and later: the 1.34 catalogue). */
export function catalogueFor(kubernetesVersion: string): CatalogueEntry[] {
  const minor = Number(/^1\.(\d+)\./.exec(kubernetesVersion)?.[1] ?? '0');
  return CATALOGUE_133.map((entry) => (minor >= 34 && NEWER_IN_134[entry.name] ? { ...entry, version: NEWER_IN_134[entry.name]! } : entry));
}

export function installedAddons(cluster: ClusterRecord): Array<{ name: string; version: string; state: string }> {
  return ['coredns', 'terway-eniip', 'csi-plugin', 'ack-node-problem-detector', 'metrics-server'].map((name) => {
    const entry = CATALOGUE_133.find((addon) => addon.name === name)!;
    return {
      name,
      version: name === 'ack-node-problem-detector' ? '1.2.24' : entry.version,
      state: cluster.state === 'updating' ? 'updating' : 'active',
    };
  });
}

const routes: CsRoute[] = [
  {
    action: 'ListClusterAddonInstances',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/addon_instances$/,
    ramAction: 'cs:ListClusterAddonInstances',
    handle(request) {
      return { addons: installedAddons(ownCluster(request)) };
    },
  },
  {
    action: 'ListAddons',
    method: 'GET',
    pattern: /^\/addons$/,
    ramAction: 'cs:ListAddons',
    handle(request) {
      const clusterId = request.query.get('cluster_id');
      let version: string;
      if (clusterId) {
        version = ownCluster(request, clusterId).current_version;
      } else {
        const shape = ['region_id', 'cluster_type', 'profile', 'cluster_spec', 'cluster_version'].map((key) => request.query.get(key));
        if (shape.some((value) => !value)) {
          throw new EmulatorError(
            400,
            'InvalidParameter',
            'region_id, cluster_type, profile, cluster_spec and cluster_version must be specified together when cluster_id is not.',
          );
        }
        version = shape[4]!;
      }
      return {
        addons: catalogueFor(version).map((entry) => ({
          ...entry,
          architecture: ['amd64', 'arm64'],
          config_schema: '{}',
          install_by_default: entry.name !== 'arms-prometheus',
          supported_actions: ['Install', 'Upgrade', 'Modify', 'Uninstall'],
        })),
      };
    },
  },
];

export function registerAddonCsRoutes(): void {
  for (const route of routes) if (!csRoutes.some((existing) => existing.action === route.action)) csRoutes.push(route);
}
