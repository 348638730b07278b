import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const token = 'a-long-enough-token-0001';

describe('loadConfig', () => {
  test('refuses to start open when the server would act with its own identity', () => {
    assert.throws(() => loadConfig({}), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /Refusing to start/);
      assert.match(error.message, /MCP_AUTH_TOKEN/);
      assert.match(error.message, /MCP_AUTH_BY_GATEWAY=true/);
      assert.match(error.message, /CREDENTIAL_SOURCES=caller/);
      return true;
    });
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
    assert.throws(() => loadConfig({ MCP_AUTH_TOKEN: 'short' }), (error: Error) => /shorter than 16/.test(error.message) && !error.message.includes('short"'));
    for (const unrendered of ["${secret('authToken')", "${env('ACK_MCP_AUTH_TOKEN')}", '{{ authToken }}-padding-padding']) {
      assert.throws(() => loadConfig({ MCP_AUTH_TOKEN: unrendered }), (error: Error) => /unrendered template expression/.test(error.message) && !error.message.includes(unrendered));
    }
    assert.throws(() => loadConfig({ MCP_AUTH_TOKENS: `ops:${token}:admin` }), /name:token:read-only/);
    assert.throws(() => loadConfig({ MCP_AUTH_TOKENS: `ops:${token},ops:${token}z` }), /used twice/);
  });

  test('validates modes, sources, numbers and flags with messages naming the setting', () => {
    const base = { MCP_AUTH_TOKEN: token };
    assert.throws(() => loadConfig({ ...base, ACCESS_MODE: 'admin' }), /ACCESS_MODE must be read-only or read-write/);
    assert.throws(() => loadConfig({ ...base, CREDENTIAL_SOURCES: 'caller,magic' }), /CREDENTIAL_SOURCES accepts/);
    assert.throws(() => loadConfig({ ...base, MAX_BODY_BYTES: '12abc' }), /MAX_BODY_BYTES must be an integer/);
    assert.throws(() => loadConfig({ ...base, MCP_AUTH_BY_GATEWAY: 'maybe' }), /MCP_AUTH_BY_GATEWAY must be true or false/);
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
});
