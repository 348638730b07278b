/**
 * Cross-origin and DNS-rebinding protection (MCP Streamable HTTP transport): a request whose Origin is not in
 * ALLOWED_ORIGINS (empty by default: every browser page is refused) gets 403 with a JSON-RPC error body; a
 * request without Origin (agents, servers) is served as before. With ALLOWED_HOSTS set, Host is checked too.
 * GET /healthz (FC's health check) is never refused. Raw requests over real HTTP, Host set by hand.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { startStack, TEST_TOKEN, type LogEntry, type Stack } from '../support/stack.ts';

const listTools = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

interface Answer {
  status: number;
  body: any;
}

/** One raw HTTP request (node:http lets the test set Host, which fetch does not). */
function send(stack: Stack, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const url = new URL(stack.server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'POST',
        path: options.path ?? '/mcp',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${TEST_TOKEN}`,
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(options.method === 'GET' ? undefined : (options.body ?? listTools));
  });
}

const lastRequestLine = (stack: Stack): LogEntry =>
  stack.logs.map((line) => JSON.parse(line) as LogEntry).findLast((entry) => entry.event === 'request')!;

describe('by default (no ALLOWED_ORIGINS, no ALLOWED_HOSTS)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  test('a request from a browser page (any Origin) is 403 with a JSON-RPC error naming ALLOWED_ORIGINS', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:8080']) {
      const answer = await send(stack, { headers: { origin } });
      assert.equal(answer.status, 403, origin);
      assert.equal(answer.body.jsonrpc, '2.0');
      assert.equal(answer.body.id, null);
      assert.equal(answer.body.error.code, -32000);
      assert.match(
        answer.body.error.message,
        /^Forbidden: requests from browser pages \(Origin .+\) are not allowed\. The operator may allow an origin in ALLOWED_ORIGINS\.$/,
      );
      assert.equal(lastRequestLine(stack).rejection, 'origin_not_allowed');
    }
  });

  test('a request without Origin is served as before, whatever its Host', async () => {
    assert.equal((await send(stack, {})).status, 200);
    const anyHost = await send(stack, { headers: { host: 'rebound.evil.example:8080' } });
    assert.equal(anyHost.status, 200);
    assert.ok(Array.isArray(anyHost.body.result.tools));
  });

  test('the refusal comes before authentication and before anything runs', async () => {
    const answer = await send(stack, { headers: { origin: 'https://evil.example', authorization: '' } });
    assert.equal(answer.status, 403);
    assert.equal(stack.emulator.callLog.records.length, 0);
  });

  test('GET /healthz is never refused', async () => {
    assert.equal((await send(stack, { method: 'GET', path: '/healthz', headers: { origin: 'https://evil.example' } })).status, 200);
  });
});

describe('ALLOWED_ORIGINS and ALLOWED_HOSTS set', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      env: { ALLOWED_ORIGINS: 'https://console.example.com, http://localhost:6274', ALLOWED_HOSTS: 'mcp.example.com,localhost:9000' },
    });
  });
  after(() => stack.close());

  test('an allowed origin on an allowed host is served (origins compared without case)', async () => {
    for (const origin of ['https://console.example.com', 'https://Console.Example.COM', 'http://localhost:6274']) {
      const answer = await send(stack, { headers: { origin, host: 'mcp.example.com' } });
      assert.equal(answer.status, 200, origin);
    }
    assert.equal(
      (await send(stack, { headers: { host: 'MCP.example.com:443' } })).status,
      200,
      'a host entry without a port allows any port',
    );
    assert.equal((await send(stack, { headers: { host: 'localhost:9000' } })).status, 200);
  });

  test('another scheme, port or host of an allowed origin is refused', async () => {
    for (const origin of [
      'http://console.example.com',
      'https://console.example.com:8443',
      'https://evil.console.example.com',
      'http://localhost:6275',
    ]) {
      const answer = await send(stack, { headers: { origin, host: 'mcp.example.com' } });
      assert.equal(answer.status, 403, origin);
    }
  });

  test('a Host not in ALLOWED_HOSTS is 403 naming the setting', async () => {
    for (const host of ['127.0.0.1', 'rebound.evil.example', 'localhost:9001', 'mcp.example.com.evil.example']) {
      const answer = await send(stack, { headers: { host } });
      assert.equal(answer.status, 403, host);
      assert.match(
        answer.body.error.message,
        /^Forbidden: Host .+ is not one this server answers to\. The operator lists the host names in ALLOWED_HOSTS\.$/,
      );
      assert.equal(lastRequestLine(stack).rejection, 'host_not_allowed');
    }
  });

  test('GET /healthz answers on any Host', async () => {
    assert.equal((await send(stack, { method: 'GET', path: '/healthz', headers: { host: '10.0.0.7:9000' } })).status, 200);
  });
});

describe('the settings are validated at start', () => {
  const base = { MCP_AUTH_TOKEN: 'a-long-enough-token-0001' };
  test('origins are scheme://host[:port]; hosts are host[:port]', () => {
    const config = loadConfig({
      ...base,
      ALLOWED_ORIGINS: 'https://A.example.com,http://[::1]:6274',
      ALLOWED_HOSTS: 'MCP.example.com, [::1]:8080',
    });
    assert.deepEqual(config.allowedOrigins, ['https://a.example.com', 'http://[::1]:6274']);
    assert.deepEqual(config.allowedHosts, ['mcp.example.com', '[::1]:8080']);
    for (const [name, bad] of [
      ['ALLOWED_ORIGINS', 'console.example.com'],
      ['ALLOWED_ORIGINS', 'https://console.example.com/'],
      ['ALLOWED_ORIGINS', 'ftp://console.example.com'],
      ['ALLOWED_ORIGINS', '*'],
      ['ALLOWED_HOSTS', 'https://mcp.example.com'],
      ['ALLOWED_HOSTS', 'mcp.example.com/mcp'],
    ] as const) {
      assert.throws(
        () => loadConfig({ ...base, [name]: bad }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith(`${name} entries are`),
        `${name}=${bad}`,
      );
    }
  });
});
