/** The HTTP surface: routes, methods, bad requests. Raw requests over real HTTP (authentication: caller-auth.test.ts). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';

let stack: Stack;
before(async () => {
  stack = await startStack({ env: { MAX_BODY_BYTES: '4096', MAX_BATCH_SIZE: '3' } });
});
after(() => stack.close());

const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

describe('routes', () => {
  test('GET /healthz answers 200 without a token and without calling the cloud', async () => {
    const response = await fetch(`${stack.server.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
    assert.equal(stack.emulator.callLog.records.length, 0);
  });

  for (const path of ['/mcp', '/mcp/v1']) {
    test(`POST ${path} serves tools/list`, async () => {
      const response = await fetch(`${stack.server.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${TEST_TOKEN}`,
        },
        body: JSON.stringify(listTools),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const body = (await response.json()) as { result: { tools: Array<{ name: string }> } };
      assert.ok(body.result.tools.some((tool) => tool.name === 'list_clusters'));
    });

    for (const method of ['GET', 'DELETE', 'OPTIONS']) {
      test(`${method} ${path} is 405 with a JSON-RPC error body`, async () => {
        const response = await fetch(`${stack.server.url}${path}`, {
          method,
          headers: { accept: 'text/event-stream', authorization: `Bearer ${TEST_TOKEN}` },
        });
        assert.equal(response.status, 405);
        assert.equal(response.headers.get('allow'), 'POST');
        const body = (await response.json()) as { jsonrpc: string; error: { code: number; message: string } };
        assert.equal(body.jsonrpc, '2.0');
        assert.match(body.error.message, /stateless/);
      });
    }
  }

  test('an unknown path is a JSON 404 that names the MCP endpoint', async () => {
    const response = await fetch(`${stack.server.url}/nope`);
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { message: string }).message, /POST \/mcp/);
  });
});

describe('content negotiation', () => {
  test('a client that accepts only application/json still gets a JSON answer', async () => {
    const response = await stack.post(listTools, { accept: 'application/json' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.ok(Array.isArray(response.body.result.tools));
  });

  test('a client that sends no Accept header gets JSON', async () => {
    const response = await fetch(stack.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify(listTools),
    });
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(((await response.json()) as { result: { tools: unknown[] } }).result.tools));
  });

  test('a tools/call without a progress token is answered as JSON even when SSE is accepted', async () => {
    const response = await stack.post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_clusters', arguments: {} } });
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  });
});

describe('bad requests get clear errors, never a crash', () => {
  test('invalid JSON → 400 with JSON-RPC parse error -32700', async () => {
    const response = await stack.post('{"jsonrpc": "2.0", "id": 1, "method": ');
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, -32700);
  });

  test('wrong content type → 415', async () => {
    const response = await stack.post(JSON.stringify(listTools), { 'content-type': 'text/plain' });
    assert.equal(response.status, 415);
    assert.match(response.body.error.message, /application\/json/);
  });

  test('a body over the configured limit → 413 naming the limit', async () => {
    const response = await stack.post({ ...listTools, params: { padding: 'x'.repeat(5000) } });
    assert.equal(response.status, 413);
    assert.match(response.body.error.message, /4096 bytes/);
  });

  test('a batch over the configured size → 400 -32600', async () => {
    const response = await stack.post([1, 2, 3, 4].map((id) => ({ ...listTools, id })));
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, -32600);
    assert.match(response.body.error.message, /at most 3/);
  });

  test('an empty batch and a bare scalar → 400 -32600', async () => {
    for (const body of ['[]', '42']) {
      const response = await stack.post(body);
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, -32600);
    }
  });

  test('well-formed JSON that is not a valid request → 400 -32600 Invalid Request (not a parse error), id echoed when usable', async () => {
    const cases: Array<[unknown, string | number | null, RegExp]> = [
      [{ hello: 'world' }, null, /"jsonrpc" must be "2\.0"/],
      [{ jsonrpc: '2.0', hello: 'world' }, null, /needs a "method"/],
      [{ jsonrpc: '1.0', id: 1, method: 'tools/list' }, 1, /"jsonrpc" must be "2\.0"/],
      [{ jsonrpc: '2.0', id: 2, method: 5 }, 2, /"method" must be a non-empty string/],
      [{ jsonrpc: '2.0', id: {}, method: 'tools/list' }, null, /"id" must be a string or an integer/],
      [{ jsonrpc: '2.0', id: 1.5, method: 'tools/list' }, null, /"id" must be a string or an integer/],
      [{ jsonrpc: '2.0', id: null, method: 'tools/list' }, null, /null is not allowed in requests/],
      [{ jsonrpc: '2.0', id: 'x', method: 'tools/list', extra: true }, 'x', /unexpected member "extra"/],
      [{ jsonrpc: '2.0', id: 3, method: 'tools/list', params: 5 }, 3, /"params" must be an object/],
      [{ jsonrpc: '2.0', id: 4, result: 'not an object' }, 4, /"result" must be an object/],
    ];
    for (const [body, id, message] of cases) {
      const response = await stack.post(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.deepEqual([response.body.error.code, response.body.id], [-32600, id], JSON.stringify(body));
      assert.match(response.body.error.message, /^Invalid Request: /);
      assert.match(response.body.error.message, message);
    }
  });

  test('a batch with one invalid message is refused whole (400 -32600 naming it) and nothing in it runs', async () => {
    const before = stack.emulator.callLog.records.length;
    const response = await stack.post([
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_clusters', arguments: {} } },
      { jsonrpc: '2.0', id: 2, method: 7 },
    ]);
    assert.equal(response.status, 400);
    assert.deepEqual([response.body.error.code, response.body.id], [-32600, null]);
    assert.match(
      response.body.error.message,
      /^Invalid Request: message 2 of the batch: "method" must be a non-empty string\. Nothing in the batch was run\.$/,
    );
    assert.equal(stack.emulator.callLog.records.length, before);
  });

  test("tools/call with malformed params → -32602 Invalid params with a readable message, for the request's id", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ name: 'list_clusters', arguments: [1] }, /params\.arguments: .*expected record, received array/],
      [{ name: 5 }, /params\.name: .*expected string, received number/],
      [undefined, /params: .*expected object, received undefined/],
    ];
    for (const [params, message] of cases) {
      const response = await stack.post({ jsonrpc: '2.0', id: 'p', method: 'tools/call', ...(params === undefined ? {} : { params }) });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual([response.body.error.code, response.body.id], [-32602, 'p'], response.text);
      assert.match(response.body.error.message, /^Invalid params for tools\/call: /);
      assert.match(response.body.error.message, message);
      assert.ok(!response.body.error.message.includes('\n'), 'one line, not a raw validation dump');
    }
    for (const params of [[1], { _meta: { progressToken: {} } }]) {
      const response = await stack.post({ jsonrpc: '2.0', id: 9, method: 'tools/list', params });
      assert.deepEqual([response.status, response.body.error.code, response.body.id], [200, -32602, 9], response.text);
      assert.match(response.body.error.message, /^Invalid params: /);
    }
  });

  test('in a batch, a call with bad params gets -32602 and the other messages their answers', async () => {
    const response = await stack.post([
      { ...listTools, id: 'ok' },
      { jsonrpc: '2.0', id: 'bad', method: 'tools/call', params: { name: 'list_clusters', arguments: [1] } },
    ]);
    assert.equal(response.status, 200, response.text);
    const byId = Object.fromEntries((response.body as Array<{ id: string }>).map((message) => [message.id, message])) as Record<
      string,
      any
    >;
    assert.ok(Array.isArray(byId.ok.result.tools));
    assert.equal(byId.bad.error.code, -32602);
    assert.match(byId.bad.error.message, /params\.arguments/);
  });

  test('responses from the client are accepted and ignored (202), an error response with id null too', async () => {
    for (const body of [
      { jsonrpc: '2.0', id: 5, result: {} },
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } },
      [
        { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
      ],
    ]) {
      const response = await stack.post(body);
      assert.equal(response.status, 202, `${JSON.stringify(body)}: ${response.text}`);
    }
  });

  test('an unknown method → JSON-RPC -32601', async () => {
    const response = await stack.post({ jsonrpc: '2.0', id: 9, method: 'tools/explode' });
    assert.equal(response.status, 200);
    assert.equal(response.body.error.code, -32601);
    assert.equal(response.body.id, 9);
  });

  test('a notification alone → 202 with no body', async () => {
    const response = await stack.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(response.status, 202);
  });

  test('an unsupported protocol version header → 400', async () => {
    const response = await stack.post(listTools, { 'mcp-protocol-version': '1999-01-01' });
    assert.equal(response.status, 400);
  });

  test('a small batch is answered message by message', async () => {
    const response = await stack.post([
      { ...listTools, id: 'a' },
      { jsonrpc: '2.0', id: 'b', method: 'ping' },
    ]);
    assert.equal(response.status, 200);
    const ids = (response.body as Array<{ id: string }>).map((message) => message.id).sort();
    assert.deepEqual(ids, ['a', 'b']);
  });

  test('an unknown tool → isError result that says how to list tools', async () => {
    const response = await stack.post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'rm_rf', arguments: {} } });
    assert.equal(response.body.result.isError, true);
    assert.match(response.body.result.content[0].text, /tools\/list/);
  });
});
