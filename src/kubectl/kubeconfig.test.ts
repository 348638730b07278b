import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ToolFailure } from '../errors/tool-failure.ts';
import { parseKubeconfig } from './kubeconfig.ts';
import { proxyKubeconfig } from './proxy-kubeconfig.ts';
import { loopbackCertificate } from './loopback-tls.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const SECRET_KEY = '-----BEGIN RSA PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END RSA PRIVATE KEY-----\n';

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'kubernetes', cluster: { server: 'https://47.96.0.1:6443', 'certificate-authority-data': b64('CA PEM'), ...cluster } },
    ],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'kubernetes', user: 'u' } }],
    'current-context': 'ctx',
  });
}

describe('parseKubeconfig', () => {
  test('reads an ACK kubeconfig with a client certificate', () => {
    const parsed = parseKubeconfig(kubeconfig({ 'client-certificate-data': b64('CERT PEM'), 'client-key-data': b64(SECRET_KEY) }));
    assert.equal(parsed.server, 'https://47.96.0.1:6443');
    assert.equal(parsed.caPem, 'CA PEM');
    assert.equal(parsed.clientCertPem, 'CERT PEM');
    assert.equal(parsed.clientKeyPem, SECRET_KEY);
    assert.equal(parsed.token, undefined);
    assert.match(parsed.fingerprint, /^[0-9a-f]{32}$/);
  });

  test('reads a token kubeconfig; the fingerprint changes with the credential', () => {
    const a = parseKubeconfig(kubeconfig({ token: 'tok-a' }));
    const b = parseKubeconfig(kubeconfig({ token: 'tok-b' }));
    assert.equal(a.token, 'tok-a');
    assert.notEqual(a.fingerprint, b.fingerprint);
  });

  const unusable: Array<[string, string, RegExp]> = [
    ['no https', kubeconfig({ token: 't' }, { server: 'http://47.96.0.1:6443' }), /not an https/],
    ['TLS verification off', kubeconfig({ token: 't' }, { 'insecure-skip-tls-verify': true }), /disables TLS verification/],
    ['a credential plugin', kubeconfig({ exec: { command: 'aliyun' } }), /credential plugin/],
    ['file references', kubeconfig({ 'client-certificate': '/etc/cert', 'client-key': '/etc/key' }), /refers to files/],
    ['no credential', kubeconfig({}), /neither/],
    ['not YAML', 'clusters: [', /not valid YAML/],
    ['no context', JSON.stringify({ clusters: [], users: [] }), /names no cluster/],
  ];
  for (const [what, text, message] of unusable) {
    test(`refuses ${what} without quoting the content`, () => {
      assert.throws(
        () => parseKubeconfig(text),
        (error: unknown) =>
          error instanceof ToolFailure &&
          error.code === 'KubeconfigUnusable' &&
          message.test(error.message) &&
          !error.message.includes('47.96'),
      );
    });
  }
});

describe('proxyKubeconfig and the loopback certificate', () => {
  test('kubectl gets the proxy, its certificate and the token, and nothing else', () => {
    const { certPem } = loopbackCertificate();
    const doc = parse(proxyKubeconfig('https://127.0.0.1:4567', certPem, 'per-call-token')) as any;
    assert.equal(doc.clusters[0].cluster.server, 'https://127.0.0.1:4567');
    assert.equal(Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), certPem);
    assert.deepEqual(doc.users[0].user, { token: 'per-call-token' });
  });

  test('the certificate is a valid self-signed ECDSA certificate for 127.0.0.1', () => {
    const { certPem } = loopbackCertificate();
    const cert = new X509Certificate(certPem);
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.ok(cert.verify(cert.publicKey));
    assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
    assert.ok(new Date(cert.validFrom) < new Date() && new Date(cert.validTo) > new Date());
  });
});
