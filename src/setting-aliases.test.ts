import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';
import { applySettingAliases, describeAliasUse } from './setting-aliases.ts';

const token = 'a-long-enough-token-0001';
const keyId = 'LTAI5tPythonServerKey0001';
const keySecret = 'PythonServerSecretAbcdefg01';

/** The configuration a Python-style environment gives, and the aliases it reported. */
function configFrom(env: Record<string, string | undefined>) {
  const copy: Record<string, string | undefined> = { MCP_AUTH_TOKEN: token, ...env };
  const uses = applySettingAliases(copy);
  return { config: loadConfig(copy), env: copy, uses };
}

describe('setting aliases of the Python ACK MCP servers', () => {
  test('HTTP_PORT is the port', () => {
    const { config, uses } = configFrom({ HTTP_PORT: '8123' });
    assert.equal(config.port, 8123);
    assert.deepEqual(uses, [{ alias: 'HTTP_PORT', setting: 'PORT', outcome: 'used' }]);
  });

  test('ALIYUN_REGION is the default region', () => {
    const { config, uses } = configFrom({ ALIYUN_REGION: 'cn-beijing' });
    assert.equal(config.defaultRegion, 'cn-beijing');
    assert.deepEqual(uses, [{ alias: 'ALIYUN_REGION', setting: 'DEFAULT_REGION', outcome: 'used' }]);
  });

  test('REGION_ID is the default region', () => {
    const { config, uses } = configFrom({ REGION_ID: 'ap-southeast-1' });
    assert.equal(config.defaultRegion, 'ap-southeast-1');
    assert.deepEqual(uses, [{ alias: 'REGION_ID', setting: 'DEFAULT_REGION', outcome: 'used' }]);
  });

  test('ACCESS_KEY_ID with ACCESS_SECRET_KEY (the earlier name) are the environment credentials', () => {
    const { env, uses } = configFrom({ ACCESS_KEY_ID: keyId, ACCESS_SECRET_KEY: keySecret });
    assert.equal(env.ALIBABA_CLOUD_ACCESS_KEY_ID, keyId);
    assert.equal(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, keySecret);
    assert.deepEqual(
      uses.map((use) => `${use.alias}→${use.setting}:${use.outcome}`),
      ['ACCESS_KEY_ID→ALIBABA_CLOUD_ACCESS_KEY_ID:used', 'ACCESS_SECRET_KEY→ALIBABA_CLOUD_ACCESS_KEY_SECRET:used'],
    );
  });

  test("ACCESS_KEY_SECRET (the official server's name) is the environment secret", () => {
    const { env } = configFrom({ ACCESS_KEY_ID: keyId, ACCESS_KEY_SECRET: keySecret });
    assert.equal(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, keySecret);
  });

  test('our own names win when both are set, and the alias is reported as ignored', () => {
    const { config, env, uses } = configFrom({
      PORT: '8080',
      HTTP_PORT: '9999',
      DEFAULT_REGION: 'cn-shanghai',
      ALIYUN_REGION: 'cn-beijing',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tOwnNameKey00000001',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'OwnNameSecret0000000000001',
      ACCESS_KEY_ID: keyId,
      ACCESS_KEY_SECRET: keySecret,
    });
    assert.equal(config.port, 8080);
    assert.equal(config.defaultRegion, 'cn-shanghai');
    assert.equal(env.ALIBABA_CLOUD_ACCESS_KEY_ID, 'LTAI5tOwnNameKey00000001');
    assert.equal(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, 'OwnNameSecret0000000000001');
    assert.deepEqual(new Set(uses.map((use) => use.outcome)), new Set(['ignored']));
    assert.deepEqual(
      uses.map((use) => use.alias),
      ['HTTP_PORT', 'ALIYUN_REGION', 'ACCESS_KEY_ID', 'ACCESS_KEY_SECRET'],
    );
  });

  test('an AccessKey is taken as a pair: one of ours set makes both aliases ignored', () => {
    const { env, uses } = configFrom({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tOwnNameKey00000001', ACCESS_KEY_SECRET: keySecret });
    assert.equal(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, undefined, 'a secret from another naming is not paired with our key id');
    assert.deepEqual(uses, [{ alias: 'ACCESS_KEY_SECRET', setting: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', outcome: 'ignored' }]);
  });

  test('an empty alias counts as unset', () => {
    const { config, uses } = configFrom({ HTTP_PORT: '  ', REGION_ID: '' });
    assert.equal(config.port, 8080);
    assert.equal(config.defaultRegion, undefined);
    assert.deepEqual(uses, []);
  });

  test('incoherent aliases stop the start with one line naming them, never their values', () => {
    const refusal = (env: Record<string, string>, pattern: RegExp) =>
      assert.throws(
        () => configFrom(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, pattern);
          assert.ok(!error.message.includes('\n'));
          assert.ok(!error.message.includes(keySecret) && !error.message.includes('Other'));
          return true;
        },
      );
    refusal(
      { ALIYUN_REGION: 'cn-beijing', REGION_ID: 'cn-hangzhou' },
      /^ALIYUN_REGION and REGION_ID are both set, to different values: set DEFAULT_REGION instead/,
    );
    refusal(
      { ACCESS_KEY_ID: keyId, ACCESS_KEY_SECRET: keySecret, ACCESS_SECRET_KEY: 'OtherSecretValue000000001' },
      /ACCESS_KEY_SECRET and ACCESS_SECRET_KEY are both set, to different values/,
    );
    refusal({ ACCESS_KEY_ID: keyId }, /^ACCESS_KEY_ID is set without ACCESS_KEY_SECRET or ACCESS_SECRET_KEY: an AccessKey needs both/);
    refusal({ ACCESS_SECRET_KEY: keySecret }, /^ACCESS_SECRET_KEY is set without ACCESS_KEY_ID/);
  });

  test('two aliases with the same value are both reported as used', () => {
    const { config, uses } = configFrom({ ALIYUN_REGION: 'cn-beijing', REGION_ID: 'cn-beijing' });
    assert.equal(config.defaultRegion, 'cn-beijing');
    assert.deepEqual(
      uses.map((use) => use.alias),
      ['ALIYUN_REGION', 'REGION_ID'],
    );
  });

  test("an alias's value is checked like our own setting's", () => {
    assert.throws(() => configFrom({ HTTP_PORT: 'eighty' }), /PORT must be an integer from 0 to 65535; got "eighty"/);
    assert.throws(
      () => configFrom({ ALIYUN_REGION: 'cn beijing' }),
      /DEFAULT_REGION must be a region id such as cn-hangzhou; got "cn beijing"/,
    );
  });

  test("the operator's line names the alias and what to do, never the value", () => {
    assert.equal(
      describeAliasUse({ alias: 'HTTP_PORT', setting: 'PORT', outcome: 'used' }),
      "HTTP_PORT (a Python ACK MCP server's name) is read as PORT: rename it.",
    );
    assert.equal(
      describeAliasUse({ alias: 'ACCESS_KEY_SECRET', setting: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', outcome: 'ignored' }),
      'ACCESS_KEY_SECRET is ignored: ALIBABA_CLOUD_ACCESS_KEY_ID or ALIBABA_CLOUD_ACCESS_KEY_SECRET is set, and our own names win. Remove ACCESS_KEY_SECRET.',
    );
  });
});
