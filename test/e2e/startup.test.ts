/** The real entry point, spawned as a process: secure defaults, clean one-line errors, warnings an operator can act on. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

async function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { PATH: process.env.PATH ?? '', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return { child, output: () => ({ stdout, stderr }) };
}

/** The first JSON line the child wrote (or will write) to stdout that `matches`. */
function logLine(started: Awaited<ReturnType<typeof run>>, matches: (entry: Record<string, any>) => boolean): Promise<Record<string, any>> {
  const { child, output } = started;
  const find = () =>
    output()
      .stdout.split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line) as Record<string, any>)
      .find(matches);
  return new Promise((resolve, reject) => {
    const check = () => {
      const entry = find();
      if (!entry) return;
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      resolve(entry);
    };
    const onExit = () => reject(new Error('the process ended before the line appeared'));
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** A port something else already listens on. */
async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** One line on stderr, no stack trace. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  assert.ok(!/\n\s+at /.test(stderr), 'no stack trace');
}

describe('starting the server', () => {
  test('AUTH_MODE=oauth with a mapping to a malformed ARN: one line naming it, exit 78', async () => {
    const { child, output } = await run({
      AUTH_MODE: 'oauth',
      OAUTH_ISSUER: 'https://idp.example.com',
      OAUTH_RESOURCE: 'https://mcp.example.com/mcp',
      OAUTH_ROLE_MAPPING: 'groups=ops=>acs:ram::123:role/ops',
    });
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 78);
    assertOneLine(output().stderr, /^ack-mcp-server: OAUTH_ROLE_MAPPING: "acs:ram::123:role\/ops" is not a RAM role ARN/);
  });

  test('with no token and the function role allowed, it refuses to start and says how to fix it', async () => {
    const { child, output } = await run({});
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 78);
    assert.match(output().stderr, /Refusing to start: no MCP_AUTH_TOKEN/);
    assert.ok(!/\n\s+at /.test(output().stderr), 'no stack trace');
  });

  test('with a token it starts and logs where it listens, without the token', async () => {
    const secret = 'startup-test-token-0123456789';
    const { child, output } = await run({ MCP_AUTH_TOKEN: secret });
    try {
      for await (const _ of child.stdout) {
        if (output().stdout.includes('"event":"listening"')) break;
      }
      const line = JSON.parse(
        output()
          .stdout.split('\n')
          .find((l) => l.includes('"listening"'))!,
      ) as { url: string; tokens: string[] };
      assert.match(line.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(line.tokens, ['default']);
      assert.ok(!output().stdout.includes(secret));
      const health = await fetch(`${line.url}/healthz`);
      assert.equal(health.status, 200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  test('a port already in use stops the start with one clear line and a non-zero exit', async () => {
    const taken = await takenPort();
    try {
      const { child, output } = await run({ MCP_AUTH_TOKEN: 'startup-test-token-0123456789', PORT: String(taken.port) });
      const [code] = (await once(child, 'exit')) as [number];
      assert.equal(code, 1);
      assertOneLine(
        output().stderr,
        new RegExp(`^ack-mcp-server: Cannot listen on 127\\.0\\.0\\.1:${taken.port}: the port is already in use\\. .*set PORT`),
      );
    } finally {
      taken.server.close();
    }
  });

  test("started open (callers' own keys only, no token) it logs a warning saying so", { timeout: 20_000 }, async () => {
    const started = await run({ CREDENTIAL_SOURCES: 'caller' });
    const { child } = started;
    try {
      const warning = await logLine(started, (entry) => entry.event === 'open_endpoint');
      assert.equal(warning.level, 'warn');
      assert.match(warning.message, /No MCP_AUTH_TOKEN is set: anyone who can reach this endpoint can call the tools/);
    } finally {
      await stop(child);
    }
  });

  test('with a token it logs no open-endpoint warning', async () => {
    const started = await run({ MCP_AUTH_TOKEN: 'startup-test-token-0123456789', CREDENTIAL_SOURCES: 'caller' });
    const { child, output } = started;
    try {
      await logLine(started, (entry) => entry.event === 'listening');
      assert.ok(!output().stdout.includes('open_endpoint'));
    } finally {
      await stop(child);
    }
  });

  test('when the default credential chain finds nothing, the log says why (paths cut to file names), the caller gets NoCredentials', {
    timeout: 20_000,
  }, async () => {
    const home = await mkdtemp(join(tmpdir(), 'ack-mcp-home-'));
    const token = 'startup-test-token-0123456789';
    const started = await run({ MCP_AUTH_TOKEN: token, CREDENTIAL_SOURCES: 'default', HOME: home });
    const { child, output } = started;
    try {
      const listening = await logLine(started, (entry) => entry.event === 'listening');
      const response = await fetch(`${listening.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_clusters', arguments: {} } }),
      });
      const body = (await response.json()) as { result: { isError: boolean; content: Array<{ text: string }> } };
      assert.match(body.result.content[0]!.text, /^Error NoCredentials/);
      const event = await logLine(started, (entry) => entry.event === 'default_credentials_unavailable');
      assert.equal(event.level, 'warn');
      assert.match(event.reason, /unable to get credentials from any of the providers in the chain/);
      assert.match(event.reason, /…\/credentials/);
      assert.ok(!event.reason.includes(home), 'no local path');
      assert.ok(!output().stdout.includes(token));
    } finally {
      await stop(child);
      await rm(home, { recursive: true, force: true });
    }
  });
});
