/**
 * esbuild plugin: leaves out of the bundle modules the server never runs, which a cold
 * start would otherwise parse (together over half of the start-up JavaScript):
 *
 * - zod's 40-odd message locales (`zod/v4/locales/index.js`): zod itself configures English from
 *   `locales/en.js` directly; only `z.locales.*` would reach the others. Kept: `en`.
 * - the MCP SDK's Ajv provider (v2: `dist/ajvProvider-*.mjs`, ajv and ajv-formats bundled in it,
 *   reached through `shimsNode.mjs`): the SDK server uses it only to check elicitation answers, and
 *   `src/mcp/build-server.ts` passes its own validator.
 *   The stand-in throws if it is ever constructed, so a change there fails loudly in the
 *   FC-faithful test instead of silently.
 *
 * - `node:http2` as imported by @hono/node-server, which needs it only for `instanceof
 *   Http2ServerRequest` checks: the server is created with `node:http` (FC speaks HTTP/1.1 to the
 *   instance), so no request is ever an HTTP/2 one, and loading the http2 module costs a cold start ~7 ms.
 *
 * - what @darabonba/typescript (the @alicloud SDKs' runtime) requires for features no bundled SDK calls: `ws` and
 *   `socks-proxy-agent` (with `ip-address`, `smart-buffer`) for its WebSocket client (`websocket.js`), `moment` for
 *   `$dara.Date` (`date.js`), `lodash` for `$dara.merge` (`func.js`), and xml2js's `xmlbuilder` for `$dara.XML.toXML`
 *   (XML parsing stays): ~320 KB that every first cloud call parsed (docs/performance.md). Each is used only inside
 *   functions of those files, never at load; the stand-ins throw if one is ever called, so a change fails loudly in
 *   the FC-faithful test instead of silently.
 *
 * The build refuses to run if source code starts to use the first two (`z.locales`, `AjvJsonSchemaValidator`).
 */
import type { Plugin } from 'esbuild';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ZOD_LOCALES = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;
const AJV_PROVIDER =
  /[\\/]@modelcontextprotocol[\\/](sdk[\\/]dist[\\/]esm[\\/]validation[\\/]ajv-provider\.js|server[\\/]dist[\\/]ajvProvider-[\w-]+\.mjs)$/;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

/** @throws Error naming the file when source code uses what the bundle leaves out. */
export async function assertTrimmedModulesUnused(srcDir: string): Promise<void> {
  for await (const file of sourceFiles(srcDir)) {
    const text = await readFile(file, 'utf8');
    if (/\bz\.locales\b|zod\/v4\/locales|zod\/locales/.test(text))
      throw new Error(`${file} uses zod locales, which the bundle leaves out (scripts/build/trim-modules.ts)`);
    if (/AjvJsonSchemaValidator|from 'ajv'/.test(text))
      throw new Error(`${file} uses Ajv, which the bundle leaves out (scripts/build/trim-modules.ts)`);
  }
}

/** Module → [the only importer it is replaced for, its stand-in]. */
const SDK_RUNTIME_UNUSED: Record<string, [RegExp, string]> = {
  ws: [
    /[\\/]@darabonba[\\/]typescript[\\/]dist[\\/]websocket\.js$/,
    'module.exports = class WebSocket { constructor() { throw new Error(NOT_BUNDLED); } };',
  ],
  'socks-proxy-agent': [
    /[\\/]@darabonba[\\/]typescript[\\/]dist[\\/]websocket\.js$/,
    'exports.SocksProxyAgent = class SocksProxyAgent { constructor() { throw new Error(NOT_BUNDLED); } };',
  ],
  moment: [
    /[\\/]@darabonba[\\/]typescript[\\/]dist[\\/]date\.js$/,
    'module.exports = function moment() { throw new Error(NOT_BUNDLED); };',
  ],
  lodash: [/[\\/]@darabonba[\\/]typescript[\\/]dist[\\/]func\.js$/, 'exports.merge = function merge() { throw new Error(NOT_BUNDLED); };'],
  xmlbuilder: [/[\\/]xml2js[\\/]lib[\\/]builder\.js$/, 'exports.create = function create() { throw new Error(NOT_BUNDLED); };'],
};

export function trimUnusedModules(): Plugin {
  return {
    name: 'trim-unused-modules',
    setup(build) {
      build.onResolve({ filter: /^(ws|socks-proxy-agent|moment|lodash|xmlbuilder)$/ }, (args) =>
        SDK_RUNTIME_UNUSED[args.path]![0].test(args.importer) ? { path: args.path, namespace: 'sdk-runtime-unused' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'sdk-runtime-unused' }, (args) => ({
        contents: `const NOT_BUNDLED = "${args.path} is not bundled: the SDK runtime feature that needs it is not used (scripts/build/trim-modules.ts)";\n${SDK_RUNTIME_UNUSED[args.path]![1]}`,
        loader: 'js',
      }));
      build.onResolve({ filter: /^(node:)?http2$/ }, (args) =>
        /[\\/]@hono[\\/]node-server[\\/]/.test(args.importer) ? { path: 'http2-stand-in', namespace: 'trim-unused-modules' } : undefined,
      );
      build.onLoad({ filter: /^http2-stand-in$/, namespace: 'trim-unused-modules' }, () => ({
        contents: 'export class Http2ServerRequest {}\nexport const constants = { NGHTTP2_NO_ERROR: 0 };',
        loader: 'js',
      }));
      build.onLoad({ filter: ZOD_LOCALES }, () => ({ contents: 'export { default as en } from "./en.js";', loader: 'js' }));
      build.onLoad({ filter: AJV_PROVIDER }, () => ({
        contents:
          'export class AjvJsonSchemaValidator { constructor() { throw new Error("Ajv is not bundled: pass jsonSchemaValidator to the MCP Server (src/mcp/build-server.ts)"); } }\nexport { AjvJsonSchemaValidator as n };',
        loader: 'js',
      }));
    },
  };
}
