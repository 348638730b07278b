/** The emulator's own ACS3 verifier accepts what the real SDK signs and rejects any tampering. */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { acs3StringToSign, parseAcs3Authorization, verifyAcs3, type SignedRequest } from './acs3-signature.ts';

const secret = 'test-secret-value';

function signed(overrides: Partial<SignedRequest> = {}): { request: SignedRequest; authorization: string } {
  const body = Buffer.from('{"count":2}');
  const headers: Record<string, string> = {
    host: 'cs.cn-hangzhou.aliyuncs.com',
    'content-type': 'application/json; charset=utf-8',
    'x-acs-action': 'ScaleClusterNodePool',
    'x-acs-version': '2015-12-15',
    'x-acs-date': '2026-11-23T10:00:00Z',
    'x-acs-signature-nonce': 'nonce-1',
    'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
  };
  const request: SignedRequest = { method: 'POST', rawPath: '/clusters/c1/nodepools/np1', query: new URLSearchParams('b=2&a=x y'), headers, body };
  const names = Object.keys(headers).sort();
  const signature = createHmac('sha256', secret).update(acs3StringToSign(request, names)).digest('hex');
  return { request: { ...request, ...overrides }, authorization: `ACS3-HMAC-SHA256 Credential=AK1,SignedHeaders=${names.join(';')},Signature=${signature}` };
}

describe('verifyAcs3', () => {
  test('accepts a correctly signed request', () => {
    const { request, authorization } = signed();
    assert.equal(verifyAcs3(request, parseAcs3Authorization(authorization)!, secret), undefined);
  });

  test('rejects a wrong secret, a changed path, query, method or signed header', () => {
    const { authorization } = signed();
    const auth = parseAcs3Authorization(authorization)!;
    assert.equal(verifyAcs3(signed().request, auth, 'other-secret')?.code, 'SignatureDoesNotMatch');
    assert.equal(verifyAcs3(signed({ rawPath: '/clusters/c2/nodepools/np1' }).request, auth, secret)?.code, 'SignatureDoesNotMatch');
    assert.equal(verifyAcs3(signed({ query: new URLSearchParams('b=3&a=x y') }).request, auth, secret)?.code, 'SignatureDoesNotMatch');
    assert.equal(verifyAcs3(signed({ method: 'DELETE' }).request, auth, secret)?.code, 'SignatureDoesNotMatch');
    const moved = signed();
    moved.request.headers['x-acs-action'] = 'RemoveNodePoolNodes';
    assert.equal(verifyAcs3(moved.request, auth, secret)?.code, 'SignatureDoesNotMatch');
  });

  test('rejects a body that does not match x-acs-content-sha256', () => {
    const { authorization } = signed();
    const tampered = signed({ body: Buffer.from('{"count":500}') });
    assert.equal(verifyAcs3(tampered.request, parseAcs3Authorization(authorization)!, secret)?.code, 'ContentSha256Mismatch');
  });

  test('requires the essential headers to be signed', () => {
    const { request } = signed();
    const auth = parseAcs3Authorization('ACS3-HMAC-SHA256 Credential=AK1,SignedHeaders=host;x-acs-date,Signature=00')!;
    assert.equal(verifyAcs3(request, auth, secret)?.code, 'MissingSignedHeader');
  });

  test('parses only ACS3 authorization headers', () => {
    assert.equal(parseAcs3Authorization('LOG AK:abc'), undefined);
    assert.equal(parseAcs3Authorization(undefined), undefined);
    assert.deepEqual(parseAcs3Authorization('ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=ff'), {
      accessKeyId: 'AK',
      signedHeaders: ['a', 'b'],
      signature: 'ff',
    });
  });
});
