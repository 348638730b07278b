import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../config.ts';
import { ToolFailure } from '../errors/tool-failure.ts';
import {
  CREDENTIAL_EXPIRY_MARGIN_MS,
  credentialCacheTtlMs,
  identityKeyOf,
  makeCredentials,
  maskAccessKeyId,
} from './aliyun-credentials.ts';
import {
  createDefaultCredentialChain,
  describeChainFailure,
  resolveCredentials,
  type DefaultCredentialChain,
} from './resolve-credentials.ts';

const token = 'a-long-enough-token-0001';
const noChain: DefaultCredentialChain = { get: () => Promise.reject(new Error('none')) };
const chain: DefaultCredentialChain = { get: async () => ({ accessKeyId: 'LTAI5tChainKey0000000000', accessKeySecret: 'chain-secret' }) };
const caller = { 'x-aliyun-access-key-id': 'LTAI5tCallerKey000000000', 'x-aliyun-access-key-secret': 'caller-secret' };
const fc = { 'x-fc-access-key-id': 'STS.FcRoleKey0000000000', 'x-fc-access-key-secret': 'fc-secret', 'x-fc-security-token': 'fc-token' };
const roleEnv = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tEnvKey000000000000', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret' };

function config(extra: Record<string, string> = {}) {
  return loadConfig({ MCP_AUTH_TOKEN: token, ...extra });
}

describe('resolveCredentials', () => {
  test("prefers the caller's headers, then the function role, then the default chain", async () => {
    const all = config({ TRUST_FC_HEADERS: 'true' });
    assert.equal((await resolveCredentials(new Headers({ ...caller, ...fc }), all, chain, roleEnv)).source, 'caller');
    const fromFc = await resolveCredentials(new Headers(fc), all, chain, roleEnv);
    assert.deepEqual([fromFc.source, fromFc.accessKeyId, fromFc.securityToken], ['function', 'STS.FcRoleKey0000000000', 'fc-token']);
    const fromEnv = await resolveCredentials(new Headers(), all, chain, roleEnv);
    assert.deepEqual([fromEnv.source, fromEnv.accessKeyId], ['function', roleEnv.ALIBABA_CLOUD_ACCESS_KEY_ID]);
    const fromChain = await resolveCredentials(new Headers(), all, chain, {});
    assert.deepEqual([fromChain.source, fromChain.accessKeyId], ['default', 'LTAI5tChainKey0000000000']);
  });

  test('x-fc-* headers are ignored off FC (anyone could send them there)', async () => {
    const resolved = await resolveCredentials(new Headers(fc), config(), noChain, roleEnv);
    assert.equal(resolved.accessKeyId, roleEnv.ALIBABA_CLOUD_ACCESS_KEY_ID);
  });

  test("a role-only deployment refuses callers' headers instead of silently using its role", async () => {
    const roleOnly = config({ CREDENTIAL_SOURCES: 'function' });
    await assert.rejects(resolveCredentials(new Headers(caller), roleOnly, chain, roleEnv), (error: unknown) => {
      assert.ok(error instanceof ToolFailure);
      assert.equal(error.code, 'CallerCredentialsNotAccepted');
      return true;
    });
  });

  test('a caller-only deployment never falls back to its own identity', async () => {
    const callerOnly = config({ CREDENTIAL_SOURCES: 'caller' });
    await assert.rejects(
      resolveCredentials(new Headers(), callerOnly, chain, roleEnv),
      /No Alibaba Cloud credentials.*X-Aliyun-Access-Key-Id/,
    );
  });

  test('identity keys are one-way and distinguish secrets; masks keep only the ends', () => {
    const key = identityKeyOf('LTAI5tCallerKey000000000', 'caller-secret');
    assert.equal(key.length, 32);
    assert.ok(!key.includes('caller-secret') && !key.includes('LTAI'));
    assert.notEqual(key, identityKeyOf('LTAI5tCallerKey000000000', 'other-secret'));
    assert.notEqual(
      identityKeyOf('STS.Key', 'secret', 'token-1'),
      identityKeyOf('STS.Key', 'secret', 'token-2'),
      'the security token is part of the identity',
    );
    assert.notEqual(identityKeyOf('STS.Key', 'secret', 'token-1'), identityKeyOf('STS.Key', 'secret'));
    assert.equal(maskAccessKeyId('LTAI5tCallerKey000000000'), 'LTAI5t****0000');
  });

  test('why the default chain failed is told with local paths cut to their file names, URLs kept, bounded', () => {
    const message =
      "unable to get credentials from any of the providers in the chain: reading aliyun cli config from '/home/alice/.aliyun/config.json' failed., " +
      "ENOENT: no such file or directory, access '/home/alice/.alibabacloud/credentials', get role name failed: GET http://100.100.100.200/latest/meta-data/ram/security-credentials/ 404";
    const reason = describeChainFailure(new Error(message));
    assert.ok(!reason.includes('/home/alice'), reason);
    assert.match(reason, /from '…\/config\.json' failed/);
    assert.match(reason, /access '…\/credentials'/);
    assert.match(reason, /GET http:\/\/100\.100\.100\.200\/latest\/meta-data\/ram\/security-credentials\/ 404/);
    assert.equal(describeChainFailure(new Error('x'.repeat(1000))).length, 401);
  });
});

describe("how long an identity's cache entries may live", () => {
  const now = 1_800_000_000_000;
  test("an AccessKey: the entry's own TTL", () => {
    assert.equal(credentialCacheTtlMs(makeCredentials('caller', 'LTAI5tKey', 's', undefined), 3_600_000, 300_000, now), 3_600_000);
  });
  test('an STS credential whose expiry is unknown: at most STS_CACHE_MAX_SECONDS', () => {
    const sts = makeCredentials('function', 'STS.Key', 's', 'token');
    assert.equal(credentialCacheTtlMs(sts, 3_600_000, 300_000, now), 300_000);
    assert.equal(credentialCacheTtlMs(sts, 60_000, 300_000, now), 60_000);
    assert.equal(credentialCacheTtlMs(sts, 3_600_000, 0, now), 0);
  });
  test('a known expiry: until the margin before it, never negative', () => {
    const expiring = (inMs: number) => makeCredentials('default', 'STS.Key', 's', 'token', now + inMs);
    assert.equal(credentialCacheTtlMs(expiring(30 * 60_000), 3_600_000, 300_000, now), 30 * 60_000 - CREDENTIAL_EXPIRY_MARGIN_MS);
    assert.equal(credentialCacheTtlMs(expiring(30 * 60_000), 60_000, 300_000, now), 60_000);
    assert.equal(credentialCacheTtlMs(expiring(30_000), 3_600_000, 300_000, now), 0);
    assert.equal(credentialCacheTtlMs(expiring(-1), 3_600_000, 300_000, now), 0);
  });
});

describe('the default chain tells the expiry of an STS session', () => {
  test("read from @alicloud/credentials' session (a credentials URI serving an STS token), matched to its AccessKey", async () => {
    const expiration = '2031-01-02T03:04:05Z';
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          Code: 'Success',
          AccessKeyId: 'STS.UriSession0001',
          AccessKeySecret: 'uri-secret',
          SecurityToken: 'uri-token',
          Expiration: expiration,
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const home = await mkdtemp(join(tmpdir(), 'chain-home-'));
    const saved = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith('ALIBABA_CLOUD_')) delete process.env[name];
    Object.assign(process.env, {
      HOME: home,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_CREDENTIALS_URI: `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`,
    });
    try {
      const found = await createDefaultCredentialChain().get();
      assert.deepEqual(found, {
        accessKeyId: 'STS.UriSession0001',
        accessKeySecret: 'uri-secret',
        securityToken: 'uri-token',
        expiresAt: Date.parse(expiration),
      });
    } finally {
      process.env = saved;
      server.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
