/**
 * The REST policy's cases, shared by its unit test (rest-policy.test.ts) and the proxy test, which sends each one as a
 * raw request with a valid session token (bypassing kubectl) and checks nothing reaches the API server.
 */
import type { RestPolicy, RestRule } from './rest-policy.ts';

export const RO: RestPolicy = { mode: 'read-only', allowSecrets: false, allowExec: false };
export const RW: RestPolicy = { mode: 'read-write', allowSecrets: false, allowExec: false };
export const RW_ALL: RestPolicy = { mode: 'read-write', allowSecrets: true, allowExec: true };
export const RO_SECRETS: RestPolicy = { mode: 'read-only', allowSecrets: true, allowExec: true };
const RO_SECRETS_NO_EXEC: RestPolicy = { mode: 'read-only', allowSecrets: true, allowExec: false };

/** [method, path, policy, rule the proxy refuses it under]. */
export const REFUSED: Array<[string, string, RestPolicy, RestRule]> = [
  // read-only: every verb that changes something, whatever the resource
  ['POST', '/api/v1/namespaces/default/pods', RO, 'mode'],
  ['PUT', '/api/v1/namespaces/default/configmaps/app-config', RO, 'mode'],
  ['PATCH', '/apis/apps/v1/namespaces/default/deployments/web', RO, 'mode'],
  ['PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', RO, 'mode'],
  ['DELETE', '/api/v1/namespaces/default/pods/web-1', RO, 'mode'],
  ['DELETE', '/api/v1/namespaces/default/pods', RO, 'mode'],
  ['POST', '/api/v1/namespaces/default/pods/web-1/eviction', RO, 'mode'],
  ['PATCH', '/api/v1/nodes/n1', RO, 'mode'],
  ['PATCH', '/apis/apps/v1/namespaces/default/deployments/web?dryRun=All', RO, 'mode'],
  ['post', '/api/v1/namespaces', RO, 'mode'],
  ['OPTIONS', '/api/v1/pods', RO, 'mode'],
  ['POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', RO, 'mode'],
  ['POST', '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews', RO, 'mode'],
  ['POST', '/apis/authentication.k8s.io/v1/tokenreviews', RO, 'mode'],
  ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/x', RO, 'mode'],
  ['POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', RO, 'mode'],
  // Secrets: get, list, watch (both forms), all namespaces, any verb, encoded or cased paths
  ['GET', '/api/v1/secrets', RO, 'secret'],
  ['GET', '/api/v1/secrets?watch=true', RO, 'secret'],
  ['GET', '/api/v1/namespaces/default/secrets', RO, 'secret'],
  ['GET', '/api/v1/namespaces/default/secrets/db-credentials', RO, 'secret'],
  ['GET', '/api/v1/namespaces/default/secrets?fieldSelector=metadata.name%3Ddb&watch=1', RO, 'secret'],
  ['GET', '/api/v1/watch/secrets', RO, 'secret'],
  ['GET', '/api/v1/watch/namespaces/default/secrets/db-credentials', RO, 'secret'],
  ['GET', '/api/v1/namespaces/default/%73ecrets', RO, 'secret'],
  ['GET', '/api/v1/namespaces/default/Secrets', RO, 'secret'],
  ['GET', '/api/v1/namespaces/default/secrets/', RO, 'secret'],
  ['HEAD', '/api/v1/namespaces/default/secrets/db-credentials', RO, 'secret'],
  ['POST', '/api/v1/namespaces/default/secrets', RW, 'secret'],
  ['PATCH', '/api/v1/namespaces/default/secrets/db-credentials', RW, 'secret'],
  ['DELETE', '/api/v1/namespaces/default/secrets/db-credentials', RW, 'secret'],
  // ephemeral containers under the Pod Security Standards baseline profile (unless KUBECTL_ALLOW_PRIVILEGED)
  ['PATCH', '/api/v1/namespaces/default/pods/web-1/ephemeralcontainers', RW, 'admission'],
  ['PUT', '/api/v1/namespaces/default/pods/web-1/ephemeralcontainers', RW_ALL, 'admission'],
  // exec, attach, port-forward, proxy subresources (and the legacy proxy path)
  ['POST', '/api/v1/namespaces/default/pods/web-1/exec?command=sh', RW, 'exec'],
  ['GET', '/api/v1/namespaces/default/pods/web-1/exec?command=sh', RO, 'exec'],
  ['POST', '/api/v1/namespaces/default/pods/web-1/attach', RW, 'exec'],
  ['POST', '/api/v1/namespaces/default/pods/web-1/portforward', RW, 'exec'],
  ['GET', '/api/v1/namespaces/default/pods/web-1/proxy/metrics', RO, 'exec'],
  ['GET', '/api/v1/namespaces/default/services/web:80/proxy/', RO, 'exec'],
  ['GET', '/api/v1/namespaces/default/services/https:web:443/proxy/admin', RO, 'exec'],
  ['GET', '/api/v1/nodes/n1/proxy/configz', RO, 'exec'],
  ['GET', '/api/v1/nodes/n1/proxy/metrics/cadvisor', RO_SECRETS, 'exec'],
  ['GET', '/api/v1/proxy/namespaces/default/pods/web-1', RO, 'exec'],
  ['GET', '/api/v1/namespaces/default/pods/web-1/%65xec', RO, 'exec'],
  ['POST', '/api/v1/namespaces/default/pods/web-1/exec', { mode: 'read-only', allowSecrets: false, allowExec: true }, 'exec'],
  // credentials are never minted
  ['POST', '/api/v1/namespaces/default/serviceaccounts/default/token', RW_ALL, 'credential'],
  ['POST', '/api/v1/namespaces/default/serviceaccounts/default/token', RO, 'credential'],
  // paths that do not decode to plain segments
  ['GET', '/api/v1/namespaces/default/pods/..%2Fsecrets', RO, 'path'],
  ['GET', '/api/v1/namespaces/default/pods/%2e%2e', RO, 'path'],
  ['GET', '/api/v1//secrets', RO, 'path'],
  ['GET', '/api/v1/namespaces/default/pods/%zz', RO, 'path'],
  ['GET', 'http://169.254.169.254/latest/meta-data', RO, 'path'],
  ['GET', '/api/v1/namespaces/default/pods/a%00b', RO, 'path'],
  // targets a URL parser would change: a "#" (it drops what follows), dot segments, backslashes, `//host`
  ['GET', '/api/v1/namespaces/default/secrets#', RO_SECRETS_NO_EXEC, 'path'],
  ['GET', '/api/v1/namespaces/default/secrets#x', RO, 'path'],
  ['GET', '/api/v1/namespaces/default/pods/x#/../../secrets', RO, 'path'],
  ['GET', '/api/v1/namespaces/default/pods?limit=1#', RO, 'path'],
  ['POST', '/api/v1/namespaces/default/serviceaccounts/default/token#', RW_ALL, 'path'],
  ['GET', '/api/v1/namespaces/default/services/web:80/proxy#', RO, 'path'],
  ['POST', '/api/v1/namespaces/default/pods/x/exec#', RW, 'path'],
  ['POST', '/api/v1/namespaces/default/pods/x/exec?command=sh#', RW, 'path'],
  ['GET', '/api/v1/namespaces/default/pods/./x', RO, 'path'],
  ['GET', '/api/v1/namespaces/default/pods/%2E/x', RO, 'path'],
  ['GET', '/api/v1/namespaces/default/configmaps/%2e%2e/secrets', RO, 'path'],
  ['GET', '/api/v1/namespaces/default/pods\\..\\secrets', RO, 'path'],
  ['GET', '//169.254.169.254/latest/meta-data', RO, 'path'],
  ['GET', '/api/v1/pods?labelSelector=a b', RO, 'path'],
  ['GET', "/api/v1/pods?labelSelector='x'", RO, 'path'],
  ['GET', '/api/v1/namespaces/default/pods/{x}', RO, 'path'],
  ['GET', '/api?', RO, 'path'],
  ['GET', 'api/v1/pods', RO, 'path'],
  ['GET', '*', RO, 'path'],
];

/** Upgrade requests (WebSocket, SPDY): [method, path, policy, rule]. */
export const REFUSED_UPGRADES: Array<[string, string, RestPolicy, RestRule]> = [
  ['GET', '/api/v1/namespaces/default/secrets?watch=true', RW_ALL, 'secret'],
  ['GET', '/api/v1/watch/namespaces/default/secrets', RO_SECRETS, 'secret'],
  ['GET', '/api/v1/secrets?watch=1', RO, 'secret'],
  ['POST', '/api/v1/namespaces/default/pods/web-1/exec?command=sh', RW, 'exec'],
  ['GET', '/api/v1/namespaces/default/pods/web-1/portforward#', RW_ALL, 'path'],
];

export const ALLOWED: Array<[string, string, RestPolicy]> = [
  ['GET', '/api', RO],
  ['GET', '/apis', RO],
  ['GET', '/api/v1', RO],
  ['GET', '/version', RO],
  ['GET', '/openapi/v3/apis/apps/v1?hash=abc', RO],
  ['GET', '/api/v1/pods?limit=500', RO],
  ['GET', '/api/v1/namespaces/default/pods/web-1/log?tailLines=100', RO],
  ['GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb', RO],
  ['GET', '/apis/apps/v1/namespaces/default/deployments/web', RO],
  ['HEAD', '/api/v1/nodes', RO],
  ['GET', '/api/v1/namespaces/default/configmaps/app-config', RO],
  ['GET', '/api/v1/namespaces/secrets', RO], // the namespace named "secrets"
  ['GET', '/api/v1/namespaces/secrets/pods', RO],
  ['GET', '/apis/example.com/v1/namespaces/default/secrets', RO], // a custom resource called secrets
  ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', RO],
  ['POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', RO],
  ['POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', RO],
  ['POST', '/apis/authentication.k8s.io/v1beta1/selfsubjectreviews', RO],
  ['PATCH', '/apis/apps/v1/namespaces/default/deployments/web', RW],
  ['POST', '/api/v1/namespaces/default/configmaps', RW],
  ['DELETE', '/api/v1/namespaces/default/pods/web-1', RW],
  ['GET', '/api/v1/namespaces/default/secrets/db-credentials', RO_SECRETS],
  ['PATCH', '/api/v1/namespaces/default/secrets/db-credentials', RW_ALL],
  ['POST', '/api/v1/namespaces/default/pods/web-1/exec?command=date', RW_ALL],
  ['GET', '/api/v1/namespaces/default/pods/web-1/exec?command=date', RW_ALL],
  ['GET', '/api/v1/pods?labelSelector=app+in+%28web%2Capi%29&limit=500', RO],
  ['GET', '/api/v1/namespaces/default/services/web:80', RO],
  ['GET', '/api/v1/namespaces/default/pods/web-1/log?container=app&tailLines=10&timestamps=true', RO],
];
