/** The real entry point, spawned as a process: secure defaults and a clean configuration error. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

describe('starting the server', () => {
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
      const line = JSON.parse(output().stdout.split('\n').find((l) => l.includes('"listening"'))!) as { url: string; tokens: string[] };
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
});
