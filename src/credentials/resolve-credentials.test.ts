import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../config.ts';
import { ToolFailure } from '../errors/tool-failure.ts';
import { identityKeyOf, maskAccessKeyId } from './aliyun-credentials.ts';
import { describeChainFailure, resolveCredentials, type DefaultCredentialChain } from './resolve-credentials.ts';

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
  test('prefers the caller\'s headers, then the function role, then the default chain', async () => {
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

  test('a role-only deployment refuses callers\' headers instead of silently using its role', async () => {
    const roleOnly = config({ CREDENTIAL_SOURCES: 'function' });
    await assert.rejects(resolveCredentials(new Headers(caller), roleOnly, chain, roleEnv), (error: unknown) => {
      assert.ok(error instanceof ToolFailure);
      assert.equal(error.code, 'CallerCredentialsNotAccepted');
      return true;
    });
  });

  test('a caller-only deployment never falls back to its own identity', async () => {
    const callerOnly = config({ CREDENTIAL_SOURCES: 'caller' });
    await assert.rejects(resolveCredentials(new Headers(), callerOnly, chain, roleEnv), /No Alibaba Cloud credentials.*X-Aliyun-Access-Key-Id/);
  });

  test('identity keys are one-way and distinguish secrets; masks keep only the ends', () => {
    const key = identityKeyOf('LTAI5tCallerKey000000000', 'caller-secret');
    assert.equal(key.length, 32);
    assert.ok(!key.includes('caller-secret') && !key.includes('LTAI'));
    assert.notEqual(key, identityKeyOf('LTAI5tCallerKey000000000', 'other-secret'));
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
