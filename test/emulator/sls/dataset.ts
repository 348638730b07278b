/**
 * The Log Service data of one emulated cluster: which projects and stores exist, and a small
 * realistic dataset (Kubernetes events with a crash-looping pod, API-server audit entries,
 * container logs). Times are seconds before "now", so the default last hour always sees them.
 */
import type { AccountRecord, ClusterRecord } from '../world.ts';
import { auditRows, controlPlaneRows } from './control-plane-dataset.ts';

export interface LogRow {
  ago: number;
  fields: Record<string, string>;
}

export const CRASHING_POD = 'payment-api-7d9f8b6c5-x2k4q';

/**
 * Where one cluster's logs live, as ACK reports it: events, container and ingress logs always in
 * `k8s-log-{clusterId}`; control-plane logs in CheckControlPlaneLogEnable's `log_project`; the audit log in
 * GetClusterAuditProject's `sls_project_name`. By default all three are the same project; staging-beijing
 * has its own control-plane and audit projects (the routing cases), and an ingress access log of 250 lines
 * (more than one query returns).
 */
export interface LogLayout {
  logProject: string;
  controlPlaneProject: string;
  auditProject: string;
}

export function layoutOf(cluster: ClusterRecord): LogLayout {
  const logProject = `k8s-log-${cluster.cluster_id}`;
  if (cluster.name === 'staging-beijing') {
    const short = cluster.cluster_id.slice(1, 13);
    return { logProject, controlPlaneProject: `ack-controlplane-${short}`, auditProject: `ack-audit-${short}` };
  }
  return { logProject, controlPlaneProject: logProject, auditProject: logProject };
}

export function prometheusProjectOf(account: AccountRecord, cluster: ClusterRecord): string {
  return `workspace-default-cms-${account.accountId}-${cluster.region_id}`;
}

/** Control-plane logging is on for every cluster but other-singapore (the "not enabled" case). */
export function controlPlaneLogsEnabled(cluster: ClusterRecord): boolean {
  return cluster.name !== 'other-singapore';
}

/** Cluster auditing is on for every cluster but other-singapore (GetClusterAuditProject `audit_enabled: false`). */
export function auditEnabled(cluster: ClusterRecord): boolean {
  return cluster.name !== 'other-singapore';
}

/** Only prod-hangzhou has managed Prometheus; the others have a workspace but no metricstore. */
export function hasPrometheus(cluster: ClusterRecord): boolean {
  return cluster.name === 'prod-hangzhou';
}

/** The logstores of one of the cluster's projects (undefined when the project is not the cluster's). */
export function logstoresIn(cluster: ClusterRecord, project: string): string[] | undefined {
  const id = cluster.cluster_id;
  const layout = layoutOf(cluster);
  const stores: string[] = [];
  if (project === layout.logProject)
    stores.push('k8s-event', 'config-operation-log', ...(cluster.name === 'staging-beijing' ? ['nginx-ingress'] : []));
  if (project === layout.auditProject && auditEnabled(cluster)) stores.push(`audit-${id}`);
  if (project === layout.controlPlaneProject && controlPlaneLogsEnabled(cluster))
    stores.push(`apiserver-${id}`, `kcm-${id}`, `scheduler-${id}`);
  return stores.length ? stores : undefined;
}

function event(
  ago: number,
  level: string,
  reason: string,
  kind: string,
  namespace: string,
  name: string,
  message: string,
  host: string,
): LogRow {
  return {
    ago,
    fields: { level, reason, kind, namespace, name, message, hostname: host, __source__: 'kube-eventer', __topic__: 'k8s-event' },
  };
}

/** The rows of one of the cluster's logstores (empty for stores without sample data). */
export function rowsOf(cluster: ClusterRecord, logstore: string): LogRow[] {
  const node = cluster.nodes[0]?.node_name ?? 'node-0';
  const id = cluster.cluster_id;
  if (logstore === 'k8s-event') {
    const rows: LogRow[] = [
      event(3000, 'Normal', 'Scheduled', 'Pod', 'shop', CRASHING_POD, `Successfully assigned shop/${CRASHING_POD} to ${node}`, node),
      event(
        2990,
        'Normal',
        'Pulled',
        'Pod',
        'shop',
        CRASHING_POD,
        'Container image "registry.cn-hangzhou.aliyuncs.com/shop/payment-api:1.8.2" already present on machine',
        node,
      ),
      event(
        2400,
        'Normal',
        'ScalingReplicaSet',
        'Deployment',
        'shop',
        'checkout',
        'Scaled up replica set checkout-5b7c9 to 3',
        'kube-controller-manager',
      ),
      event(
        1800,
        'Warning',
        'Unhealthy',
        'Pod',
        'shop',
        'checkout-5b7c9-abcde',
        'Readiness probe failed: HTTP probe failed with statuscode: 503',
        node,
      ),
      event(
        1200,
        'Warning',
        'FailedScheduling',
        'Pod',
        'batch',
        'report-28712345-q8z7n',
        '0/4 nodes are available: 4 Insufficient memory.',
        'default-scheduler',
      ),
      event(600, 'Normal', 'Killing', 'Pod', 'kube-system', 'coredns-6d8c4f7b9-m2lpx', 'Stopping container coredns', node),
    ];
    for (let i = 0; i < 12; i += 1) {
      rows.push(
        event(
          2900 - i * 240,
          'Warning',
          'BackOff',
          'Pod',
          'shop',
          CRASHING_POD,
          `Back-off restarting failed container payment-api in pod ${CRASHING_POD}_shop(9f1c2d3e-4b5a-6789-abcd-ef0123456789)`,
          node,
        ),
      );
    }
    return rows;
  }
  if (logstore === 'config-operation-log') {
    const trace = [
      'java.lang.IllegalStateException: PAYMENT_DB_URL is not set',
      ...Array.from({ length: 40 }, (_, i) => `\tat com.example.payment.Bootstrap.step${i}(Bootstrap.java:${100 + i})`),
    ].join('\n');
    const rows: LogRow[] = [];
    for (let i = 0; i < 12; i += 1) {
      const base = {
        _namespace_: 'shop',
        _pod_name_: CRASHING_POD,
        _container_name_: 'payment-api',
        _node_name_: node,
        __source__: '10.0.1.11',
        __topic__: '',
      };
      rows.push({ ago: 2905 - i * 240, fields: { ...base, content: 'Starting payment-api 1.8.2 (profile=prod)' } });
      rows.push({ ago: 2903 - i * 240, fields: { ...base, content: trace } });
    }
    for (let i = 0; i < 30; i += 1) {
      rows.push({
        ago: 3300 - i * 100,
        fields: {
          _namespace_: 'shop',
          _pod_name_: 'checkout-5b7c9-abcde',
          _container_name_: 'checkout',
          _node_name_: node,
          __source__: '10.0.1.12',
          __topic__: '',
          content: `GET /api/cart/${1000 + i} 200 ${12 + (i % 7)}ms`,
        },
      });
    }
    return rows;
  }
  if (logstore === `audit-${id}`) return auditRows(id);
  if (logstore === 'nginx-ingress') {
    return Array.from({ length: 250 }, (_, i) => ({
      ago: 3000 - i * 10,
      fields: {
        remote_addr: `203.0.113.${i % 50}`,
        method: i % 7 === 0 ? 'POST' : 'GET',
        url: `/api/cart/${1000 + (i % 40)}`,
        status: i % 25 === 0 ? '502' : '200',
        request_time: String(((i * 37) % 900) / 1000),
        host: 'shop.example.com',
        __topic__: 'nginx-ingress',
      },
    }));
  }
  const controlPlane = controlPlaneRows(logstore, id);
  if (controlPlane) return controlPlane;
  return [];
}
