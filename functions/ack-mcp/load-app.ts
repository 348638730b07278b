/**
 * Loads the application bundle (`app.cjs`, CommonJS) with the V8 code cache the build made for it (`app.cache`).
 *
 * Node 20 keeps no compile cache for user code (`module.enableCompileCache` is Node 22), so without one a fresh
 * instance parses and compiles the code its first calls run: ~65 ms for the whole bundle on FC's 2-core class of
 * machine. A `vm.Script` given the cache V8 produced for the same source, on the same Node and flags, deserializes
 * the compiled code instead (~10 ms). A cache V8 does not accept (another Node, other flags, another source) is
 * ignored: the script compiles as if there were none, and `codeCache` says so (`rejected`), as does the server's
 * `listening` log line.
 *
 * The bundle is the function CommonJS's loader would wrap it in (`COMMONJS_WRAPPER`, written by the build) and ASCII
 * only, so its text goes to V8 as read, as latin1: one string. Read as UTF-8 and wrapped here, the source was held
 * twice (as far as we can tell: the string read, until a full collection, and the concatenation V8 flattened to
 * compile): an idle instance's RSS was 84.4 MB against 80.0 MB now (interleaved, 4 runs each; docs/performance.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import type { CodeCacheUse } from '../../src/main.ts';
import { APP_FILE, CODE_CACHE_FILE, COMMONJS_WRAPPER } from './package-files.ts';

export interface LoadedApp<T> {
  exports: T;
  codeCache: CodeCacheUse;
  /** Writes the cache of everything compiled so far (the build calls it after warming the code up). */
  writeCodeCache(file: string): void;
}

export function loadApp<T>(dir: string): LoadedApp<T> {
  const file = join(dir, APP_FILE);
  // ASCII only (esbuild's `charset: 'ascii'`, checked by the build): as latin1 the text is the bytes, no UTF-8 decoding.
  const source = readFileSync(file, 'latin1');
  if (!source.startsWith(COMMONJS_WRAPPER.head))
    throw new Error(`${file} is not wrapped as a CommonJS module function (${COMMONJS_WRAPPER.head}…): rebuild the package`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(join(dir, CODE_CACHE_FILE));
  } catch {
    // built without a cache: compiled from source
  }
  const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const codeCache: CodeCacheUse = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dir);
  return { exports: module.exports, codeCache, writeCodeCache: (to) => writeFileSync(to, script.createCachedData()) };
}
