import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { createCsClient, csEndpoint } from './cs-client.ts';

const base = { CREDENTIAL_SOURCES: 'caller' };

describe('csEndpoint', () => {
  test('defaults: the public central and regional endpoints', () => {
    const config = loadConfig(base);
    assert.equal(csEndpoint(config, undefined), 'cs.aliyuncs.com');
    assert.equal(csEndpoint(config, 'cn-beijing'), 'cs.cn-beijing.aliyuncs.com');
  });

  test('CS_ENDPOINT alone: one gateway for central and every region (the single-endpoint setting)', () => {
    const config = loadConfig({ ...base, CS_ENDPOINT: '127.0.0.1:9000' });
    assert.equal(csEndpoint(config, undefined), '127.0.0.1:9000');
    assert.equal(csEndpoint(config, 'cn-beijing'), '127.0.0.1:9000');
  });

  test('CS_REGION_ENDPOINTS: a region named there goes to its own endpoint; the * template serves the rest', () => {
    const config = loadConfig({
      ...base,
      CS_ENDPOINT: '127.0.0.1:9000',
      CS_REGION_ENDPOINTS: 'cn-hangzhou=127.0.0.1:9001, cn-beijing=127.0.0.1:9002',
    });
    assert.equal(csEndpoint(config, undefined), '127.0.0.1:9000');
    assert.equal(csEndpoint(config, 'cn-hangzhou'), '127.0.0.1:9001');
    assert.equal(csEndpoint(config, 'cn-beijing'), '127.0.0.1:9002');
    assert.equal(csEndpoint(config, 'cn-shanghai'), '127.0.0.1:9000', 'a region not named falls back to CS_ENDPOINT');
    const vpc = loadConfig({ ...base, CS_REGION_ENDPOINTS: 'cn-hangzhou=gw.internal:8443,*=cs-vpc.{region}.aliyuncs.com' });
    assert.equal(csEndpoint(vpc, 'cn-hangzhou'), 'gw.internal:8443');
    assert.equal(csEndpoint(vpc, 'ap-southeast-1'), 'cs-vpc.ap-southeast-1.aliyuncs.com');
    assert.equal(csEndpoint(vpc, undefined), 'cs.aliyuncs.com');
    assert.equal(csEndpoint(loadConfig({ ...base, CS_REGION_ENDPOINTS: '' }), 'cn-hangzhou'), 'cs.cn-hangzhou.aliyuncs.com');
  });

  test('malformed CS_REGION_ENDPOINTS entries stop the start with a message naming the setting', () => {
    for (const [value, message] of [
      ['cn-hangzhou', /CS_REGION_ENDPOINTS entries are `region=host\[:port\]`/],
      ['hangzhou=127.0.0.1:1', /"hangzhou" is not a region id/],
      ['cn-hangzhou=http://127.0.0.1:1', /must be host\[:port\] \(no scheme or path\)/],
      ['cn-hangzhou=127.0.0.1:1/x', /must be host\[:port\]/],
      ['cn-hangzhou=a:1,cn-hangzhou=b:2', /names cn-hangzhou twice/],
      ['*=cs.example.com', /the \* entry must be a host\[:port\] containing \{region\}/],
    ] as const) {
      assert.throws(
        () => loadConfig({ ...base, CS_REGION_ENDPOINTS: value }),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
        value,
      );
    }
  });
});

describe('createCsClient', () => {
  const credentials = (identityKey: string, expiresAt?: number): AliyunCredentials => ({
    accessKeyId: `AK-${identityKey}`,
    accessKeySecret: 'secret',
    securityToken: undefined,
    source: 'caller',
    identityKey,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  });

  test('reuses a client for the same configuration, credential and region, and never shares one across them', async () => {
    const config = loadConfig({ ...base, CS_ENDPOINT: '127.0.0.1:9000' });
    const alice = await createCsClient(config, credentials('alice'), 'cn-hangzhou');
    assert.equal(await createCsClient(config, credentials('alice'), 'cn-hangzhou'), alice);
    assert.notEqual(await createCsClient(config, credentials('bob'), 'cn-hangzhou'), alice, 'another credential: another client');
    assert.notEqual(await createCsClient(config, credentials('alice'), 'cn-beijing'), alice, 'another region: another client');
    assert.notEqual(
      await createCsClient(loadConfig({ ...base, CS_ENDPOINT: '127.0.0.1:9000' }), credentials('alice'), 'cn-hangzhou'),
      alice,
      'another configuration',
    );
  });

  test('does not keep a client for a credential about to expire', async () => {
    const config = loadConfig(base);
    const expiring = credentials('carol', Date.now() + 1_000);
    assert.notEqual(await createCsClient(config, expiring, 'cn-hangzhou'), await createCsClient(config, expiring, 'cn-hangzhou'));
  });
});
