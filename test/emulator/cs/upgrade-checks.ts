/**
 * ACK's pre-upgrade checks and version metadata:
 * - RunClusterCheck (POST /clusters/{id}/checks, body `type`, `target`, `options` such as `{next_version}`) answers
 *   `{check_id, request_id}`; the check runs for `env.clusterCheckMs` (default: `env.taskStageMs`, else 1500 ms);
 * - ListClusterChecks (GET /clusters/{id}/checks, query `type`, `target`) answers `checks[]` newest first;
 * - GetClusterCheck (GET /clusters/{id}/checks/{check_id}) answers the check with `check_items`, a map of
 *   category → list of item maps. The SDK types the items only as maps and documents no keys: the emulator's
 *   `name`, `level` (`error` blocks the upgrade, `warning`, `pass`), `target`, `message`, `suggestion` are an
 *   assumption (docs/alibaba-cloud-fidelity.md);
 * - DescribeKubernetesVersionMetadata (GET /api/v1/metadata/versions): an array of versions (`version`,
 *   `release_date`, `expiration_date`, `creatable`, `upgradable_versions`), the next minor only.
 * Seed, for every cluster: one ClusterUpgrade check finished three hours ago. Every ClusterUpgrade check finds one
 * blocker (ack-node-problem-detector 1.2.24 is too old for 1.34) and warns about a node pool whose kubelet is
 * behind the control plane.
 */
import { randomBytes } from 'node:crypto';
import { EmulatorError } from '../http-util.ts';
import type { ClusterRecord } from '../world.ts';
import { installedAddons } from './addons.ts';
import { ownCluster } from './lifecycle/lookup.ts';
import { csRoutes, type CsRoute, type CsRequest } from './routes.ts';

const CHECK_TYPES = ['ClusterMigrate', 'MasterUpgrade', 'NodePoolUpgrade', 'ClusterUpgrade'];

interface CheckRecord {
  check_id: string;
  type: string;
  target: string;
  options: Record<string, string>;
  created: number;
}

/** ACK's versions (ManagedKubernetes, Default profile): each upgrades to the next minor only. */
export const KUBERNETES_VERSIONS = [
  { version: '1.31.9-aliyun.1', release_date: '2025-01-20T00:00:00Z', expiration_date: '2026-07-31T00:00:00Z', creatable: false },
  { version: '1.32.7-aliyun.1', release_date: '2025-05-29T00:00:00Z', expiration_date: '2027-01-31T00:00:00Z', creatable: true },
  { version: '1.33.3-aliyun.1', release_date: '2025-09-10T00:00:00Z', expiration_date: '2027-07-31T00:00:00Z', creatable: true },
  { version: '1.34.1-aliyun.1', release_date: '2026-02-05T00:00:00Z', expiration_date: '2028-01-31T00:00:00Z', creatable: true },
];

function minorOf(version: string): number {
  return Number(/^1\.(\d+)\./.exec(version)?.[1] ?? '-1');
}

const checks = new WeakMap<ClusterRecord, CheckRecord[]>();

function newCheckId(cluster: ClusterRecord, now: number): string {
  return `${now}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}-${cluster.cluster_id.slice(1)}-clustercheck-${randomBytes(3).toString('hex').slice(0, 5)}`;
}

function checksOf(cluster: ClusterRecord, now: number): CheckRecord[] {
  let found = checks.get(cluster);
  if (!found) {
    const created = now - 3 * 3600_000;
    found = [
      { check_id: newCheckId(cluster, created), type: 'ClusterUpgrade', target: '', options: { next_version: '1.34.1-aliyun.1' }, created },
    ];
    checks.set(cluster, found);
  }
  return found;
}

function checkDurationMs(request: CsRequest): number {
  const value = Number(request.env.clusterCheckMs ?? request.env.taskStageMs ?? 1500);
  return Number.isFinite(value) && value >= 0 ? value : 1500;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function item(name: string, level: 'error' | 'warning' | 'pass', target: string, message: string, suggestion = ''): Record<string, string> {
  return { name, level, target, message, suggestion };
}

/** What a ClusterUpgrade check finds on this cluster. */
function upgradeCheckItems(cluster: ClusterRecord, nextVersion: string): Record<string, Array<Record<string, string>>> {
  const npd = installedAddons(cluster).find((addon) => addon.name === 'ack-node-problem-detector');
  const behind = cluster.nodepools.filter((pool) => (pool.kubelet_version ?? cluster.current_version) !== cluster.current_version);
  return {
    Cluster: [
      item('ClusterStatus', cluster.state === 'running' ? 'pass' : 'error', cluster.cluster_id, `cluster state is ${cluster.state}`),
      item('APIServerHealth', 'pass', 'kube-apiserver', 'the API server is healthy'),
      item('WebhookConfiguration', 'pass', 'admission webhooks', 'no webhook would block the upgrade'),
    ],
    Addon: [
      npd && npd.version < '1.2.26'
        ? item(
            'AddonCompatibility',
            'error',
            'ack-node-problem-detector',
            `ack-node-problem-detector ${npd.version} is not compatible with Kubernetes ${nextVersion}`,
            'Upgrade ack-node-problem-detector to 1.2.26 or later before the upgrade.',
          )
        : item('AddonCompatibility', 'pass', 'addons', `every installed addon supports Kubernetes ${nextVersion}`),
    ],
    NodePool: behind.length
      ? behind.map((pool) =>
          item(
            'NodePoolVersion',
            'warning',
            pool.nodepool_id,
            `node pool ${pool.name} runs kubelet ${pool.kubelet_version} while the control plane runs ${cluster.current_version}`,
            'Upgrade the node pool to the control plane version.',
          ),
        )
      : [item('NodePoolVersion', 'pass', 'node pools', 'every node pool runs the control plane version')],
  };
}

function checkView(cluster: ClusterRecord, record: CheckRecord, request: CsRequest, withItems: boolean): Record<string, unknown> {
  const done = request.now - record.created >= checkDurationMs(request);
  const view: Record<string, unknown> = {
    check_id: record.check_id,
    type: record.type,
    status: done ? 'Succeeded' : 'Running',
    message: done ? 'task succeed' : 'task running',
    created_at: iso(record.created),
    finished_at: done ? iso(record.created + checkDurationMs(request)) : '',
  };
  if (withItems)
    view.check_items = done && record.type === 'ClusterUpgrade' ? upgradeCheckItems(cluster, record.options.next_version ?? '') : {};
  return view;
}

function invalid(message: string): EmulatorError {
  return new EmulatorError(400, 'InvalidParameter', message);
}

const routes: CsRoute[] = [
  {
    action: 'RunClusterCheck',
    method: 'POST',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/checks$/,
    ramAction: 'cs:RunClusterCheck',
    mutating: true,
    handle(request) {
      const cluster = ownCluster(request);
      const { type, target, options } = request.body as { type?: unknown; target?: unknown; options?: unknown };
      if (typeof type !== 'string' || !CHECK_TYPES.includes(type)) throw invalid(`type must be one of ${CHECK_TYPES.join(', ')}.`);
      if (type === 'NodePoolUpgrade' && typeof target !== 'string')
        throw invalid('target (the node pool id) is required for NodePoolUpgrade.');
      if (
        options !== undefined &&
        (typeof options !== 'object' || options === null || Object.values(options).some((value) => typeof value !== 'string'))
      ) {
        throw invalid('options must be a map of strings.');
      }
      const record: CheckRecord = {
        check_id: newCheckId(cluster, request.now),
        type,
        target: typeof target === 'string' ? target : '',
        options: (options ?? {}) as Record<string, string>,
        created: request.now,
      };
      checksOf(cluster, request.now).unshift(record);
      return { check_id: record.check_id, request_id: request.requestId };
    },
  },
  {
    action: 'ListClusterChecks',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/checks$/,
    ramAction: 'cs:ListClusterChecks',
    handle(request) {
      const cluster = ownCluster(request);
      const type = request.query.get('type');
      const target = request.query.get('target');
      const matching = checksOf(cluster, request.now).filter(
        (record) => (!type || record.type === type) && (!target || record.target === target),
      );
      return { checks: matching.map((record) => checkView(cluster, record, request, false)) };
    },
  },
  {
    action: 'GetClusterCheck',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/checks\/(?<checkId>[^/]+)$/,
    ramAction: 'cs:GetClusterCheck',
    handle(request) {
      const cluster = ownCluster(request);
      const record = checksOf(cluster, request.now).find((candidate) => candidate.check_id === request.params.checkId);
      if (!record) throw new EmulatorError(404, 'ErrorCheckNotFound', `The specified check ${request.params.checkId} does not exist.`);
      return checkView(cluster, record, request, true);
    },
  },
  {
    action: 'DescribeKubernetesVersionMetadata',
    method: 'GET',
    pattern: /^\/api\/v1\/metadata\/versions$/,
    ramAction: 'cs:DescribeKubernetesVersionMetadata',
    handle(request) {
      const query = request.query;
      if (!query.get('Region')) throw invalid('Region is required.');
      if (!query.get('ClusterType')) throw invalid('ClusterType is required.');
      const asked = query.get('KubernetesVersion');
      const view = (entry: (typeof KUBERNETES_VERSIONS)[number], upgradable: boolean) => ({
        ...entry,
        capabilities: {},
        meta_data: { KubernetesVersion: entry.version, SubClass: 'default' },
        runtimes: [{ name: 'containerd', version: '1.6.39' }],
        images: [
          {
            image_id: 'aliyun_3_x64_20G_alibase_20250629.vhd',
            image_name: 'Alibaba Cloud Linux 3.2104',
            platform: 'AliyunLinux',
            os_type: 'Linux',
            image_type: 'AliyunLinux3',
            image_category: 'system',
            architecture: 'x86_64',
            os_version: '3.2104',
          },
        ],
        ...(upgradable
          ? {
              upgradable_versions: KUBERNETES_VERSIONS.filter((next) => minorOf(next.version) === minorOf(entry.version) + 1).map(
                (next) => next.version,
              ),
            }
          : {}),
      });
      if (asked) {
        const entry = KUBERNETES_VERSIONS.find((candidate) => candidate.version === asked);
        return entry ? [view(entry, query.get('QueryUpgradableVersion') === 'true')] : [];
      }
      const supported = query.get('Mode') === 'supported';
      return KUBERNETES_VERSIONS.filter((entry) => supported || entry.creatable).map((entry) => view(entry, false));
    },
  },
];

export function registerUpgradeCsRoutes(): void {
  for (const route of routes) if (!csRoutes.some((existing) => existing.action === route.action)) csRoutes.push(route);
}
