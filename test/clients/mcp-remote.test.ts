/**
 * mcp-remote (how Claude Desktop and Cursor reach a remote server) run exactly as the README's
 * configuration runs it — `mcp-remote <url> --header Authorization:${ACK_MCP_AUTH}` with the token
 * in the environment — and driven over stdio by the MCP SDK's client, as a desktop app drives it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { SEND_TOKEN } from '../../src/http/auth-answers.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { callerHeaderPairs, clientEnv, clientHome, MCP_REMOTE, NODE22, runNode22 } from './client-tools.ts';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

/** The README's arguments: the token comes from the environment, never the command line. */
function remoteArgs(callerHeaders: string[] = []): string[] {
  return [
    MCP_REMOTE,
    stack.mcpUrl,
    '--header',
    'Authorization:${ACK_MCP_AUTH}',
    ...callerHeaders.flatMap((header) => ['--header', header]),
  ];
}

describe('mcp-remote over stdio', { concurrency: true }, () => {
  test('lists the tools and calls one with structured output', async () => {
    const key = stack.emulator.world.accounts[0]!.accessKeys[0]!;
    const client = new Client({ name: 'desktop-app', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: NODE22,
      args: remoteArgs(callerHeaderPairs(key, ':')),
      env: clientEnv(clientHome(), { ACK_MCP_AUTH: `Bearer ${TEST_TOKEN}` }),
      stderr: 'pipe',
    });
    let log = '';
    transport.stderr?.on('data', (chunk) => (log += chunk));
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      assert.ok(
        tools.some((tool) => tool.name === 'list_clusters'),
        log,
      );
      const result = await client.callTool({ name: 'list_clusters', arguments: { page_size: 50 } });
      assert.notEqual(result.isError, true, JSON.stringify(result.content));
      const shown = (result.structuredContent as { clusters: Array<{ cluster_id: string }> }).clusters
        .map((cluster) => cluster.cluster_id)
        .sort();
      assert.deepEqual(shown, stack.emulator.world.accounts[0]!.clusters.map((cluster) => cluster.cluster_id).sort());
    } finally {
      await client.close();
    }
  });

  test("a wrong token: exits with the server's message (no sign-in, no SSE fallback)", async () => {
    const { code, stderr } = await runNode22(remoteArgs(), {
      env: clientEnv(clientHome(), { ACK_MCP_AUTH: 'Bearer not-the-token-0123456789' }),
    });
    assert.equal(code, 1);
    assert.ok(stderr.includes(`Forbidden: The bearer token is not valid: ${SEND_TOKEN}`), stderr);
    assert.doesNotMatch(stderr, /sse-only|SSE error|Authentication required/);
  });

  test("no token: the OAuth sign-in stops at registration with the server's message", async () => {
    const { code, stderr } = await runNode22([MCP_REMOTE, stack.mcpUrl], { env: clientEnv(clientHome()) });
    assert.equal(code, 1);
    assert.match(stderr, /Dynamic Client Registration rejected \(HTTP 403\): \{"error":"access_denied"/);
    assert.ok(stderr.includes(SEND_TOKEN), stderr);
    assert.doesNotMatch(stderr, /sse-only|SSE error|Waiting for authorization/);
  });
});
