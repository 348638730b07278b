/**
 * How the server refuses a caller without a valid bearer token, and what it answers on the OAuth
 * discovery and registration paths that OAuth-capable clients try next (raw HTTP; what each real
 * client then shows is tested in test/clients).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SEND_TOKEN } from '../../src/http/auth-answers.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

describe('caller authentication', () => {
  test('no token → 401 with a bare Bearer challenge (RFC 6750: no error code without credentials) and the instruction', async () => {
    const response = await stack.post(listTools, { authorization: '' });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="ack-mcp"');
    assert.deepEqual(response.body.error, { code: -32001, message: `Unauthorized: ${SEND_TOKEN}.` });
  });

  test('a wrong token → 403 invalid_token with its description (no OAuth server could make a 401 succeed)', async () => {
    const response = await stack.post(listTools, { authorization: `Bearer ${TEST_TOKEN}x` });
    assert.equal(response.status, 403);
    assert.equal(
      response.headers.get('www-authenticate'),
      `Bearer realm="ack-mcp", error="invalid_token", error_description="The bearer token is not valid: ${SEND_TOKEN}"`,
    );
    assert.deepEqual(response.body.error, { code: -32001, message: `Forbidden: The bearer token is not valid: ${SEND_TOKEN}.` });
  });

  test('a token of another scheme is no bearer token → 401', async () => {
    const response = await stack.post(listTools, { authorization: `Basic ${Buffer.from(`u:${TEST_TOKEN}`).toString('base64')}` });
    assert.equal(response.status, 401);
  });

  test('the instruction fits an RFC 6750 error_description (no " or \\)', () => {
    assert.match(SEND_TOKEN, /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
  });

  test('the log records rejected requests without the presented token', async () => {
    const secretAttempt = 'attacker-supplied-token-value-123';
    await stack.post(listTools, { authorization: `Bearer ${secretAttempt}` });
    const line = stack.logs.map((l) => JSON.parse(l) as Record<string, unknown>).findLast((entry) => entry.rejection === 'invalid_token');
    assert.ok(line, 'a log line for the rejected request');
    assert.equal(line.status, 403);
    assert.ok(!stack.logs.join('\n').includes(secretAttempt));
  });
});

describe('OAuth discovery without an authorization server', () => {
  const metadataPaths = [
    '/.well-known/oauth-protected-resource/mcp',
    '/.well-known/oauth-protected-resource',
    '/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server/mcp',
    '/.well-known/openid-configuration',
  ];
  for (const path of metadataPaths) {
    test(`GET ${path} → 404: there is no metadata, and the body says what to send instead`, async () => {
      const response = await fetch(`${stack.server.url}${path}`);
      assert.equal(response.status, 404);
      const body = (await response.json()) as { error: string; message: string };
      assert.equal(body.error, 'not_found');
      assert.ok(body.message.includes(SEND_TOKEN), body.message);
    });
  }

  test('POST /register (dynamic client registration) → 403 access_denied: the one answer OAuth clients show', async () => {
    const response = await fetch(`${stack.server.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'x', redirect_uris: ['http://localhost:1/cb'] }),
    });
    assert.equal(response.status, 403);
    const body = (await response.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'access_denied');
    assert.ok(body.error_description.includes(SEND_TOKEN));
    // mcp-remote reads "404", "405", "Not Found" or "Unauthorized" in an error as a cue to retry over SSE or to sign in.
    assert.doesNotMatch(body.error_description, /404|405|Not Found|Unauthorized|["\\]/);
  });

  test('the default /authorize and /token endpoints refuse with the same instruction', async () => {
    const authorize = await fetch(`${stack.server.url}/authorize?response_type=code&client_id=x`);
    assert.equal(authorize.status, 403);
    assert.ok((await authorize.text()).includes(SEND_TOKEN));
    const token = await fetch(`${stack.server.url}/token`, { method: 'POST', body: 'grant_type=authorization_code&code=x' });
    assert.equal(token.status, 400);
    assert.equal(((await token.json()) as { error: string }).error, 'unsupported_grant_type');
  });

  test('none of these paths needs a token or calls the cloud', () => {
    assert.equal(stack.emulator.callLog.records.length, 0);
  });
});
