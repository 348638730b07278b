/**
 * Zip a directory the way Function Compute needs it, and unpack such a zip the way FC does.
 * Unix modes travel in the entries' external attributes, so `bootstrap` stays executable; a fixed
 * mtime makes the same files give the same bytes (and so the same code checksum on FC).
 */
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';

const FIXED_MTIME = new Date('2025-01-01T00:00:00Z');

async function walk(root: string, dir: string, out: Zippable): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const name = relative(root, path).split(sep).join('/');
    const { mode } = await stat(path);
    if (entry.isDirectory()) {
      out[`${name}/`] = [new Uint8Array(0), { os: 3, attrs: (0o40000 | (mode & 0o777)) * 0x10000, mtime: FIXED_MTIME }];
      await walk(root, path, out);
    } else if (entry.isFile()) {
      out[name] = [
        new Uint8Array(await readFile(path)),
        { os: 3, attrs: (0o100000 | (mode & 0o777)) * 0x10000, mtime: FIXED_MTIME, level: 9 },
      ];
    }
  }
}

/** The zip of every file under `dir` (paths relative to it), with unix modes. */
export async function zipDirectory(dir: string): Promise<Uint8Array> {
  const files: Zippable = {};
  await walk(dir, dir, files);
  return zipSync(files);
}

/** Unix mode of each entry, read from the zip's central directory. */
export function zipEntryModes(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd -= 1;
  if (eocd < 0) throw new Error('not a zip: no end-of-central-directory record');
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const modes = new Map<string, number>();
  for (let i = 0; i < count; i += 1) {
    if (view.getUint32(offset, true) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const external = view.getUint32(offset + 38, true);
    const name = new TextDecoder().decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    modes.set(name, external >>> 16);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return modes;
}

/** Unpack a zip into `dir` as FC does (code under /code, layers under /opt), keeping unix modes. */
export async function extractZip(zip: Uint8Array, dir: string): Promise<string[]> {
  const modes = zipEntryModes(zip);
  const files = unzipSync(zip);
  const written: string[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    if (name.split('/').includes('..')) throw new Error(`zip entry escapes the target: ${name}`);
    const target = join(dir, name);
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
    const mode = (modes.get(name) ?? 0o100644) & 0o777;
    await chmod(target, mode || 0o644);
    written.push(name);
  }
  return written;
}
