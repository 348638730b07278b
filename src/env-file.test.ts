import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from './config.ts';
import { loadEnvFile } from './env-file.ts';

let root: string;
let count = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'ack-mcp-env-file-'));
});
after(() => rm(root, { recursive: true, force: true }));

/** A fresh directory holding `.env` with `content` (or no `.env` when undefined). */
async function directoryWith(content?: string): Promise<string> {
  const dir = join(root, String((count += 1)));
  await mkdir(dir);
  if (content !== undefined) await writeFile(join(dir, '.env'), content);
  return dir;
}

const PYTHON_ENV = [
  "# the Python server's .env",
  'HTTP_PORT=8080',
  'ALIYUN_REGION="cn-beijing"',
  "MCP_AUTH_TOKEN='your-secret-token'",
  'export ACCESS_KEY_ID=LTAI5tPythonServerKey0001  # inline comment',
  'ACCESS_SECRET_KEY=PythonServerSecretAbcdefg01',
  '',
].join('\n');

describe('loadEnvFile', () => {
  test('fills the environment from a Python-style .env: quotes, export and comments as dotenv reads them', async () => {
    const env: Record<string, string | undefined> = {};
    const load = loadEnvFile(env, await directoryWith(PYTHON_ENV));
    assert.deepEqual(env, {
      HTTP_PORT: '8080',
      ALIYUN_REGION: 'cn-beijing',
      MCP_AUTH_TOKEN: 'your-secret-token',
      ACCESS_KEY_ID: 'LTAI5tPythonServerKey0001',
      ACCESS_SECRET_KEY: 'PythonServerSecretAbcdefg01',
    });
    assert.deepEqual(load?.loaded, ['HTTP_PORT', 'ALIYUN_REGION', 'MCP_AUTH_TOKEN', 'ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
    assert.deepEqual(load?.kept, []);
  });

  test('the real environment wins, even when a variable is set to an empty value', async () => {
    const env: Record<string, string | undefined> = { HTTP_PORT: '9001', MCP_AUTH_TOKEN: '' };
    const load = loadEnvFile(env, await directoryWith(PYTHON_ENV));
    assert.equal(env.HTTP_PORT, '9001');
    assert.equal(env.MCP_AUTH_TOKEN, '');
    assert.equal(env.ALIYUN_REGION, 'cn-beijing');
    assert.deepEqual(load?.kept, ['HTTP_PORT', 'MCP_AUTH_TOKEN']);
  });

  test('is not read on Function Compute', async () => {
    for (const marker of [{ FC_FUNCTION_NAME: 'ack-mcp' }, { FC_INSTANCE_ID: 'c-123' }]) {
      const env: Record<string, string | undefined> = { ...marker };
      assert.equal(loadEnvFile(env, await directoryWith(PYTHON_ENV)), undefined);
      assert.deepEqual(env, marker);
    }
  });

  test('no .env: nothing happens', async () => {
    const env: Record<string, string | undefined> = {};
    assert.equal(loadEnvFile(env, await directoryWith()), undefined);
    assert.deepEqual(env, {});
  });

  test('a .env that cannot be read stops the start with one line saying what to do', async () => {
    const dir = await directoryWith();
    await mkdir(join(dir, '.env'));
    assert.throws(
      () => loadEnvFile({}, dir),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^Cannot read .*\.env \(EISDIR\): fix its permissions, or remove it/);
        return true;
      },
    );
    const big = await directoryWith(`A=${'x'.repeat(1024 * 1024)}\n`);
    assert.throws(() => loadEnvFile({}, big), /\.env is 1048579 bytes, more than a settings file holds/);
  });
});
