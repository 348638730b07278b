/** The resource types the fake API server serves, used by discovery, the router and the store. */
export interface ResourceType {
  group: string; // '' for core
  version: string;
  resource: string; // plural
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  verbs: string[];
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const RO = ['get', 'list', 'watch'];

export const RESOURCE_TYPES: ResourceType[] = [
  { group: '', version: 'v1', resource: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], verbs: RW },
  {
    group: '',
    version: 'v1',
    resource: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    verbs: RW,
  },
  { group: '', version: 'v1', resource: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], verbs: RW },
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: RW,
  },
  { group: '', version: 'v1', resource: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], verbs: RW },
  {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    verbs: RW,
  },
  { group: '', version: 'v1', resource: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true, verbs: RW },
  {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    verbs: RW,
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    verbs: RW,
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    verbs: RW,
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    verbs: RW,
  },
  // metrics-server's resource metrics API (kubectl top, analyze_workload_cost); the fake serves pod metrics only.
  { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', singular: '', kind: 'PodMetrics', namespaced: true, verbs: RO },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    resource: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    kind: 'SelfSubjectReview',
    namespaced: false,
    verbs: ['create'],
  },
];

/** Subresources served: `<resource>/<sub>` → kind. */
export const SUBRESOURCES: Record<string, { kind: string; group: string; version: string; verbs: string[] }> = {
  'pods/log': { kind: 'Pod', group: '', version: 'v1', verbs: ['get'] },
  'pods/ephemeralcontainers': { kind: 'Pod', group: '', version: 'v1', verbs: ['get', 'patch', 'update'] },
  'deployments/scale': { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  'replicasets/scale': { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
};

export const apiVersionOf = (t: { group: string; version: string }): string => (t.group ? `${t.group}/${t.version}` : t.version);

export function findResourceType(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.resource === resource);
}
