/** Legacy discovery documents (kubectl falls back to them when the server does not offer aggregated discovery). */
import { apiVersionOf, RESOURCE_TYPES, SUBRESOURCES } from './resources.ts';

export const SERVER_VERSION = {
  major: '1', minor: '33', gitVersion: 'v1.33.3-aliyun.1', gitCommit: 'fake', gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.24.4', compiler: 'gc', platform: 'linux/amd64',
};

export function coreVersions(): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
}

export function apiGroupList(): object {
  const groups = [...new Set(RESOURCE_TYPES.filter((t) => t.group).map((t) => t.group))];
  return {
    kind: 'APIGroupList', apiVersion: 'v1',
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
    resources.push({ name: t.resource, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: t.verbs, ...(t.shortNames ? { shortNames: t.shortNames } : {}) });
    for (const [name, sub] of Object.entries(SUBRESOURCES)) {
      if (name.startsWith(`${t.resource}/`)) {
        resources.push({ name, singularName: '', namespaced: t.namespaced, kind: sub.kind, verbs: sub.verbs, ...(sub.group ? { group: sub.group, version: sub.version } : {}) });
      }
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}
