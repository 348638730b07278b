import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { README_PATH, readmeWithTable } from './tools-table.ts';

test('the README tool table matches the code (regenerate: npx tsx scripts/tools-table.ts --write)', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  assert.equal(readme, readmeWithTable(readme));
});
