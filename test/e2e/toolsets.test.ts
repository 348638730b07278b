/**
 * `TOOLSETS` serves a subset of the tools over real HTTP: `tools/list` lists exactly the selected toolsets' tools (the
 * golden snapshot's entries, unchanged), read-only mode still removes the writes within them, a tool outside the
 * selection is refused like an unknown one, and a selected tool works.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { toolsFor } from '../../src/tools/registry.ts';
import { toolModuleMap } from '../../src/tools/tool-modules.ts';
import { callerHeaders, startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';

interface ListedTool {
  name: string;
  annotations: { readOnlyHint: boolean };
}

const golden = (mode: string) =>
  JSON.parse(readFileSync(new URL(`./golden/tools-list.${mode}.json`, import.meta.url), 'utf8')) as ListedTool[];

const stacks: Record<string, Stack> = {};
before(async () => {
  const envs: Record<string, Record<string, string>> = {
    kubectl: { TOOLSETS: 'kubectl' },
    'nodepools read-only': { TOOLSETS: 'nodepools', ACCESS_MODE: 'read-only' },
    'logs,metrics': { TOOLSETS: 'metrics, logs' },
  };
  for (const [name, env] of Object.entries(envs)) stacks[name] = await startStack({ env });
  // As on FC: each plain tools/call loads only its tool's module (the build's tool-modules.json).
  stacks['nodepools, by module'] = await startStack({ env: { TOOLSETS: 'nodepools' }, toolModules: await toolModuleMap() });
});
after(() => Promise.all(Object.values(stacks).map((stack) => stack.close())));

async function rpc(stack: Stack, method: string, params?: unknown) {
  const response = await stack.post(
    { jsonrpc: '2.0', id: 1, method, params },
    { authorization: `Bearer ${TEST_TOKEN}`, ...callerHeaders(stack.emulator.world.accounts[0]!.accessKeys[0]!) },
  );
  assert.equal(response.status, 200);
  return response.body.result;
}

describe('TOOLSETS', () => {
  test('TOOLSETS=kubectl lists the kubectl tool alone, as the full list describes it', async () => {
    const { tools } = await rpc(stacks.kubectl!, 'tools/list');
    assert.deepEqual(
      tools,
      golden('read-write').filter((tool) => tool.name === 'kubectl'),
    );
  });

  test('a read-only deployment of nodepools lists its reads only; its writes are absent and refused', async () => {
    const stack = stacks['nodepools read-only']!;
    const { tools } = (await rpc(stack, 'tools/list')) as { tools: ListedTool[] };
    assert.deepEqual(
      tools.map((tool) => tool.name),
      ['list_nodepools', 'list_nodes', 'describe_task_info'],
    );
    assert.deepEqual(
      tools,
      golden('read-only').filter((tool) => tools.some((listed) => listed.name === tool.name)),
    );
    const cluster = stack.emulator.world.accounts[0]!.clusters[0]!;
    const refused = await rpc(stack, 'tools/call', {
      name: 'scale_nodepool',
      arguments: { cluster_id: cluster.cluster_id, nodepool_id: `np${'0'.repeat(20)}`, count: 1 },
    });
    assert.equal(refused.isError, true);
    const listed = await rpc(stack, 'tools/call', { name: 'list_nodepools', arguments: { cluster_id: cluster.cluster_id } });
    assert.equal(listed.isError, undefined, JSON.stringify(listed));
    assert.ok(listed.structuredContent.nodepools.length > 0);
  });

  test('two toolsets list the union, in registry order; a tool of another toolset is refused as not offered', async () => {
    const stack = stacks['logs,metrics']!;
    const { tools } = (await rpc(stack, 'tools/list')) as { tools: ListedTool[] };
    assert.deepEqual(
      tools.map((tool) => tool.name),
      toolsFor(['logs', 'metrics']).map((tool) => tool.name),
    );
    assert.ok(tools.length >= 7 && !tools.some((tool) => tool.name === 'kubectl' || tool.name === 'list_clusters'));
    const refused = await rpc(stack, 'tools/call', { name: 'list_clusters', arguments: {} });
    assert.equal(refused.isError, true);
    assert.match(refused.content[0].text, /no tool named "list_clusters"/);
  });

  test('with the build module map, a call outside the selection or of no tool is refused like an unknown tool; a selected one works', async () => {
    const stack = stacks['nodepools, by module']!;
    const cluster = stack.emulator.world.accounts[0]!.clusters[0]!;
    for (const name of ['kubectl', 'list_clusters', '__proto__', 'constructor', 'no_such_tool']) {
      const result = await rpc(stack, 'tools/call', { name, arguments: {} });
      assert.equal(result.isError, true, name);
      assert.match(result.content[0].text, /^Error UnknownTool: There is no tool named/, name);
    }
    const listed = await rpc(stack, 'tools/call', { name: 'list_nodepools', arguments: { cluster_id: cluster.cluster_id } });
    assert.equal(listed.isError, undefined, JSON.stringify(listed));
    assert.equal(listed.structuredContent.cluster_id, cluster.cluster_id);
  });
});
