import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const token = 'a-long-enough-token-0001';

describe('loadConfig', () => {
  test('refuses to start open when the server would act with its own identity', () => {
    assert.throws(
      () => loadConfig({}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /Refusing to start/);
        assert.match(error.message, /MCP_AUTH_TOKEN/);
        assert.match(error.message, /MCP_AUTH_BY_GATEWAY=true/);
        assert.match(error.message, /CREDENTIAL_SOURCES=caller/);
        return true;
      },
    );
    assert.throws(() => loadConfig({ CREDENTIAL_SOURCES: 'caller,function' }), /Refusing to start/);
  });

  test('starts open only when callers must bring their own keys, or a gateway is declared', () => {
    assert.deepEqual(loadConfig({ CREDENTIAL_SOURCES: 'caller' }).credentialSources, ['caller']);
    assert.equal(loadConfig({ MCP_AUTH_BY_GATEWAY: 'true' }).authByGateway, true);
  });

  test('parses named tokens, read-only ones included', () => {
    const config = loadConfig({ MCP_AUTH_TOKEN: token, MCP_AUTH_TOKENS: `ops:${token}x, viewer:${token}y:read-only` });
    assert.deepEqual(
      config.authTokens.map(({ name, readOnly }) => ({ name, readOnly })),
      [
        { name: 'default', readOnly: false },
        { name: 'ops', readOnly: false },
        { name: 'viewer', readOnly: true },
      ],
    );
  });

  test('rejects short tokens, malformed entries and duplicate names, without echoing the token', () => {
    assert.throws(
      () => loadConfig({ MCP_AUTH_TOKEN: 'short' }),
      (error: Error) => /shorter than 16/.test(error.message) && !error.message.includes('short"'),
    );
    for (const unrendered of ["${secret('authToken')", "${env('ACK_MCP_AUTH_TOKEN')}", '{{ authToken }}-padding-padding']) {
      assert.throws(
        () => loadConfig({ MCP_AUTH_TOKEN: unrendered }),
        (error: Error) => /unrendered template expression/.test(error.message) && !error.message.includes(unrendered),
      );
    }
    assert.throws(() => loadConfig({ MCP_AUTH_TOKENS: `ops:${token}:admin` }), /name:token:read-only/);
    assert.throws(() => loadConfig({ MCP_AUTH_TOKENS: `ops:${token},ops:${token}z` }), /used twice/);
  });

  test('validates modes, sources, numbers and flags with messages naming the setting', () => {
    const base = { MCP_AUTH_TOKEN: token };
    assert.throws(() => loadConfig({ ...base, ACCESS_MODE: 'admin' }), /ACCESS_MODE must be read-only or read-write/);
    assert.throws(
      () => loadConfig({ ...base, CONFIRM_DESTRUCTIVE: 'sometimes' }),
      /CONFIRM_DESTRUCTIVE must be never, when-supported or always/,
    );
    assert.equal(loadConfig(base).confirmDestructive, 'when-supported');
    assert.equal(loadConfig({ ...base, CONFIRM_DESTRUCTIVE: 'always' }).confirmDestructive, 'always');
    assert.throws(() => loadConfig({ ...base, CREDENTIAL_SOURCES: 'caller,magic' }), /CREDENTIAL_SOURCES accepts/);
    assert.throws(() => loadConfig({ ...base, MAX_BODY_BYTES: '12abc' }), /MAX_BODY_BYTES must be an integer/);
    assert.throws(() => loadConfig({ ...base, MCP_AUTH_BY_GATEWAY: 'maybe' }), /MCP_AUTH_BY_GATEWAY must be true or false/);
  });

  test('TOOLSETS: every toolset by default; a selection in canonical order; unknown names refused in one line naming the known ones', () => {
    const base = { MCP_AUTH_TOKEN: token };
    assert.deepEqual(loadConfig(base).toolsets, ['clusters', 'nodepools', 'diagnosis', 'kubectl', 'logs', 'metrics']);
    assert.deepEqual(loadConfig({ ...base, TOOLSETS: ' ' }).toolsets, loadConfig(base).toolsets);
    assert.deepEqual(loadConfig({ ...base, TOOLSETS: ' Metrics, kubectl,kubectl ' }).toolsets, ['kubectl', 'metrics']);
    assert.throws(
      () => loadConfig({ ...base, TOOLSETS: 'kubectl,pods,x' }),
      (error: Error) =>
        error.message ===
        'TOOLSETS names unknown toolsets "pods", "x"; the toolsets are clusters, nodepools, diagnosis, kubectl, logs, metrics (comma-separated; unset: all).',
    );
  });

  test('on FC: listens on 0.0.0.0:FC_SERVER_PORT and trusts x-fc-* headers; off FC it does not', () => {
    const onFc = loadConfig({ ...{ MCP_AUTH_TOKEN: token }, FC_FUNCTION_NAME: 'ack-mcp', FC_SERVER_PORT: '9000' });
    assert.equal(onFc.host, '0.0.0.0');
    assert.equal(onFc.port, 9000);
    assert.equal(onFc.trustFcHeaders, true);
    const local = loadConfig({ MCP_AUTH_TOKEN: token });
    assert.equal(local.host, '127.0.0.1');
    assert.equal(local.trustFcHeaders, false);
  });

  test('kubectl memory budget: 128 MB per kubectl on a 512 MB instance running 4, scaled by FC_FUNCTION_MEMORY_SIZE and KUBECTL_MAX_CONCURRENT', () => {
    const kubectl = (env: Record<string, string>) => loadConfig({ MCP_AUTH_TOKEN: 'a'.repeat(32), ...env }).kubectl;
    assert.deepEqual([kubectl({}).maxMemoryMb, kubectl({}).maxCpuSeconds], [128, 30]);
    assert.equal(kubectl({ KUBECTL_MAX_CONCURRENT: '1' }).maxMemoryMb, 392);
    assert.equal(kubectl({ KUBECTL_MAX_CONCURRENT: '32' }).maxMemoryMb, 64);
    assert.equal(kubectl({ FC_FUNCTION_MEMORY_SIZE: '1024' }).maxMemoryMb, 256);
    assert.equal(kubectl({ FC_FUNCTION_MEMORY_SIZE: 'lots' }).maxMemoryMb, 128);
    assert.deepEqual(
      [
        kubectl({ KUBECTL_MAX_MEMORY_MB: '300', KUBECTL_MAX_CPU_SECONDS: '5' }).maxMemoryMb,
        kubectl({ KUBECTL_MAX_CPU_SECONDS: '5' }).maxCpuSeconds,
      ],
      [300, 5],
    );
    assert.throws(() => kubectl({ KUBECTL_MAX_MEMORY_MB: '32' }), /KUBECTL_MAX_MEMORY_MB must be an integer from 64 to 16384; got "32"/);
    assert.throws(() => kubectl({ KUBECTL_MAX_CPU_SECONDS: '0' }), /KUBECTL_MAX_CPU_SECONDS must be an integer from 1 to 3600/);
  });
});

describe('DEFAULT_REGION', () => {
  test('is unset by default, a region id when given, and refused with the setting named otherwise', () => {
    assert.equal(loadConfig({ MCP_AUTH_TOKEN: token }).defaultRegion, undefined);
    assert.equal(loadConfig({ MCP_AUTH_TOKEN: token, DEFAULT_REGION: ' ap-southeast-1 ' }).defaultRegion, 'ap-southeast-1');
    assert.throws(
      () => loadConfig({ MCP_AUTH_TOKEN: token, DEFAULT_REGION: 'cs.cn-hangzhou.aliyuncs.com' }),
      /^ConfigError: DEFAULT_REGION must be a region id such as cn-hangzhou; got "cs\.cn-hangzhou\.aliyuncs\.com"\.$/,
    );
  });
});
