import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRestRequest, statusBody, type RestPolicy, type RestRule } from './rest-policy.ts';

const RO: RestPolicy = { mode: 'read-only', allowSecrets: false, allowExec: false };
const RW: RestPolicy = { mode: 'read-write', allowSecrets: false, allowExec: false };
const RW_ALL: RestPolicy = { mode: 'read-write', allowSecrets: true, allowExec: true };
const RO_SECRETS: RestPolicy = { mode: 'read-only', allowSecrets: true, allowExec: true };

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
];

const ALLOWED: Array<[string, string, RestPolicy]> = [
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
];

describe('checkRestRequest (the proxy policy)', () => {
  for (const [method, path, policy, rule] of REFUSED) {
    test(`refuses ${method} ${path} (${policy.mode}${policy.allowSecrets ? ', secrets' : ''}${policy.allowExec ? ', exec' : ''}) under ${rule}`, () => {
      const refusal = checkRestRequest(method, path, policy);
      assert.ok(refusal, 'expected a refusal');
      assert.equal(refusal.rule, rule);
      assert.equal(refusal.status, rule === 'path' ? 400 : 403);
      assert.match(refusal.message, /^the MCP server's kubectl policy refused/);
    });
  }
  for (const [method, path, policy] of ALLOWED) {
    test(`allows ${method} ${path} (${policy.mode}${policy.allowSecrets ? ', secrets' : ''}${policy.allowExec ? ', exec' : ''})`, () => {
      assert.equal(checkRestRequest(method, path, policy), undefined);
    });
  }

  test('refusals say what to do instead', () => {
    assert.match(checkRestRequest('PATCH', '/api/v1/nodes/n1', RO)!.message, /read-only\. Use get, describe, logs or events/);
    assert.match(checkRestRequest('GET', '/api/v1/secrets', RO)!.message, /KUBECTL_ALLOW_SECRETS.*describe pod/);
    assert.match(checkRestRequest('POST', '/api/v1/namespaces/a/pods/p/exec', RW)!.message, /disabled on this server\. Use logs, describe and events/);
  });

  test('a refusal is a Kubernetes Status kubectl can print', () => {
    const body = JSON.parse(statusBody(checkRestRequest('DELETE', '/api/v1/namespaces/default/pods/p', RO)!));
    assert.deepEqual(
      { kind: body.kind, apiVersion: body.apiVersion, status: body.status, reason: body.reason, code: body.code },
      { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403 },
    );
  });
});
