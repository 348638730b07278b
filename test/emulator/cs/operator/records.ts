/**
 * What the emulated ACK keeps for the operator tools, per cluster: finished cluster tasks, cluster events and inspection
 * reports. Seeded on first use from the cluster's own ids (so the sandbox and the tests see the
 * same realistic history) and changed by operations (RunClusterInspect adds a report). Kept beside the world, keyed by
 * the cluster record, so another account's cluster has its own records and a fresh world starts afresh.
 *
 * Seed, for every cluster: three finished tasks (one failed), five cluster events. Only the first cluster of each account has an inspection report
 * (completed two hours ago, three exceptions); the others have none, so an inspection must be run first.
 */
import type { ClusterRecord } from '../../world.ts';
import { isoTime, newTaskId } from '../lifecycle/store.ts';

export interface ClusterTaskRecord {
  task_id: string;
  task_type: string;
  state: 'running' | 'success' | 'fail';
  created: string;
  updated: string;
  error?: { code: string; message: string };
}

export interface ClusterEventRecord {
  event_id: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  data: { level: string; reason: string; message: string };
}

export interface CheckItemResult {
  category: string;
  checkItemUid: string;
  name: string;
  level: 'advice' | 'warning' | 'error' | 'critical';
  /** `true`: the check found a problem; `false`: normal; `disable`: not enabled (ACK answers strings). */
  result: 'true' | 'false' | 'disable';
  targetType: string;
  targets: string[];
  description: string;
  fix: string;
}

export interface InspectReportRecord {
  reportId: string;
  taskId: string;
  startTime: string;
  endTime: string;
  status: 'running' | 'completed';
  items: CheckItemResult[];
}

export interface OperatorRecords {
  tasks: ClusterTaskRecord[];
  events: ClusterEventRecord[];
  /** Newest first. */
  reports: InspectReportRecord[];
}

const records = new WeakMap<ClusterRecord, OperatorRecords>();

const ago = (ms: number, now: number): string => isoTime(now - ms);
const HOUR = 3600_000;

/** An inspection report id shaped like ACK's (32 hex digits). */
export function newReportId(seed: string): string {
  return Buffer.from(`${seed}${Date.now()}${Math.random()}`).toString('hex').slice(-32).padStart(32, '0');
}

/** The check items a report on this cluster finds: three exceptions and a few normal items. */
export function checkItemsFor(cluster: ClusterRecord): CheckItemResult[] {
  const node = cluster.nodes[0]?.node_name ?? `${cluster.region_id}.10.0.1.11`;
  const pool = cluster.nodepools[0]?.nodepool_id ?? '';
  return [
    {
      category: 'stability',
      checkItemUid: 'NodePoolMultiZone',
      name: 'Node pool spans a single zone',
      level: 'error',
      result: 'true',
      targetType: 'NodePool',
      targets: [pool],
      description: 'All nodes of the node pool are in one zone: a zone outage stops every workload on it.',
      fix: 'Add vSwitches in other zones to the node pool.',
    },
    {
      category: 'security',
      checkItemUid: 'PodPrivileged',
      name: 'Privileged containers',
      level: 'critical',
      result: 'true',
      targetType: 'Pod',
      targets: ['kube-system/terway-eniip-5xwq2'],
      description: 'A container runs privileged and can take over its node.',
      fix: 'Drop privileged mode; grant only the capabilities the container needs.',
    },
    {
      category: 'cost',
      checkItemUid: 'WorkloadRequestsOverProvisioned',
      name: 'Requests far above usage',
      level: 'advice',
      result: 'true',
      targetType: 'Deployment',
      targets: ['default/web'],
      description: 'The workload requests much more CPU and memory than it uses.',
      fix: 'Lower the requests (analyze_workload_cost shows usage against requests).',
    },
    {
      category: 'performance',
      checkItemUid: 'NodeDiskUsage',
      name: 'Node disk usage',
      level: 'warning',
      result: 'false',
      targetType: 'Node',
      targets: [node],
      description: 'Disk usage of the node is below 80%.',
      fix: '',
    },
    {
      category: 'limitation',
      checkItemUid: 'VpcRouteEntryQuota',
      name: 'VPC route entry quota',
      level: 'warning',
      result: 'false',
      targetType: 'VPC',
      targets: [cluster.vpc_id],
      description: 'The VPC has route entries to spare.',
      fix: '',
    },
    {
      category: 'stability',
      checkItemUid: 'APIServerClbInstanceStatus',
      name: 'API server CLB instance status',
      level: 'critical',
      result: 'false',
      targetType: 'CLB',
      targets: [],
      description: 'The API server load balancer is running.',
      fix: '',
    },
    {
      category: 'security',
      checkItemUid: 'AuditLogEnabled',
      name: 'API server audit log',
      level: 'advice',
      result: 'disable',
      targetType: 'Cluster',
      targets: [],
      description: 'Not checked: the check item is disabled.',
      fix: '',
    },
  ];
}

function seed(cluster: ClusterRecord, isFirst: boolean, now: number): OperatorRecords {
  const pool = cluster.nodepools[0]?.nodepool_id ?? '';
  const tasks: ClusterTaskRecord[] = [
    {
      task_id: newTaskId(),
      task_type: 'cluster_addon_upgrade',
      state: 'success',
      created: ago(50 * HOUR, now),
      updated: ago(50 * HOUR - 180_000, now),
    },
    {
      task_id: newTaskId(),
      task_type: 'nodepool_scaleout',
      state: 'fail',
      created: ago(26 * HOUR, now),
      updated: ago(26 * HOUR - 420_000, now),
      error: { code: 'QuotaExceed.ElasticQuota', message: 'The instance quota of ecs.g7.xlarge in the zone is exceeded.' },
    },
    {
      task_id: newTaskId(),
      task_type: 'nodepool_update',
      state: 'success',
      created: ago(5 * HOUR, now),
      updated: ago(5 * HOUR - 240_000, now),
    },
  ];
  const event = (
    hoursAgo: number,
    type: string,
    subject: string,
    level: string,
    reason: string,
    message: string,
    source = 'task',
  ): ClusterEventRecord => ({
    event_id: `e-${newReportId(`${cluster.cluster_id}${type}${hoursAgo}`).slice(0, 8)}-${cluster.cluster_id.slice(1, 5)}-${String(hoursAgo).padStart(4, '0')}`,
    type,
    source,
    subject,
    time: ago(hoursAgo * HOUR, now),
    data: { level, reason, message },
  });
  const events = [
    event(
      50,
      'cluster_addon_upgrade',
      'ack-node-problem-detector',
      'info',
      'Succeed',
      'Upgrade addon ack-node-problem-detector to 1.2.24 succeeded',
    ),
    event(26, 'cluster_scaleout', pool, 'info', 'Started', `Start to scale out NodePool ${pool}`),
    event(25.9, 'cluster_scaleout', pool, 'warning', 'Failed', `Scale out NodePool ${pool} failed: QuotaExceed.ElasticQuota`),
    event(5, 'nodepool_update', pool, 'info', 'Started', `Start to update NodePool ${pool}`),
    event(4.9, 'nodepool_update', pool, 'info', 'Succeed', `Update NodePool ${pool} succeeded`),
  ];
  const reports: InspectReportRecord[] = isFirst
    ? [
        {
          reportId: newReportId(cluster.cluster_id),
          taskId: newTaskId(),
          startTime: ago(2 * HOUR, now),
          endTime: ago(2 * HOUR - 60_000, now),
          status: 'completed',
          items: checkItemsFor(cluster),
        },
        {
          reportId: newReportId(`${cluster.cluster_id}old`),
          taskId: newTaskId(),
          startTime: ago(170 * HOUR, now),
          endTime: ago(170 * HOUR - 60_000, now),
          status: 'completed',
          items: checkItemsFor(cluster).slice(0, 1),
        },
      ]
    : [];
  return { tasks, events, reports };
}

export function operatorRecordsOf(cluster: ClusterRecord, accountClusters: ClusterRecord[], now = Date.now()): OperatorRecords {
  let found = records.get(cluster);
  if (!found) {
    found = seed(cluster, accountClusters[0] === cluster, now);
    records.set(cluster, found);
  }
  return found;
}
