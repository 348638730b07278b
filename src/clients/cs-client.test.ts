import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../config.ts';
import { csEndpoint } from './cs-client.ts';

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
      assert.throws(() => loadConfig({ ...base, CS_REGION_ENDPOINTS: value }), (error: unknown) => error instanceof ConfigError && message.test(error.message), value);
    }
  });
});
