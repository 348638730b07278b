/**
 * The FC entry's loader: the application bundle runs as a CommonJS module (its `require`, `module`, `__dirname`),
 * with its V8 code cache when V8 accepts it, and compiled from source otherwise (no cache, a foreign or damaged one).
 * Each load runs in a fresh process, as on FC: within one process V8's own compilation cache would answer a second
 * compile of the same source without looking at the code cache.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { CodeCacheUse } from '../../src/main.ts';
import { APP_FILE, CODE_CACHE_FILE, COMMONJS_WRAPPER } from './package-files.ts';

interface Loaded {
  codeCache: CodeCacheUse;
  sum: number;
  joined: string;
  dir: string;
  self: boolean;
}

/** Loads the app in a fresh Node process (and writes its code cache when `writeTo` is given); returns what it saw. */
async function loadInChild(dir: string, writeTo?: string): Promise<Loaded> {
  const script = `
    const { loadApp } = await import(${JSON.stringify(new URL('./load-app.ts', import.meta.url).href)});
    const app = loadApp(${JSON.stringify(dir)});
    const { add, joined, dir, self } = app.exports;
    const sum = add(2, 3);
    ${writeTo ? `app.writeCodeCache(${JSON.stringify(writeTo)});` : ''}
    process.stdout.write(JSON.stringify({ codeCache: app.codeCache, sum, joined, dir, self }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  return JSON.parse(stdout) as Loaded;
}

const BODY = `
const { join } = require('node:path');
exports.add = (a, b) => a + b;
exports.joined = join('a', 'b');
exports.dir = __dirname;
exports.self = module.exports === exports;
`;
/** The bundle as the build writes it: inside CommonJS's module wrapper. */
const wrapped = (body: string) => `${COMMONJS_WRAPPER.head}${body}${COMMONJS_WRAPPER.tail}\n`;
const SOURCE = wrapped(BODY);

describe('loadApp: the application bundle with its code cache', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ack-mcp-load-app-'));
    await writeFile(join(dir, APP_FILE), SOURCE);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const works = (loaded: Loaded) => {
    assert.equal(loaded.sum, 5);
    assert.equal(loaded.joined, join('a', 'b'));
    assert.equal(loaded.dir, dir);
    assert.equal(loaded.self, true);
  };

  it('runs the bundle as a CommonJS module, without a cache when the package has none', async () => {
    const loaded = await loadInChild(dir, join(dir, CODE_CACHE_FILE));
    assert.equal(loaded.codeCache, 'absent');
    works(loaded);
  });

  it('uses the cache it wrote for the same source on the same Node', async () => {
    assert.ok((await readFile(join(dir, CODE_CACHE_FILE))).length > 0);
    const loaded = await loadInChild(dir);
    assert.equal(loaded.codeCache, 'used');
    works(loaded);
  });

  it('compiles from source when V8 refuses the cache (damaged, or made for another source), and says so', async () => {
    const cache = await readFile(join(dir, CODE_CACHE_FILE));
    await writeFile(join(dir, CODE_CACHE_FILE), Buffer.from(cache.map((byte, i) => (i < 64 ? byte ^ 0xff : byte))));
    const damaged = await loadInChild(dir);
    assert.equal(damaged.codeCache, 'rejected');
    works(damaged);

    await writeFile(join(dir, CODE_CACHE_FILE), cache);
    await writeFile(join(dir, APP_FILE), wrapped(`${BODY}\nexports.more = 'a longer source than the cache was made for';\n`));
    const changed = await loadInChild(dir);
    assert.equal(changed.codeCache, 'rejected');
    works(changed);
  });

  it('refuses a bundle that is not wrapped as a module function, saying to rebuild', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'ack-mcp-load-app-bare-'));
    try {
      await writeFile(join(bare, APP_FILE), BODY);
      await assert.rejects(loadInChild(bare), /is not wrapped as a CommonJS module function .*: rebuild the package/);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});
