import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import {
  buildLayerZip,
  ensureKubectl,
  extractKubectl,
  KUBECTL_PATH,
  KUBECTL_SHA256,
  KubectlChecksumError,
  sha256Hex,
} from './kubectl-binary.ts';

const run = promisify(execFile);

/** Read (name, unix mode) pairs from a zip's central directory. */
function zipEntryModes(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'zip has an end-of-central-directory record');
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const modes = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    assert.equal(view.getUint32(p, true), 0x02014b50);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const external = view.getUint32(p + 38, true);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLength));
    modes.set(name, external >>> 16);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return modes;
}

describe('kubectl layer binary', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubectl-layer-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('extracts a verified kubectl 1.33 that runs', async () => {
    const path = await ensureKubectl();
    assert.equal(path, KUBECTL_PATH);
    assert.equal((await stat(path)).mode & 0o777, 0o755);
    const { stdout } = await run(path, ['version', '--client']);
    assert.match(stdout, /Client Version: v1\.33\.\d+/);
  });

  it('replaces a binary whose checksum differs from the pin', async () => {
    const destination = join(dir, 'bin', 'kubectl');
    await ensureKubectl({ destination });
    await writeFile(destination, 'tampered');
    await ensureKubectl({ destination });
    assert.equal(sha256Hex(await readFile(destination)), KUBECTL_SHA256);
  });

  it('refuses tampered bytes with a clear error', async () => {
    const tampered = zipSync({ 'kubectl/kubectl': new TextEncoder().encode('#!/bin/sh\necho pwned\n') });
    assert.throws(
      () => extractKubectl(tampered),
      (err: unknown) => err instanceof KubectlChecksumError && err.expected === KUBECTL_SHA256 && /refusing to use it/.test(err.message),
    );
    const sourceZip = join(dir, 'tampered-layer.zip');
    await writeFile(sourceZip, tampered);
    const destination = join(dir, 'never', 'kubectl');
    await assert.rejects(ensureKubectl({ sourceZip, destination }), KubectlChecksumError);
    await assert.rejects(stat(destination), { code: 'ENOENT' });
  });

  it('refuses a zip without kubectl', () => {
    const zip = zipSync({ 'helm/helm': new Uint8Array([1, 2, 3]) });
    assert.throws(() => extractKubectl(zip), /has no kubectl\/kubectl entry/);
  });

  it('writes a layer zip with bin/kubectl at mode 0755', async () => {
    const output = await buildLayerZip({ output: join(dir, 'layer.zip') });
    const zip = new Uint8Array(await readFile(output));
    const modes = zipEntryModes(zip);
    assert.equal(modes.get('bin/kubectl'), 0o100755);
    assert.deepEqual([...modes.keys()].sort(), ['bin/', 'bin/kubectl']);
    const files = unzipSync(zip, { filter: (f) => f.name === 'bin/kubectl' });
    assert.equal(sha256Hex(files['bin/kubectl']!), KUBECTL_SHA256);
  });
});
