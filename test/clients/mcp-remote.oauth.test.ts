/**
 * `npx mcp-remote <url>` with no header against the server as an OAuth protected resource: mcp-remote discovers the
 * demo authorization server, registers, prints the authorization URL and waits on its loopback callback. The test
 * is the browser: it opens that URL (mcp-remote's `--authorize-param login_hint=bob` signs bob in without the page)
 * and follows the redirect back to mcp-remote, which exchanges the code and then serves the tools as bob.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startOAuthStack, type OAuthStack } from '../support/oauth-stack.ts';
import { clientEnv, clientHome, MCP_REMOTE, NODE22 } from './client-tools.ts';

let stack: OAuthStack;
before(async () => {
  stack = await startOAuthStack();
});
after(() => stack.close());

test('mcp-remote signs bob in through the browser flow and calls tools as bob', async () => {
  const transport = new StdioClientTransport({
    command: NODE22,
    args: [MCP_REMOTE, stack.mcpUrl, '--authorize-param', 'login_hint=bob'],
    // BROWSER=true: the "browser" mcp-remote starts does nothing; the test opens the URL itself.
    env: clientEnv(clientHome(), { BROWSER: 'true' }),
    stderr: 'pipe',
  });
  let log = '';
  const visited = new Promise<string>((resolve, reject) => {
    transport.stderr?.on('data', (chunk) => {
      log += chunk;
      const url = /Please authorize this client by visiting:\s+(\S+)/.exec(log)?.[1];
      // Open it once mcp-remote's callback server listens (it says so; it may print the URL first).
      if (!url || !log.includes('OAuth callback server running at')) return;
      transport.stderr?.removeAllListeners('data');
      transport.stderr?.on('data', (more) => (log += more));
      (async () => {
        const consent = await fetch(url, { redirect: 'manual' });
        const callback = consent.headers.get('location');
        assert.ok(callback, `the authorization server redirects back (HTTP ${consent.status})`);
        // mcp-remote listens on localhost's IPv4 address; Node's fetch may try ::1 first.
        const back = await fetch(callback.replace('//localhost:', '//127.0.0.1:'));
        await back.text();
        return callback;
      })().then(resolve, (error) => reject(Object.assign(error, { message: `${error.message}: ${error.cause?.message ?? ''}\n${log}` })));
    });
  });
  const client = new Client({ name: 'desktop-app', version: '1.0.0' });
  try {
    await client.connect(transport);
    assert.match(await visited, /^http:\/\/(localhost|127\.0\.0\.1):\d+\/oauth\/callback\?code=/);
    const result = (await client.callTool({ name: 'list_clusters', arguments: {} })) as {
      isError?: boolean;
      content: Array<{ text: string }>;
    };
    assert.equal(result.isError, undefined, `${result.content[0]?.text}\n${log}`);
    const line = await stack.waitForLog((entry) => entry.tool === 'list_clusters' && entry.user?.sub === 'bob');
    assert.equal(line.user.name, 'Bob Dev');
  } finally {
    await client.close();
  }
});
