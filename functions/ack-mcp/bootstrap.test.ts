/**
 * The order in which `bootstrap` picks Node: FC's custom.debian10 runtime, else the official
 * Nodejs20 layer under /opt, else `node` on PATH. Tested on a copy whose two absolute prefixes are
 * replaced (by text, in the copy only) with temporary directories holding stub `node` scripts that
 * report who they are, so the real file stays exactly what FC runs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { bootstrapNodeFlags } from '../../scripts/build/fc-node.ts';

const BOOTSTRAP = join(dirname(fileURLToPath(import.meta.url)), 'bootstrap');
const RUNTIME_NODE = '/var/fc/lang/nodejs20/bin/node';
const LAYER_NODE = '/opt/nodejs20/bin/node';
/**
 * What bootstrap passes to node before index.cjs: nothing. A V8 flag would make V8 refuse the compiled code Node ships for
 * its own modules (docs/performance.md).
 */
const NODE_FLAGS: string[] = [];

interface Picked {
  node: string;
  pid: number;
  /** MALLOC_ARENA_MAX as node sees it. */
  arenas: string;
  /** MALLOC_TRIM_THRESHOLD_ as node sees it. */
  trimThreshold: string;
  args: string[];
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; path: string; env?: Record<string, string> },
): Promise<{ picked: Picked; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { cwd: options.cwd, env: { PATH: options.path, ...options.env } }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`));
      const [node, pid, arenas, trimThreshold, ...rest] = stdout.split('\n').slice(0, -1);
      resolve({ picked: { node: node!, pid: Number(pid), arenas: arenas!, trimThreshold: trimThreshold!, args: rest }, pid: child.pid! });
    });
  });
}

describe('bootstrap picks the Node that FC provides', () => {
  let root: string;
  let codeDir: string;
  let bootstrap: string;
  const stubDir = (name: string) => join(root, name);
  const path = () => `${stubDir('path')}:/usr/bin:/bin`;

  async function stub(name: string, mode = 0o755): Promise<void> {
    await mkdir(stubDir(name), { recursive: true });
    // Prints which stub ran, its pid (the same as bootstrap's when bootstrap execs it), MALLOC_ARENA_MAX,
    // MALLOC_TRIM_THRESHOLD_ and its arguments.
    await writeFile(
      join(stubDir(name), 'node'),
      `#!/bin/sh\nprintf '%s\\n' ${name} $$ "\${MALLOC_ARENA_MAX-unset}" "\${MALLOC_TRIM_THRESHOLD_-unset}" "$@"\n`,
    );
    await chmod(join(stubDir(name), 'node'), mode);
  }

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'ack-mcp-bootstrap-'));
    codeDir = join(root, 'code');
    await mkdir(codeDir);
    bootstrap = join(codeDir, 'bootstrap');
    const text = await readFile(BOOTSTRAP, 'utf8');
    for (const prefix of [RUNTIME_NODE, LAYER_NODE]) {
      assert.equal(text.split(prefix).length - 1, 1, `bootstrap names ${prefix} once`);
    }
    assert.ok(text.indexOf(RUNTIME_NODE) < text.indexOf(LAYER_NODE), 'the runtime Node is tried before the layer Node');
    const copy = text.replace(RUNTIME_NODE, join(stubDir('runtime'), 'node')).replace(LAYER_NODE, join(stubDir('layer'), 'node'));
    await writeFile(bootstrap, copy);
    await chmod(bootstrap, 0o755);
    for (const name of ['runtime', 'layer', 'path']) await stub(name);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('runs the runtime Node (custom.debian10) when it is there, with its flags, index.cjs beside bootstrap and the arguments', async () => {
    const { picked, pid } = await run(bootstrap, ['a b', 'c'], { cwd: root, path: path() });
    assert.equal(picked.node, 'runtime');
    assert.deepEqual(picked.args, [...NODE_FLAGS, join(codeDir, 'index.cjs'), 'a b', 'c']);
    assert.equal(picked.pid, pid, 'bootstrap execs node: no shell is left between FC and node');
    assert.equal(picked.arenas, '2', 'two malloc arenas (docs/performance.md)');
    assert.equal(picked.trimThreshold, '131072', 'a fixed malloc trim threshold (docs/performance.md)');
  });

  it('names its flags where the build reads them (the code cache is written with the flags node runs with)', () => {
    assert.deepEqual(bootstrapNodeFlags(BOOTSTRAP), NODE_FLAGS);
  });

  it('keeps a MALLOC_ARENA_MAX and a MALLOC_TRIM_THRESHOLD_ the function sets', async () => {
    const { picked } = await run(bootstrap, [], { cwd: root, path: path(), env: { MALLOC_ARENA_MAX: '4', MALLOC_TRIM_THRESHOLD_: '0' } });
    assert.equal(picked.arenas, '4');
    assert.equal(picked.trimThreshold, '0');
  });

  it('falls back to the Nodejs20 layer Node when the runtime Node is missing or not executable', async () => {
    await chmod(join(stubDir('runtime'), 'node'), 0o644);
    assert.equal((await run(bootstrap, [], { cwd: root, path: path() })).picked.node, 'layer');
    await rm(stubDir('runtime'), { recursive: true });
    assert.equal((await run(bootstrap, [], { cwd: root, path: path() })).picked.node, 'layer');
  });

  it('falls back to node on PATH when neither FC Node is there', async () => {
    await rm(stubDir('runtime'), { recursive: true, force: true });
    await rm(stubDir('layer'), { recursive: true });
    const { picked } = await run(bootstrap, [], { cwd: root, path: path() });
    assert.equal(picked.node, 'path');
    assert.deepEqual(picked.args, [...NODE_FLAGS, join(codeDir, 'index.cjs')]);
  });

  it('finds index.cjs beside itself when started by a relative path', async () => {
    const { picked } = await run('./bootstrap', [], { cwd: codeDir, path: path() });
    assert.deepEqual(picked.args, [...NODE_FLAGS, './index.cjs']);
  });

  it('fails (does not hang or pick something else) when no Node is anywhere', async () => {
    await rm(stubDir('path'), { recursive: true, force: true });
    await assert.rejects(run(bootstrap, [], { cwd: root, path: '/nonexistent' }), /node/);
  });
});
