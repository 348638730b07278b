/**
 * Pod admission from request bodies as kubectl (and a hand-made client) sends them: create and replace, the three
 * patch types, server-side apply in JSON and YAML, and bodies that cannot be read.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { judgePodWrite } from './pod-admission.ts';
import { checkRestRequest } from './rest-policy.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const PRIVILEGED_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
};
const PLAIN_DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
};

describe('pod admission: request bodies', () => {
  test('create of a privileged pod: 403 naming the field, the profile and the setting', () => {
    const verdict = judgePodWrite('POST', JSON_TYPE, body(PRIVILEGED_POD), 'pod');
    assert.equal(verdict.ok, false);
    if (verdict.ok) return;
    assert.equal(verdict.status, 403);
    assert.match(
      verdict.message,
      /spec\.containers\[0\]\.securityContext\.privileged=true \(privileged containers\) is not allowed by the Kubernetes Pod Security Standards "baseline" profile/,
    );
    assert.match(verdict.message, /KUBECTL_ALLOW_PRIVILEGED=true/);
  });

  test('an ordinary Deployment passes, also as JSON under a YAML media type (JSON is YAML)', () => {
    assert.deepEqual(judgePodWrite('POST', JSON_TYPE, body(PLAIN_DEPLOYMENT), 'template'), { ok: true });
    assert.deepEqual(judgePodWrite('PUT', { 'content-type': 'application/yaml' }, body(PLAIN_DEPLOYMENT), 'template'), { ok: true });
  });

  const PATCHES: Array<[string, string, unknown, string | undefined]> = [
    [
      'strategic merge adding hostNetwork',
      'application/strategic-merge-patch+json',
      { spec: { template: { spec: { hostNetwork: true } } } },
      'spec.template.spec.hostNetwork',
    ],
    [
      'strategic merge with directives, privileged by name',
      'application/strategic-merge-patch+json',
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'web' }],
              containers: [{ name: 'web', securityContext: { privileged: true } }],
            },
          },
        },
      },
      'spec.template.spec.containers[0].securityContext.privileged',
    ],
    [
      'merge patch with a hostPath volume',
      'application/merge-patch+json',
      { spec: { template: { spec: { volumes: [{ name: 'root', hostPath: { path: '/' } }] } } } },
      'spec.template.spec.volumes[0].hostPath',
    ],
    [
      'JSON patch adding hostNetwork',
      'application/json-patch+json',
      [
        { op: 'test', path: '/spec/replicas', value: 2 },
        { op: 'add', path: '/spec/template/spec/hostNetwork', value: true },
      ],
      'spec.template.spec.hostNetwork',
    ],
    [
      'JSON patch replacing a capability by index',
      'application/json-patch+json',
      [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/0', value: 'SYS_ADMIN' }],
      'spec.template.spec.containers[0].securityContext.capabilities.add[0]',
    ],
    [
      'JSON patch appending a privileged container',
      'application/json-patch+json',
      [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'x', securityContext: { privileged: true } } }],
      'spec.template.spec.containers[-].securityContext.privileged',
    ],
    [
      'JSON patch replacing the whole spec',
      'application/json-patch+json',
      [{ op: 'replace', path: '/spec', value: { template: { spec: { hostPID: true } } } }],
      'spec.template.spec.hostPID',
    ],
    [
      'JSON patch with an escaped annotation key',
      'application/json-patch+json',
      [{ op: 'add', path: '/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1web', value: 'unconfined' }],
      'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/web"]',
    ],
    [
      'server-side apply (JSON, as kubectl sends it)',
      'application/apply-patch+yaml',
      { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: { hostIPC: true } } } },
      'spec.template.spec.hostIPC',
    ],
    [
      'strategic merge changing only the image',
      'application/strategic-merge-patch+json',
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } },
      undefined,
    ],
    [
      'JSON patch removing hostNetwork',
      'application/json-patch+json',
      [{ op: 'remove', path: '/spec/template/spec/hostNetwork' }],
      undefined,
    ],
    ['merge patch of replicas (kubectl scale on the object)', 'application/merge-patch+json', { spec: { replicas: 5 } }, undefined],
  ];
  for (const [what, type, patch, refusedPath] of PATCHES) {
    test(`${what}: ${refusedPath ? 'refused' : 'allowed'}`, () => {
      const verdict = judgePodWrite('PATCH', { 'content-type': `${type}; charset=utf-8` }, body(patch), 'template');
      if (!refusedPath) return assert.deepEqual(verdict, { ok: true });
      assert.equal(verdict.ok, false);
      if (!verdict.ok)
        assert.deepEqual(
          verdict.violations.map((v) => v.path),
          [refusedPath],
        );
    });
  }

  test('a JSON-patch move or copy into the pod spec is refused (its value is not in the request)', () => {
    const verdict = judgePodWrite(
      'PATCH',
      { 'content-type': 'application/json-patch+json' },
      body([{ op: 'copy', from: '/spec/template/spec/containers/0', path: '/spec/template/spec/initContainers/0' }]),
      'template',
    );
    assert.equal(verdict.ok ? 0 : verdict.status, 403);
    assert.deepEqual(
      judgePodWrite(
        'PATCH',
        { 'content-type': 'application/json-patch+json' },
        body([{ op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/b' }]),
        'template',
      ),
      { ok: true },
    );
  });

  const UNREADABLE: Array<[string, string, Record<string, string>, string | Buffer, number]> = [
    ['protobuf', 'POST', { 'content-type': 'application/vnd.kubernetes.protobuf' }, 'k8s\0', 415],
    ['no content type', 'POST', {}, '{}', 415],
    ['gzip-encoded', 'POST', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, '{}', 415],
    ['CBOR apply', 'PATCH', { 'content-type': 'application/apply-patch+cbor' }, '{}', 415],
    ['a create body as a patch type', 'POST', { 'content-type': 'application/merge-patch+json' }, '{}', 415],
    ['invalid JSON', 'POST', JSON_TYPE, '{"spec":', 400],
    ['invalid UTF-8', 'POST', JSON_TYPE, Buffer.from([0x7b, 0xff, 0x7d]), 400],
    [
      'server-side apply in YAML that is not JSON (`yes` would be true)',
      'PATCH',
      { 'content-type': 'application/apply-patch+yaml' },
      'spec:\n  template:\n    spec:\n      hostNetwork: yes\n',
      415,
    ],
    ['a YAML create body', 'PUT', { 'content-type': 'application/yaml' }, 'spec: {}\n---\nspec:\n  hostPID: true\n', 415],
    ['a JSON patch that is not a list', 'PATCH', { 'content-type': 'application/json-patch+json' }, '{"op":"add"}', 400],
    ['a JSON-patch op without a path', 'PATCH', { 'content-type': 'application/json-patch+json' }, '[{"op":"add","value":true}]', 400],
  ];
  for (const [what, method, headers, raw, status] of UNREADABLE) {
    test(`${what}: ${status}, nothing forwarded`, () => {
      const verdict = judgePodWrite(method, headers, Buffer.isBuffer(raw) ? raw : body(raw), 'pod');
      assert.equal(verdict.ok ? 200 : verdict.status, status);
      if (!verdict.ok) assert.match(verdict.message, /Nothing was sent to the cluster/);
    });
  }
});

describe('pod admission: which requests are checked', () => {
  const RW = { mode: 'read-write' as const, allowSecrets: false, allowExec: false };
  const cases: Array<[string, string, string | undefined]> = [
    ['POST', '/api/v1/namespaces/default/pods', 'pod'],
    ['PUT', '/apis/apps/v1/namespaces/default/deployments/web', 'template'],
    ['PATCH', '/apis/batch/v1/namespaces/default/cronjobs/nightly?fieldManager=kubectl', 'cronjob'],
    ['PATCH', '/apis/apps/v1/namespaces/default/daemonsets/agent', 'template'],
    ['POST', '/api/v1/namespaces/default/podtemplates', 'podtemplate'],
    ['PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', undefined],
    ['PUT', '/api/v1/namespaces/default/pods/web/status', undefined],
    ['GET', '/api/v1/namespaces/default/pods', undefined],
    ['DELETE', '/api/v1/namespaces/default/pods/web', undefined],
    ['POST', '/api/v1/namespaces/default/configmaps', undefined],
  ];
  for (const [method, url, shape] of cases) {
    test(`${method} ${url}: ${shape ?? 'not checked'}`, () => {
      const decision = checkRestRequest(method, url, RW);
      assert.equal(decision.ok && decision.admission, decision.ok ? shape : false);
      const allowed = checkRestRequest(method, url, { ...RW, allowPrivileged: true });
      assert.equal(allowed.ok && allowed.admission, undefined);
    });
  }

  test('ephemeral containers: writes refused under baseline, allowed with the setting; reads allowed', () => {
    const url = '/api/v1/namespaces/default/pods/web/ephemeralcontainers';
    const refused = checkRestRequest('PATCH', url, RW);
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.equal(refused.rule, 'admission');
      assert.match(refused.message, /ephemeral containers.*KUBECTL_ALLOW_PRIVILEGED=true/);
    }
    assert.equal(checkRestRequest('PUT', url.replace('ephemeralcontainers', 'EphemeralContainers'), RW).ok, false);
    assert.equal(checkRestRequest('PATCH', url, { ...RW, allowPrivileged: true }).ok, true);
    assert.equal(checkRestRequest('GET', url, RW).ok, true);
  });
});
