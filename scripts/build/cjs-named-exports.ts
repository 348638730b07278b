/**
 * esbuild plugin: gives a lazily imported CommonJS package the named exports Node gives it.
 *
 * Node's ESM loader exposes a CommonJS module's `exports.X` as a named export `X` (besides
 * `default`). With code splitting, esbuild turns `import('pkg')` into an import of a chunk whose
 * only export is `default`, so `(await import('@alicloud/openapi-core')).$OpenApiUtil` is
 * undefined in the bundle although it works under tsx. This plugin puts a small ESM module in
 * front of each such package: `default` is `module.exports` (as in Node) and every own key of the
 * exports becomes a named export, read at build time by requiring the package.
 */
import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const NAMESPACE = 'cjs-named-exports';

function isCommonJs(file: string): boolean {
  if (file.endsWith('.mjs')) return false;
  if (file.endsWith('.cjs')) return true;
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string; name?: string };
      if (manifest.name || manifest.type) return manifest.type !== 'module';
    } catch {
      // no package.json here: look further up
    }
  }
  return true;
}

export function cjsNamedExports(): Plugin {
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === NAMESPACE) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: 'dynamic-import',
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: NAMESPACE,
        });
        if (resolved.errors.length > 0 || resolved.external || !isCommonJs(resolved.path)) return undefined;
        return { path: resolved.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const exported = createRequire(args.path)(args.path) as Record<string, unknown>;
        const names = Object.keys(exported).filter(
          (name) => name !== 'default' && name !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(name),
        );
        const lines = [`const m = require(${JSON.stringify(args.path)});`, 'export default m;'];
        for (const [i, name] of names.entries()) lines.push(`const n${i} = m[${JSON.stringify(name)}];`, `export { n${i} as ${name} };`);
        return { contents: lines.join('\n'), resolveDir: dirname(args.path), loader: 'js' };
      });
    },
  };
}
