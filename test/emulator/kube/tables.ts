/** Server-side table printing (`Accept: application/json;as=Table`), the columns `kubectl get` shows. */
import type { ResourceType } from './resources.ts';
import type { KubeObject } from './store.ts';

interface Column {
  name: string;
  type: string;
  priority?: number;
  cell: (o: KubeObject) => string | number;
}

export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const name: Column = { name: 'Name', type: 'string', cell: (o) => o.metadata.name };
const created: Column = { name: 'Age', type: 'string', cell: (o) => age(o.metadata.creationTimestamp) };

function podStatus(o: KubeObject): string {
  for (const s of o.status?.containerStatuses ?? []) {
    if (s.state?.waiting?.reason) return s.state.waiting.reason;
    if (s.state?.terminated?.reason) return s.state.terminated.reason;
  }
  return o.status?.phase ?? 'Unknown';
}

const COLUMNS: Record<string, Column[]> = {
  pods: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${(o.status?.containerStatuses ?? []).filter((s: KubeObject) => s.ready).length}/${o.spec?.containers?.length ?? 0}`,
    },
    { name: 'Status', type: 'string', cell: podStatus },
    {
      name: 'Restarts',
      type: 'string',
      cell: (o) => String((o.status?.containerStatuses ?? []).reduce((n: number, s: KubeObject) => n + (s.restartCount ?? 0), 0)),
    },
    created,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
  ],
  deployments: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    created,
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c: KubeObject) => c.name).join(','),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c: KubeObject) => c.image).join(','),
    },
  ],
  replicasets: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    created,
  ],
  services: [
    name,
    { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', type: 'string', cell: (o) => o.status?.loadBalancer?.ingress?.[0]?.ip ?? '<none>' },
    {
      name: 'Port(s)',
      type: 'string',
      cell: (o) => (o.spec?.ports ?? []).map((p: KubeObject) => `${p.port}/${p.protocol ?? 'TCP'}`).join(','),
    },
    created,
  ],
  nodes: [
    name,
    {
      name: 'Status',
      type: 'string',
      cell: (o) =>
        `${o.status?.conditions?.find((c: KubeObject) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady'}${o.spec?.unschedulable ? ',SchedulingDisabled' : ''}`,
    },
    { name: 'Roles', type: 'string', cell: () => '<none>' },
    created,
    { name: 'Version', type: 'string', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
    {
      name: 'Internal-IP',
      type: 'string',
      priority: 1,
      cell: (o) => o.status?.addresses?.find((a: KubeObject) => a.type === 'InternalIP')?.address ?? '<none>',
    },
  ],
  namespaces: [name, { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' }, created],
  events: [
    { name: 'Last Seen', type: 'string', cell: (o) => age(o.lastTimestamp ?? o.metadata.creationTimestamp) },
    { name: 'Type', type: 'string', cell: (o) => o.type ?? '' },
    { name: 'Reason', type: 'string', cell: (o) => o.reason ?? '' },
    {
      name: 'Object',
      type: 'string',
      cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`,
    },
    { name: 'Message', type: 'string', cell: (o) => o.message ?? '' },
  ],
  configmaps: [
    name,
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length },
    created,
  ],
  secrets: [
    name,
    { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length },
    created,
  ],
};

/** A meta.k8s.io/v1 Table for objects of one type; rows carry PartialObjectMetadata (kubectl adds NAMESPACE itself). */
export function toTable(type: ResourceType, objects: KubeObject[], resourceVersion: string): object {
  const columns = COLUMNS[type.resource] ?? [name, created];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.name === 'Name' ? 'name' : '',
      description: c.name,
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
