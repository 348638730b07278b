import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALLOWED, REFUSED, REFUSED_UPGRADES, RO, RO_SECRETS, RW } from './rest-policy.cases.ts';
import { checkRestRequest, statusBody, type RestPolicy, type RestRefusal } from './rest-policy.ts';

describe('checkRestRequest (the proxy policy)', () => {
  const label = (policy: RestPolicy) => `${policy.mode}${policy.allowSecrets ? ', secrets' : ''}${policy.allowExec ? ', exec' : ''}`;
  const refusalOf = (method: string, path: string, policy: RestPolicy, upgrade = false) => {
    const decision = checkRestRequest(method, path, policy, { upgrade });
    assert.equal(decision.ok, false, `expected a refusal, got ${JSON.stringify(decision)}`);
    return decision as RestRefusal;
  };
  for (const [method, path, policy, rule] of REFUSED) {
    test(`refuses ${method} ${path} (${label(policy)}) under ${rule}`, () => {
      const refusal = refusalOf(method, path, policy);
      assert.equal(refusal.rule, rule, refusal.message);
      assert.equal(refusal.status, rule === 'path' ? 400 : 403);
      assert.match(refusal.message, /^the MCP server's kubectl policy refused/);
    });
  }
  for (const [method, path, policy, rule] of REFUSED_UPGRADES) {
    test(`refuses the upgrade ${method} ${path} (${label(policy)}) under ${rule}`, () => {
      assert.equal(refusalOf(method, path, policy, true).rule, rule);
    });
  }
  for (const [method, path, policy] of ALLOWED) {
    test(`allows ${method} ${path} (${label(policy)}), to be forwarded exactly as judged`, () => {
      const decision = checkRestRequest(method, path, policy);
      // A write to a workload is also marked for pod admission (pod-admission.test.ts has the table).
      const admission =
        /^(POST|PUT|PATCH)$/.test(method) && /\/(deployments|pods)(\/[^/]+)?$/.test(path.split('?')[0]!)
          ? { admission: path.includes('/pods') ? 'pod' : 'template' }
          : {};
      assert.deepEqual(decision, {
        ok: true,
        path,
        pathname: path.split('?')[0],
        secrets: /^\/api\/v1\/(namespaces\/[^/]+\/)?secrets/.test(path),
        ...admission,
      });
    });
  }

  test('refusals say what to do instead', () => {
    assert.match(refusalOf('PATCH', '/api/v1/nodes/n1', RO).message, /read-only\. Use get, describe, logs or events/);
    assert.match(refusalOf('GET', '/api/v1/secrets', RO).message, /KUBECTL_ALLOW_SECRETS.*describe pod/);
    assert.match(
      refusalOf('POST', '/api/v1/namespaces/a/pods/p/exec', RW).message,
      /disabled on this server\. Use logs, describe and events/,
    );
    assert.match(refusalOf('GET', '/api/v1/secrets#', RO_SECRETS).message, /refused a request path: a "#" has no place in an API request/);
    assert.match(refusalOf('GET', '/api/v1/secrets?watch=1', RO_SECRETS, true).message, /without --watch/);
  });

  test('a refusal is a Kubernetes Status kubectl can print', () => {
    const body = JSON.parse(statusBody(refusalOf('DELETE', '/api/v1/namespaces/default/pods/p', RO)));
    assert.deepEqual(
      { kind: body.kind, apiVersion: body.apiVersion, status: body.status, reason: body.reason, code: body.code },
      { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403 },
    );
  });
});
