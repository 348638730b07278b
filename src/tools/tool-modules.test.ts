import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allTools } from './registry.ts';
import { TOOL_MODULES, toolModuleMap } from './tool-modules.ts';

test('the tool modules define exactly the registry tools, each in one module', async () => {
  const loaded = [];
  for (const load of Object.values(TOOL_MODULES)) loaded.push(...(await load()));
  assert.deepEqual(new Set(loaded), new Set(allTools), 'the same definitions (objects), none missing, none extra');
  assert.equal(loaded.length, allTools.length, 'no tool in two modules');
  const map = await toolModuleMap();
  assert.deepEqual(Object.keys(map).sort(), allTools.map((tool) => tool.name).sort());
});
