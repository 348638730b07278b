/** The emulator's gateway checks as Alibaba Cloud's: date format and skew, STS tokens signed and current, nonces used once. */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { acs3StringToSign } from './acs3-signature.ts';
import { authenticateAcs3, MAX_CLOCK_SKEW_MS, NonceRegistry } from './authenticate.ts';
import { EmulatorError } from './http-util.ts';
import { createDemoWorld, type AccessKey } from './world.ts';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const world = createDemoWorld(NOW);
const plainKey = world.accounts[0]!.accessKeys[0]!;
const stsKey = world.accounts[0]!.accessKeys.find((key) => key.securityToken && key.expiresAt! > NOW)!;
let nonce = 0;

/** A request signed with `key`, its headers adjusted by `change` first; `unsigned` names headers left out of SignedHeaders. */
function request(key: AccessKey, options: { date?: string; change?: (headers: Record<string, string>) => void; unsigned?: string[] } = {}) {
  const body = Buffer.from('');
  const headers: Record<string, string> = {
    host: 'cs.cn-hangzhou.aliyuncs.com',
    'x-acs-action': 'DescribeClustersV1',
    'x-acs-version': '2015-12-15',
    'x-acs-date': options.date ?? new Date(NOW).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': `nonce-${(nonce += 1)}`,
    'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
    ...(key.securityToken ? { 'x-acs-security-token': key.securityToken } : {}),
  };
  options.change?.(headers);
  const url = new URL('http://cs.cn-hangzhou.aliyuncs.com/api/v1/clusters');
  const signedHeaders = Object.keys(headers)
    .filter((name) => !options.unsigned?.includes(name))
    .sort();
  const signature = createHmac('sha256', key.accessKeySecret)
    .update(acs3StringToSign({ method: 'GET', rawPath: url.pathname, query: url.searchParams, headers, body }, signedHeaders))
    .digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${key.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
  return { req: { method: 'GET', headers } as unknown as IncomingMessage, url, body };
}

function outcome(signed: ReturnType<typeof request>, nonces = new NonceRegistry()): string {
  try {
    authenticateAcs3(world, nonces, signed.req, signed.url, signed.url.pathname, signed.body, NOW);
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof EmulatorError);
    return error.code;
  }
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('authenticateAcs3', () => {
  test('accepts a plain key and an STS key with its signed token', () => {
    assert.equal(outcome(request(plainKey)), 'ok');
    assert.equal(outcome(request(stsKey)), 'ok');
  });

  test('x-acs-date is yyyy-MM-ddTHH:mm:ssZ: fractional seconds, offsets and other forms are refused', () => {
    for (const date of ['2026-11-23T10:00:00.000Z', '2026-11-23T18:00:00+08:00', 'Mon, 23 Nov 2026 10:00:00 GMT', '']) {
      assert.equal(outcome(request(plainKey, { date })), 'InvalidTimeStamp.Format', date);
    }
  });

  test('x-acs-date within 15 minutes either way is accepted, beyond is expired', () => {
    const margin = 60_000;
    assert.equal(outcome(request(plainKey, { date: iso(NOW - MAX_CLOCK_SKEW_MS + margin) })), 'ok');
    assert.equal(outcome(request(plainKey, { date: iso(NOW + MAX_CLOCK_SKEW_MS - margin) })), 'ok');
    assert.equal(outcome(request(plainKey, { date: iso(NOW - MAX_CLOCK_SKEW_MS - margin) })), 'InvalidTimeStamp.Expired');
    assert.equal(outcome(request(plainKey, { date: iso(NOW + MAX_CLOCK_SKEW_MS + margin) })), 'InvalidTimeStamp.Expired');
  });

  test('an STS token that is sent but not signed is refused', () => {
    assert.equal(outcome(request(stsKey, { unsigned: ['x-acs-security-token'] })), 'IncompleteSignature');
  });

  test('an STS key without its token, or with another, is refused', () => {
    assert.equal(
      outcome(request(stsKey, { change: (headers) => delete headers['x-acs-security-token'] })),
      'InvalidSecurityToken.Malformed',
    );
    assert.equal(
      outcome(request(stsKey, { change: (headers) => (headers['x-acs-security-token'] = 'CAIS-other') })),
      'InvalidSecurityToken.MismatchWithAccessKey',
    );
  });

  test('a nonce is used once', () => {
    const nonces = new NonceRegistry();
    const signed = request(plainKey);
    assert.equal(outcome(signed, nonces), 'ok');
    assert.equal(outcome(signed, nonces), 'SignatureNonceUsed');
  });
});
