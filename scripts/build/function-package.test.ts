import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingPrebuiltMessage } from './function-package.ts';

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
