/** Parse a Kubernetes API path into its parts. */
export interface ApiPath {
  group: string; // '' for core
  version: string;
  namespace?: string;
  resource?: string;
  name?: string;
  subresource?: string;
}

/**
 * `/api/v1/namespaces/ns/pods/name/log`, `/apis/apps/v1/deployments`, `/api/v1/nodes/n`, `/api/v1/namespaces/ns`.
 * Returns undefined for paths outside /api and /apis resource space.
 */
export function parseApiPath(pathname: string): ApiPath | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group = '';
  let version: string;
  if (parts[0] === 'api' && parts[1]) {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts[1] && parts[2]) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  const out: ApiPath = { group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    out.namespace = rest[1];
    rest = rest.slice(2);
  }
  [out.resource, out.name, out.subresource] = rest;
  if (rest.length > 3) return undefined;
  return out;
}
