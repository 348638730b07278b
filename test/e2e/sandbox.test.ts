/** `npm run sandbox` as a newcomer runs it: it prints a URL and a token that work with an MCP client. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { clientEnv, clientHome, INSPECTOR, PINNED, runNode22 } from '../clients/client-tools.ts';

const sandbox = fileURLToPath(new URL('../../scripts/sandbox.ts', import.meta.url));
const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
});

async function startSandbox(env: Record<string, string>): Promise<{ url: string; token: string; banner: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', sandbox], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let banner = '';
  for await (const chunk of child.stderr!) {
    banner += String(chunk);
    if (banner.includes('Ctrl-C stops it.')) break;
  }
  const url = /MCP URL:\s+(\S+)/.exec(banner)?.[1];
  const token = /Token:\s+(\S+)/.exec(banner)?.[1];
  assert.ok(url && token, `banner names the URL and token:\n${banner}`);
  return { url, token, banner };
}

/** The sandbox run until it exits by itself: its exit code and what it wrote to stderr. */
async function failedStart(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', sandbox], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stderr };
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  assert.ok(!/\n\s+at /.test(stderr), 'no stack trace');
}

describe('npm run sandbox', () => {
  test('a token that is too short: one clear line, exit 78, no stack trace', async () => {
    const { code, stderr } = await failedStart({ MCP_AUTH_TOKEN: 'short' });
    assert.equal(code, 78);
    assertOneLine(stderr, /^ack-mcp sandbox: MCP_AUTH_TOKEN is shorter than 16 characters\. Use a random token/);
  });

  test('TOOLSETS: an unknown name stops the start with one clear line (exit 78); TOOLSETS=kubectl serves the kubectl tool alone', async () => {
    const { code, stderr } = await failedStart({ TOOLSETS: 'kubectl,pods' });
    assert.equal(code, 78);
    assertOneLine(
      stderr,
      /^ack-mcp sandbox: TOOLSETS names unknown toolset "pods"; the toolsets are clusters, nodepools, diagnosis, kubectl, logs, metrics/,
    );
    const { url, token, banner } = await startSandbox({ TOOLSETS: 'kubectl' });
    assert.match(banner, /toolsets kubectl;/);
    const client = new Client({ name: 'sandbox-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    assert.deepEqual(
      (await client.listTools()).tools.map((tool) => tool.name),
      ['kubectl'],
    );
    await client.close();
  });

  test('a port already in use: one clear line, a non-zero exit, no stack trace', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const { code, stderr } = await failedStart({ PORT: String(port) });
      assert.equal(code, 1);
      assertOneLine(stderr, new RegExp(`^ack-mcp sandbox: Cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));
    } finally {
      taken.close();
    }
  });

  test("generates a token, prints an Inspector command, and serves the demo account's clusters", async () => {
    const { url, token, banner } = await startSandbox({});
    assert.match(token, /^[0-9a-f]{48}$/);
    const inspector = `npx -y -p node@22 -p @modelcontextprotocol/inspector@${PINNED['@modelcontextprotocol/inspector']} mcp-inspector`;
    assert.ok(banner.includes(`${inspector} --web --transport http --server-url ${url} --header "Authorization: Bearer ${token}"`), banner);
    assert.ok(
      banner.includes(`${inspector} --cli ${url} --transport http --header "Authorization: Bearer ${token}" --method tools/list`),
      banner,
    );
    const client = new Client({ name: 'sandbox-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    const result = (await client.callTool({ name: 'list_clusters', arguments: {} })) as unknown as {
      structuredContent: { clusters: Array<{ name: string }> };
    };
    assert.deepEqual(result.structuredContent.clusters.map((c) => c.name).sort(), ['prod-hangzhou', 'staging-beijing']);
    await client.close();
  });

  test('the printed Inspector command works: its arguments, run by the same Inspector version on Node 22', async () => {
    const { banner } = await startSandbox({});
    const line = banner.split('\n').find((l) => l.includes(' mcp-inspector --cli '));
    assert.ok(line, banner);
    // What npx would run, from the pinned packages instead of the registry (nothing is downloaded in tests).
    const args = [...line.split(' mcp-inspector ')[1]!.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    const { code, stdout, stderr } = await runNode22([INSPECTOR, ...args], { env: clientEnv(clientHome()) });
    assert.equal(code, 0, stderr);
    const names = (JSON.parse(stdout) as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
    assert.ok(names.includes('list_clusters'), names.join(', '));
  });

  test('honours MCP_AUTH_TOKEN and ACCESS_MODE', async () => {
    const { url, token, banner } = await startSandbox({ MCP_AUTH_TOKEN: 'my-own-sandbox-token-123', ACCESS_MODE: 'read-only' });
    assert.equal(token, 'my-own-sandbox-token-123');
    assert.match(banner, /mode read-only/);
    const unauthorised = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unauthorised.status, 401);
  });

  test('prints the mcp-remote sign-in command; its demo authorization server offers alice and bob and signs one in by login_hint', async () => {
    const { url, banner } = await startSandbox({});
    assert.ok(banner.includes(`npx -y -p node@22 -p mcp-remote@${PINNED['mcp-remote']} mcp-remote ${url}`), banner);
    const challenge = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(challenge.status, 401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge.headers.get('www-authenticate') ?? '')?.[1];
    const {
      authorization_servers: [issuer],
    } = (await (await fetch(metadataUrl!)).json()) as { authorization_servers: string[] };
    const registration = await fetch(`${issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:1/cb'] }),
    });
    const { client_id: clientId } = (await registration.json()) as { client_id: string };
    const authorize = `${issuer}/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/cb')}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&resource=${encodeURIComponent(url)}`;
    const page = await (await fetch(authorize)).text();
    assert.match(page, /Alice Ops<\/a> \(groups: ops\)/);
    assert.match(page, /Bob Dev<\/a> \(groups: dev\)/);
    const signedIn = await fetch(`${authorize}&login_hint=alice`, { redirect: 'manual' });
    assert.equal(signedIn.status, 302);
    assert.match(signedIn.headers.get('location') ?? '', /^http:\/\/127\.0\.0\.1:1\/cb\?code=/);
  });
});
