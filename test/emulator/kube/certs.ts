/**
 * Certificates for the fake API server: a CA made at start, a server certificate for 127.0.0.1 and client
 * certificates whose CN is the user name (O entries are the groups), as kube-apiserver reads them.
 * Each certificate is new, but client certificates share one key pair made with the CA, and node:crypto signs them:
 * issuing one (DescribeClusterUserKubeconfig) then takes about a millisecond instead of an RSA key generation
 * (~100-300 ms of the emulator's CPU on the machine the server under test shares). The key is as private as the CA's.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority extends KeyPairPem {
  /** Issue a certificate signed by this CA. */
  issue(options: { commonName: string; organizations?: string[]; server?: boolean }): KeyPairPem;
}

function newKeyPair(): { keyPem: string; privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Native key generation (fast); forge only assembles and signs the certificate.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { keyPem, privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function baseCertificate(publicKey: forge.pki.rsa.PublicKey, subject: forge.pki.CertificateField[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`; // leading 01: always positive
  // Back-dated an hour, as CAs do for clock skew (tests that move a mocked Date.now forward rely on it).
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject(subject);
  return cert;
}

/** What forge's `cert.sign(key, sha256)` does, with node:crypto's RSA signature instead of forge's JavaScript one. */
function signNatively(cert: forge.pki.Certificate, key: KeyObject): void {
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  // getTBSCertificate is public in forge but missing from its type definitions.
  cert.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, key).toString('binary');
}

/** Create a fresh CA (RSA 2048, valid for a day). */
export function createCertificateAuthority(name = 'fake-kube-ca'): CertificateAuthority {
  const ca = newKeyPair();
  const subject = [{ name: 'commonName', value: name }];
  const caCert = baseCertificate(ca.publicKey, subject);
  caCert.setIssuer(subject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());
  const caPem = forge.pki.certificateToPem(caCert);

  const caKey = createPrivateKey(ca.keyPem);
  const clientKey = newKeyPair(); // made with the CA, so that no DescribeClusterUserKubeconfig pays for it
  return {
    certPem: caPem,
    keyPem: ca.keyPem,
    issue({ commonName, organizations = [], server = false }) {
      const pair = server ? newKeyPair() : clientKey;
      const cert = baseCertificate(pair.publicKey, [
        { name: 'commonName', value: commonName },
        ...organizations.map((o) => ({ name: 'organizationName', value: o })),
      ]);
      cert.setIssuer(caCert.subject.attributes);
      cert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: server, clientAuth: !server },
        { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
        ...(server
          ? [
              {
                name: 'subjectAltName',
                altNames: [
                  { type: 7, ip: '127.0.0.1' },
                  { type: 2, value: 'localhost' },
                ],
              },
            ]
          : []),
      ]);
      signNatively(cert, caKey);
      return { certPem: forge.pki.certificateToPem(cert), keyPem: pair.keyPem };
    },
  };
}
