/**
 * The emulator's own ACS3 verifier: it reproduces the worked example of Alibaba Cloud's published
 * V3 signature document, accepts what the real SDK signs (end-to-end tests) and rejects any
 * tampering and any request that leaves a header unsigned that must be signed.
 */
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
  const request: SignedRequest = {
    method: 'POST',
    rawPath: '/clusters/c1/nodepools/np1',
    query: new URLSearchParams('b=2&a=x y'),
    headers,
    body,
  };
  const names = Object.keys(headers).sort();
  const signature = createHmac('sha256', secret).update(acs3StringToSign(request, names)).digest('hex');
  return {
    request: { ...request, ...overrides },
    authorization: `ACS3-HMAC-SHA256 Credential=AK1,SignedHeaders=${names.join(';')},Signature=${signature}`,
  };
}

/**
 * The worked example of "V3 request body & signature mechanism" (签名机制, fixed values; also in
 * FC's copy: https://help.aliyun.com/zh/functioncompute/fc/developer-reference/signature-mechanism):
 * RunInstances on ecs.cn-shanghai.aliyuncs.com, POST /, no body, AccessKey YourAccessKeyId /
 * YourAccessKeySecret, date 2023-10-26T10:22:32Z, nonce 3156853299f313e23d1673dc12e1703d.
 */
const PUBLISHED = {
  request: {
    method: 'POST',
    rawPath: '/',
    query: new URLSearchParams('ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai'),
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    },
    body: Buffer.alloc(0),
  } satisfies SignedRequest,
  secret: 'YourAccessKeySecret',
  stringToSign: 'ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
  authorization:
    'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,' +
    'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
};

describe('the published V3 example (known answer)', () => {
  test("the string to sign is the document's, and the document's signature verifies", () => {
    const auth = parseAcs3Authorization(PUBLISHED.authorization)!;
    assert.equal(auth.accessKeyId, 'YourAccessKeyId');
    assert.equal(acs3StringToSign(PUBLISHED.request, auth.signedHeaders), PUBLISHED.stringToSign);
    assert.equal(verifyAcs3(PUBLISHED.request, auth, PUBLISHED.secret), undefined);
  });

  test('one changed character anywhere fails it', () => {
    const auth = parseAcs3Authorization(PUBLISHED.authorization)!;
    assert.equal(verifyAcs3(PUBLISHED.request, auth, 'YourAccessKeySecreT')?.code, 'SignatureDoesNotMatch');
    const query = new URLSearchParams(PUBLISHED.request.query);
    query.set('RegionId', 'cn-hangzhou');
    assert.equal(verifyAcs3({ ...PUBLISHED.request, query }, auth, PUBLISHED.secret)?.code, 'SignatureDoesNotMatch');
    const headers = { ...PUBLISHED.request.headers, 'x-acs-date': '2023-10-26T10:22:33Z' };
    assert.equal(verifyAcs3({ ...PUBLISHED.request, headers }, auth, PUBLISHED.secret)?.code, 'SignatureDoesNotMatch');
  });
});

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

  test('every host, content-type and x-acs-* header in the request must be signed, the security token too', () => {
    const { request, authorization } = signed();
    const auth = parseAcs3Authorization(authorization)!;
    for (const [name, value] of [
      ['x-acs-security-token', 'CAIS-token'],
      ['x-acs-anything', '1'],
    ] as const) {
      const extra = { ...request, headers: { ...request.headers, [name]: value } };
      const failure = verifyAcs3(extra, auth, secret);
      assert.equal(failure?.code, 'MissingSignedHeader', name);
      assert.match(failure!.message, new RegExp(name));
    }
    const withoutContentType = { ...auth, signedHeaders: auth.signedHeaders.filter((name) => name !== 'content-type') };
    assert.equal(verifyAcs3(request, withoutContentType, secret)?.code, 'MissingSignedHeader');
    const unrelated = { ...request, headers: { ...request.headers, 'user-agent': 'AlibabaCloud (linux) Node.js' } };
    assert.equal(verifyAcs3(unrelated, auth, secret), undefined, 'other headers need not be signed');
  });

  test('SignedHeaders must be lowercase, sorted, each once', () => {
    const { request, authorization } = signed();
    const auth = parseAcs3Authorization(authorization)!;
    const variants = [
      [...auth.signedHeaders].reverse(),
      auth.signedHeaders.map((name) => (name === 'host' ? 'Host' : name)),
      [auth.signedHeaders[0]!, ...auth.signedHeaders],
    ];
    for (const signedHeaders of variants) {
      assert.equal(verifyAcs3(request, { ...auth, signedHeaders }, secret)?.code, 'InvalidSignedHeaders', signedHeaders.join(';'));
    }
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
