/**
 * Coming from the Python ACK MCP server: its `.env`, unchanged, starts this server. The real entry (`npm start` runs
 * `tsx src/main.ts`) is spawned in a temporary directory holding that `.env`; it listens on HTTP_PORT, signs with
 * ACCESS_KEY_ID / ACCESS_SECRET_KEY, sends region-less calls to ALIYUN_REGION, and warns once per alias. The real
 * environment still wins over the file.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startFullEmulator, type FullEmulator } from '../emulator/full-emulator.ts';
import { freePort } from '../fc/fc-instance.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

const FILE_TOKEN = 'python-dotenv-token-0001';
const REAL_TOKEN = 'real-environment-token-0001';

type LogEntry = Record<string, any>;

let emulator: FullEmulator;
let directory: string;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let port: number;

const entries = (): LogEntry[] =>
  stdout
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as LogEntry);

/** Resolves with the first log line that `matches`, as soon as the server writes it. */
function logLine(matches: (entry: LogEntry) => boolean): Promise<LogEntry> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const entry = entries().find(matches);
      if (!entry) return;
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      resolve(entry);
    };
    const onExit = () => reject(new Error(`the server ended before the line appeared:\n${stderr}`));
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

async function mcp(method: string, params: Record<string, unknown>, token = REAL_TOKEN) {
  const response = await fetch(`http://127.0.0.1:${port}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

before(async () => {
  emulator = await startFullEmulator();
  const key = emulator.world.accounts[0]!.accessKeys[0]!;
  port = await freePort();
  directory = await mkdtemp(join(tmpdir(), 'ack-mcp-python-env-'));
  await writeFile(
    join(directory, '.env'),
    [
      '# .env of the Python ACK MCP server, unchanged',
      `HTTP_PORT=${port}`,
      'ALIYUN_REGION="cn-beijing"',
      `MCP_AUTH_TOKEN="${FILE_TOKEN}"`,
      `ACCESS_KEY_ID=${key.accessKeyId}`,
      `ACCESS_SECRET_KEY=${key.accessKeySecret}`,
      '',
    ].join('\n'),
  );
  child = spawn(process.execPath, ['--import', tsxLoader, main], {
    cwd: directory,
    // The emulator's endpoints, and a token that must win over the file's.
    env: { PATH: process.env.PATH ?? '', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...emulator.serverEnv, MCP_AUTH_TOKEN: REAL_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
});

after(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  await emulator.close();
  await rm(directory, { recursive: true, force: true });
});

describe('a Python-server .env in the working directory', () => {
  test('starts the server on HTTP_PORT, with one warning per alias naming it', async () => {
    const listening = await logLine((entry) => entry.event === 'listening');
    assert.equal(listening.url, `http://127.0.0.1:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const file = entries().find((entry) => entry.event === 'env_file')!;
    assert.deepEqual(file.loaded, ['HTTP_PORT', 'ALIYUN_REGION', 'ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
    assert.deepEqual(file.keptFromEnvironment, ['MCP_AUTH_TOKEN']);
    const warnings = entries().filter((entry) => entry.event === 'setting_alias');
    assert.deepEqual(
      warnings.map((entry) => [entry.level, entry.alias, entry.setting, entry.outcome]),
      [
        ['warn', 'HTTP_PORT', 'PORT', 'used'],
        ['warn', 'ALIYUN_REGION', 'DEFAULT_REGION', 'used'],
        ['warn', 'ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'used'],
        ['warn', 'ACCESS_SECRET_KEY', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'used'],
      ],
    );
    assert.match(warnings[0]!.message, /^HTTP_PORT \(a Python ACK MCP server's name\) is read as PORT: rename it\.$/);
  });

  test('the real environment wins over the file: its token is the one accepted', async () => {
    await logLine((entry) => entry.event === 'listening');
    assert.equal((await mcp('tools/list', {})).status, 200);
    assert.equal((await mcp('tools/list', {}, FILE_TOKEN)).status, 403, 'a token that is not the accepted one');
  });

  test('calls are signed with ACCESS_KEY_ID / ACCESS_SECRET_KEY, and a task without cluster goes to ALIYUN_REGION', async () => {
    await logLine((entry) => entry.event === 'listening');
    const key = emulator.world.accounts[0]!.accessKeys[0]!;
    const listed = await mcp('tools/call', { name: 'list_clusters', arguments: {} });
    assert.equal(listed.body.result.isError, undefined, JSON.stringify(listed.body));
    assert.deepEqual(
      new Set(listed.body.result.structuredContent.clusters.map((cluster: { name: string }) => cluster.name)),
      new Set(emulator.world.accounts[0]!.clusters.map((cluster) => cluster.name)),
    );
    assert.deepEqual(
      emulator.callLog.of('DescribeClustersV1').map((record) => record.accessKeyId),
      [key.accessKeyId],
    );
    const task = await mcp('tools/call', { name: 'describe_task_info', arguments: { task_id: 'T-000000000000000000000000' } });
    assert.match(task.body.result.content[0].text, /^Error ErrorTaskNotFound: /);
    assert.deepEqual(
      emulator.callLog.of('DescribeTaskInfo').map((record) => record.endpoint),
      ['cn-beijing'],
    );
  });

  test('no secret from the file reaches the log', async () => {
    await logLine((entry) => entry.event === 'listening');
    const key = emulator.world.accounts[0]!.accessKeys[0]!;
    for (const secret of [key.accessKeySecret, key.accessKeyId, FILE_TOKEN, REAL_TOKEN])
      assert.ok(!stdout.includes(secret) && !stderr.includes(secret));
  });
});
