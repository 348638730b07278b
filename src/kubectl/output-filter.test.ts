import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedBuffer } from './bounded-buffer.ts';
import { MASK, MASKED_DATA } from './masking.ts';
import { maskKubectlOutput } from './output-filter.ts';

const PLAINTEXT = 'S3cr3t-P@ssw0rd';
const B64 = Buffer.from(PLAINTEXT).toString('base64');
const LAST_APPLIED = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db-credentials' },
  stringData: { password: PLAINTEXT },
});

const secretYaml = `apiVersion: v1
data:
  password: ${B64}
  username: YmlsbGluZw==
kind: Secret
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      ${LAST_APPLIED}
  creationTimestamp: "2025-01-01T00:00:00Z"
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:data:
        .: {}
    manager: kubectl-client-side-apply
    operation: Update
  name: db-credentials
  namespace: default
type: Opaque
`;

describe('maskKubectlOutput', () => {
  it('masks Secret data, the last-applied annotation and strips managedFields in YAML', () => {
    const out = maskKubectlOutput(secretYaml);
    assert.equal(
      out,
      `apiVersion: v1
data:
  password: ${MASK}
  username: ${MASK}
kind: Secret
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: ${MASK}
  creationTimestamp: "2025-01-01T00:00:00Z"
  name: db-credentials
  namespace: default
type: Opaque
`,
    );
  });

  it('masks Secrets inside a YAML List but leaves ConfigMap data alone', () => {
    const list = `apiVersion: v1
items:
- apiVersion: v1
  data:
    password: ${B64}
  kind: Secret
  metadata:
    name: db-credentials
- apiVersion: v1
  data:
    LOG_LEVEL: info
  kind: ConfigMap
  metadata:
    name: app-config
kind: List
`;
    const out = maskKubectlOutput(list);
    assert.ok(!out.includes(B64));
    assert.match(out, /password: <masked>/);
    assert.match(out, /LOG_LEVEL: info/);
  });

  it('masks Secret data and stringData in JSON, keeps kubectl indentation', () => {
    const json = `${JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            data: { password: B64 },
            stringData: { token: PLAINTEXT },
            metadata: {
              name: 's',
              annotations: { 'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED },
              managedFields: [{ manager: 'kubectl' }],
            },
          },
          { apiVersion: 'v1', kind: 'ConfigMap', data: { mode: 'fast' }, metadata: { name: 'c' } },
        ],
      },
      null,
      4,
    )}\n`;
    const out = maskKubectlOutput(json);
    const parsed = JSON.parse(out);
    assert.deepEqual(parsed.items[0].data, { password: MASK });
    assert.deepEqual(parsed.items[0].stringData, { token: MASK });
    assert.equal(parsed.items[0].metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], MASK);
    assert.equal(parsed.items[0].metadata.managedFields, undefined);
    assert.deepEqual(parsed.items[1].data, { mode: 'fast' });
    assert.ok(out.startsWith('{\n    "apiVersion"'));
    assert.ok(!out.includes(PLAINTEXT) && !out.includes(B64));
  });

  it('masks Secret data in cut JSON that no longer parses', () => {
    const cut = `{\n    "apiVersion": "v1",\n    "data": {\n        "password": "${B64}"\n    },\n    "kind": "Secret",\n    "metadata": {\n        "na`;
    const out = maskKubectlOutput(cut);
    assert.ok(!out.includes(B64), out);
    assert.match(out, /"password": "<masked>"/);
  });

  it('cut output: a data block whose kind was cut off is masked (kubectl prints data before kind)', () => {
    const value = Buffer.from(`${PLAINTEXT}${'x'.repeat(3000)}`).toString('base64');
    const yaml = `apiVersion: v1\ndata:\n  release: ${value.slice(0, 2000)}`;
    assert.equal(maskKubectlOutput(yaml, { cut: true }), `apiVersion: v1\ndata:\n  release: ${MASK}`);
    const json = `{\n    "apiVersion": "v1",\n    "data": {\n        "a": "${B64}",\n        "release": "${value.slice(0, 2000)}`;
    const out = maskKubectlOutput(json, { cut: true });
    assert.equal(out, `{\n    "apiVersion": "v1",\n    "data": {\n        "a": "${MASK}",\n        "release": "${MASK}"`);
    // A list: the complete ConfigMap (its kind follows its data) keeps its data; the cut item is masked.
    const list = `{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "apiVersion": "v1",\n            "data": {\n                "mode": "fast"\n            },\n            "kind": "ConfigMap"\n        },\n        {\n            "apiVersion": "v1",\n            "data": {\n                "password": "${B64.slice(0, 9)}`;
    const listOut = maskKubectlOutput(list, { cut: true });
    assert.match(listOut, /"mode": "fast"/);
    assert.ok(!listOut.includes(B64.slice(0, 9)), listOut);
    // Not cut: a data block without a kind stays as it is.
    assert.equal(maskKubectlOutput('data:\n  mode: fast\n'), 'data:\n  mode: fast\n');
    assert.equal(maskKubectlOutput('data:\n  mode: fast\nkind: ConfigMap', { cut: true }), 'data:\n  mode: fast\nkind: ConfigMap');
  });

  it('cut JSON: a last-applied annotation cut short is masked', () => {
    const escaped = JSON.stringify(LAST_APPLIED).slice(1, 60);
    const cut = `{\n    "metadata": {\n        "annotations": {\n            "kubectl.kubernetes.io/last-applied-configuration": "${escaped}`;
    const out = maskKubectlOutput(cut, { cut: true });
    assert.ok(!out.includes('apiVersion'), out);
    assert.match(out, /"kubectl\.kubernetes\.io\/last-applied-configuration": "<masked>"$/);
  });

  it("shows the proxy's placeholder for a Secret data value as <masked>", () => {
    assert.equal(maskKubectlOutput(MASKED_DATA), MASK);
    assert.equal(maskKubectlOutput(`P     U\n${MASKED_DATA}   ${MASKED_DATA}\n`), `P     U\n${MASK}   ${MASK}\n`);
  });

  it('masks the last-applied annotation in describe output', () => {
    const describe = `Name:         web\nNamespace:    default\nAnnotations:  deployment.kubernetes.io/revision: 1\n              kubectl.kubernetes.io/last-applied-configuration:\n                ${LAST_APPLIED}\nSelector:     app=web\n`;
    const out = maskKubectlOutput(describe);
    assert.ok(!out.includes(PLAINTEXT), out);
    assert.match(out, /kubectl\.kubernetes\.io\/last-applied-configuration: <masked>\nSelector:     app=web/);
    assert.match(out, /deployment\.kubernetes\.io\/revision: 1/);
  });

  it('masks kubeconfig credentials, bearer tokens, JWTs, AccessKey ids and STS tokens', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlc2lnbmF0dXJl';
    const text = [
      '    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
      '    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==',
      '    token: abcdef.0123456789abcdef',
      '    certificate-authority-data: LS0tQ0E=',
      'Authorization: Bearer sk-0123456789abcdefghij',
      `sa token ${jwt}`,
      'AccessKeyId: LTAI5tQ7xYzAbCdEfGhIjKlM',
      'SecurityToken: CAIS8gF1q6Ft5B2yfSjIr5bQKNvKq6lx0/qPZk',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET=q6Ft5B2yfSjIr5bQKNvKq6lx0',
      'automountServiceAccountToken: true',
      'password:  15 bytes',
    ].join('\n');
    const out = maskKubectlOutput(text);
    for (const leaked of [
      'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
      'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==',
      'abcdef.0123456789abcdef',
      'sk-0123456789abcdefghij',
      jwt,
      '5tQ7xYzAbCdEfGhIjKlM',
      '8gF1q6Ft5B2yfSjIr5bQKNvKq6lx0',
      'q6Ft5B2yfSjIr5bQKNvKq6lx0',
    ]) {
      assert.ok(!out.includes(leaked), `leaked ${leaked}:\n${out}`);
    }
    assert.match(out, /client-key-data: <masked>/);
    assert.match(out, /Bearer <masked>/);
    assert.match(out, /AccessKeyId: LTAI<masked>/);
    assert.match(out, /certificate-authority-data: LS0tQ0E=/); // public, kept
    assert.match(out, /automountServiceAccountToken: true/);
    assert.match(out, /password: {2}15 bytes/);
  });

  it('leaves ordinary output untouched', () => {
    const table = 'NAME                  READY   STATUS    RESTARTS   AGE\nweb-5d8f7c9b6-h2xq9   1/1     Running   0          2d\n';
    assert.equal(maskKubectlOutput(table), table);
  });
});

describe('BoundedBuffer', () => {
  it('keeps everything under the limit', () => {
    const b = new BoundedBuffer(10);
    b.push('abc');
    b.push(Buffer.from('def'));
    assert.equal(b.toString(), 'abcdef');
    assert.equal(b.dropped, 0);
    assert.equal(b.truncated, false);
  });

  it('cuts at the limit and counts the dropped bytes', () => {
    const b = new BoundedBuffer(8);
    b.push('0123456');
    b.push('789abc');
    b.push('defg');
    assert.equal(b.toString(), '01234567');
    assert.equal(b.bytes, 8);
    assert.equal(b.dropped, 9);
    assert.equal(b.truncated, true);
  });

  it('never splits a UTF-8 character at the cut', () => {
    const b = new BoundedBuffer(5);
    b.push('abc€'); // € is 3 bytes: only 2 fit
    assert.equal(b.toString(), 'abc');
    assert.equal(b.dropped, 3);
  });

  it('rejects a negative limit', () => {
    assert.throws(() => new BoundedBuffer(-1), RangeError);
  });
});
