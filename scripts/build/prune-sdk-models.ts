/**
 * esbuild plugin: bundles, of each @alicloud SDK, only the model classes the server can reach.
 *
 * Each SDK's `dist/models/model.js` re-exports every model of the product (cs: ~1,200 files,
 * CloudMonitor ~1,500, Log Service ~1,300), and the client requires that index, so a bundle holds
 * them all: ~1 MB of JavaScript per SDK that an instance parses when it first calls the product,
 * and tens of MB of heap it keeps (measured by `npm run bench`). The server calls a dozen
 * operations, so the index is rewritten to export only:
 *
 * - the models the client's methods reference (`$_model.X`) in every method the server can call:
 *   the client methods whose names appear as identifiers in `src/` (e.g. `describeClusterNodes`),
 *   plus every method those call through `this.…(` (e.g. `describeClusterNodesWithOptions`);
 * - the models `src/` names itself (e.g. `ScaleClusterNodePoolRequest`).
 *
 * Model files require what they nest (`require("./X")`), so esbuild still bundles those. A model
 * left out is `undefined` on the index; the FC-faithful test (test/fc/) calls every tool on the
 * built package, so a missing one fails there, not on FC.
 *
 * The client class (`dist/client.js`, one method per operation: 300-500 KB per SDK) is cut the same way: it keeps its
 * constructor and the methods the server can reach (as above, and what the constructor calls). A fresh instance then
 * compiles a tenth of it on its first call of the product, and keeps less code in memory (docs/performance.md).
 */
import type { Plugin } from 'esbuild';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const PRUNED_SDKS = ['cs20151215', 'cms20190101', 'sls20201230', 'sts20150401'] as const;

const MODEL_INDEX = new RegExp(`[\\\\/]@alicloud[\\\\/](${PRUNED_SDKS.join('|')})[\\\\/]dist[\\\\/]models[\\\\/]model\\.js$`);
const METHOD_START = /^ {4}(?:async )?([a-zA-Z_$][\w$]*)\(.*\{\s*$/gm;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

/** Every identifier in the server's source (not its tests). */
export async function sourceIdentifiers(srcDir: string): Promise<Set<string>> {
  const identifiers = new Set<string>();
  for await (const file of sourceFiles(srcDir)) {
    for (const match of (await readFile(file, 'utf8')).matchAll(/[A-Za-z_$][\w$]*/g)) identifiers.add(match[0]);
  }
  return identifiers;
}

/** The client class's methods: name → body text (from its start to the next method's). */
export function clientMethods(clientJs: string): Map<string, string> {
  const starts = [...clientJs.matchAll(METHOD_START)];
  const methods = new Map<string, string>();
  starts.forEach((match, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : clientJs.length;
    methods.set(match[1]!, clientJs.slice(match.index, end));
  });
  return methods;
}

/** The model names the server can reach, given the client's source and the server's identifiers. */
export function reachableModels(clientJs: string, identifiers: Set<string>, modelNames: Set<string>): Set<string> {
  const methods = clientMethods(clientJs);
  const pending = [...methods.keys()].filter((name) => identifiers.has(name));
  const visited = new Set<string>();
  const models = new Set([...modelNames].filter((name) => identifiers.has(name)));
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (visited.has(name)) continue;
    visited.add(name);
    const body = methods.get(name) ?? '';
    for (const match of body.matchAll(/\$_model\.([\w$]+)/g)) models.add(match[1]!);
    for (const match of body.matchAll(/this\.([\w$]+)\(/g)) if (methods.has(match[1]!)) pending.push(match[1]!);
  }
  return models;
}

/** The methods of `methods` reachable from `roots` through `this.X` (calls and references). */
function reachableMethods(methods: Map<string, string>, roots: Iterable<string>): Set<string> {
  const pending = [...roots].filter((name) => methods.has(name));
  const visited = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (visited.has(name)) continue;
    visited.add(name);
    for (const match of (methods.get(name) ?? '').matchAll(/this\.([\w$]+)/g)) if (methods.has(match[1]!)) pending.push(match[1]!);
  }
  return visited;
}

const CLASS_START = /^class Client extends [\w$.]+ \{\n/m;

/**
 * `client.js` with only the constructor and the methods reachable from it and from the server's identifiers.
 * @throws Error when the file is not in the shape this plugin knows (an SDK update cannot silently drop methods).
 */
export function pruneClientMethods(clientJs: string, identifiers: Set<string>): string {
  const start = CLASS_START.exec(clientJs);
  const end = start ? clientJs.indexOf('\n}\n', start.index) : -1;
  if (!start || end < 0) throw new Error('prune-sdk-models: client.js is not in the expected shape (SDK layout changed?)');
  const bodyStart = start.index + start[0].length;
  const methods = clientMethods(clientJs.slice(bodyStart, end + 1));
  if (!methods.has('constructor')) throw new Error('prune-sdk-models: client.js has no constructor where expected (SDK layout changed?)');
  const keep = reachableMethods(methods, ['constructor', ...[...methods.keys()].filter((name) => identifiers.has(name))]);
  const kept = [...methods].filter(([name]) => keep.has(name)).map(([, text]) => text.replace(/\n*$/, '\n'));
  return `${clientJs.slice(0, bodyStart)}${kept.join('')}${clientJs.slice(end + 1)}`;
}

const CLIENT_FILE = new RegExp(`[\\\\/]@alicloud[\\\\/](${PRUNED_SDKS.join('|')})[\\\\/]dist[\\\\/]client\\.js$`);

const REQUIRE_LINE = /^var ([\w$]+) = require\("\.\/([\w$]+)"\);$/;
const EXPORT_LINE =
  /^Object\.defineProperty\(exports, "([\w$]+)", \{ enumerable: true, get: function \(\) \{ return ([\w$]+)\.[\w$]+; \} \}\);$/;

/**
 * `model.js` with only the exports in `keep` (and the requires they read).
 * @throws Error when the index is not in the shape this plugin knows, so an SDK update cannot silently drop models.
 */
export function pruneModelIndex(modelJs: string, keep: Set<string>): string {
  const lines = modelJs.split('\n');
  const exports = lines.map((line) => EXPORT_LINE.exec(line)).filter((match) => match !== null);
  const requires = lines.map((line) => REQUIRE_LINE.exec(line)).filter((match) => match !== null);
  if (exports.length === 0 || requires.length === 0)
    throw new Error('prune-sdk-models: model.js is not in the expected shape (SDK layout changed?)');
  const keptVars = new Set(exports.filter((match) => keep.has(match[1]!)).map((match) => match[2]!));
  return lines
    .filter((line) => {
      const exported = EXPORT_LINE.exec(line);
      if (exported) return keep.has(exported[1]!);
      const required = REQUIRE_LINE.exec(line);
      if (required) return keptVars.has(required[1]!);
      return true;
    })
    .join('\n');
}

export function pruneSdkModels(srcDir: string): Plugin {
  return {
    name: 'prune-sdk-models',
    setup(build) {
      let identifiers: Promise<Set<string>> | undefined;
      build.onLoad({ filter: MODEL_INDEX }, async (args) => {
        const [modelJs, clientJs] = await Promise.all([
          readFile(args.path, 'utf8'),
          readFile(join(dirname(dirname(args.path)), 'client.js'), 'utf8'),
        ]);
        const modelNames = new Set([...modelJs.matchAll(EXPORT_LINE_GLOBAL)].map((match) => match[1]!));
        const keep = reachableModels(clientJs, await (identifiers ??= sourceIdentifiers(srcDir)), modelNames);
        return { contents: pruneModelIndex(modelJs, keep), loader: 'js', resolveDir: dirname(args.path) };
      });
      build.onLoad({ filter: CLIENT_FILE }, async (args) => {
        const clientJs = await readFile(args.path, 'utf8');
        return {
          contents: pruneClientMethods(clientJs, await (identifiers ??= sourceIdentifiers(srcDir))),
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

const EXPORT_LINE_GLOBAL = new RegExp(EXPORT_LINE.source.slice(1, -1), 'gm');
