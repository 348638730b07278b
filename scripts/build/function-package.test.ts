import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertAscii, escapeNonAscii, missingPrebuiltMessage } from './function-package.ts';

describe('the build without the linux x64 native addon', () => {
  const addon = '@antoniomuso/lz4-napi-linux-x64-gnu';

  it('says the package must be built on linux x64 when the machine is another platform (npm ci cannot help there)', () => {
    for (const [platform, arch] of [
      ['darwin', 'arm64'],
      ['win32', 'x64'],
      ['linux', 'arm64'],
    ] as const) {
      const message = missingPrebuiltMessage(addon, platform, arch);
      assert.match(message, new RegExp(`this machine is ${platform}-${arch}`));
      assert.match(message, /Build the package on linux x64/);
      assert.match(message, /--platform linux\/amd64/);
      assert.doesNotMatch(message, /run npm ci$/);
    }
  });

  it('says to run npm ci on linux x64, where npm does install it', () => {
    assert.equal(
      missingPrebuiltMessage(addon, 'linux', 'x64'),
      `${addon} is not installed (an optional dependency npm installs on linux x64): run npm ci`,
    );
  });
});

describe('the bundle the entry reads as latin1', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ascii-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes when every byte is ASCII and names the offset of the first byte that is not', async () => {
    const ascii = join(dir, 'ascii.cjs');
    await writeFile(ascii, 'const s = "\\u00e9";\n');
    await assertAscii(ascii);
    const utf8 = join(dir, 'utf8.cjs');
    await writeFile(utf8, 'const s = "é";\n');
    await assert.rejects(assertAscii(utf8), /non-ASCII byte at offset 11/);
  });

  it("keeps an unminified bundle's meaning when its comments and strings are written in escapes", async () => {
    const file = join(dir, 'comments.cjs');
    await writeFile(file, '/** 执行节点上的运维操作 */\nmodule.exports = ["é", "𝔸"];\n');
    await escapeNonAscii(file);
    await assertAscii(file);
    const text = await readFile(file, 'latin1');
    assert.match(text, /^\/\*\* \\u6267/);
    const module = { exports: [] as string[] };
    new Function('module', text)(module);
    assert.deepEqual(module.exports, ['é', '𝔸']);
  });
});
