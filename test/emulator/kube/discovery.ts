/**
 * Discovery documents. Aggregated discovery (apidiscovery.k8s.io/v2, GA in Kubernetes 1.30 and served by ACK's 1.33
 * API servers): `/api` and `/apis` answer every group, version and resource in one document each when the client asks
 * for it (kubectl does), so kubectl discovers a cluster with two requests. The legacy documents (`/api`, `/apis`,
 * `/apis/<group>/<version>`) answer clients that do not ask for it.
 */
import { apiVersionOf, RESOURCE_TYPES, SUBRESOURCES } from './resources.ts';

export const SERVER_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.3-aliyun.1',
  gitCommit: 'fake',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.24.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function coreVersions(): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  };
}

export function apiGroupList(): object {
  const groups = [...new Set(RESOURCE_TYPES.filter((t) => t.group).map((t) => t.group))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => {
      const version = RESOURCE_TYPES.find((t) => t.group === name)!.version;
      const gv = { groupVersion: `${name}/${version}`, version };
      return { name, versions: [gv], preferredVersion: gv };
    }),
  };
}

/** APIResourceList for a group version, or undefined when not served. */
export function apiResourceList(group: string, version: string): object | undefined {
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const resources: object[] = [];
  for (const t of types) {
    resources.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    });
    for (const [name, sub] of Object.entries(SUBRESOURCES)) {
      if (name.startsWith(`${t.resource}/`)) {
        resources.push({
          name,
          singularName: '',
          namespaced: t.namespaced,
          kind: sub.kind,
          verbs: sub.verbs,
          ...(sub.group ? { group: sub.group, version: sub.version } : {}),
        });
      }
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}

/** The media type of an aggregated discovery answer (what kube-apiserver sets as Content-Type). */
export const AGGREGATED_DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether the Accept header asks for aggregated discovery v2 (kubectl lists it first, then v2beta1, then plain JSON). */
export function wantsAggregatedDiscovery(accept: string): boolean {
  return accept
    .split(',')
    .some((type) => /^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList$/.test(type.trim().replace(/\s+/g, '')));
}

/** The APIGroupDiscoveryList of the core group (`/api`) or of the named groups (`/apis`). */
export function aggregatedDiscovery(core: boolean): object {
  const types = RESOURCE_TYPES.filter((t) => (t.group === '') === core);
  const groups = [...new Set(types.map((t) => t.group))];
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((group) => {
      const versions = [...new Set(types.filter((t) => t.group === group).map((t) => t.version))];
      return {
        metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
        versions: versions.map((version) => ({
          version,
          resources: types
            .filter((t) => t.group === group && t.version === version)
            .map((t) => ({
              resource: t.resource,
              responseKind: { group: t.group, version: t.version, kind: t.kind },
              scope: t.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: t.singular,
              verbs: t.verbs,
              ...(t.shortNames ? { shortNames: t.shortNames } : {}),
              ...subresourcesOf(t.resource),
            })),
          freshness: 'Current',
        })),
      };
    }),
  };
}

function subresourcesOf(resource: string): { subresources?: object[] } {
  const found = Object.entries(SUBRESOURCES)
    .filter(([name]) => name.startsWith(`${resource}/`))
    .map(([name, sub]) => ({
      subresource: name.slice(resource.length + 1),
      responseKind: { group: sub.group, version: sub.version, kind: sub.kind },
      verbs: sub.verbs,
    }));
  return found.length ? { subresources: found } : {};
}
