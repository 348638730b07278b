/**
 * Golden snapshots of `tools/list` per access mode, reviewed like code. After an intended
 * change, regenerate with `UPDATE_GOLDEN=1 npm test` and review the diff.
 * Plus the invariants every mode must keep.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';

interface ListedTool {
  name: string;
  annotations: { readOnlyHint: boolean; destructiveHint: boolean };
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
}

const goldenPath = (mode: string) => fileURLToPath(new URL(`./golden/tools-list.${mode}.json`, import.meta.url));

const stacks: Record<string, Stack> = {};
before(async () => {
  stacks['read-write'] = await startStack();
  stacks['read-only'] = await startStack({ env: { ACCESS_MODE: 'read-only' } });
  stacks['read-only-token'] = await startStack({ env: { MCP_AUTH_TOKENS: 'viewer:viewer-token-0123456789:read-only' } });
});
after(() => Promise.all(Object.values(stacks).map((stack) => stack.close())));

async function listTools(stack: Stack, token = TEST_TOKEN): Promise<ListedTool[]> {
  const response = await stack.post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: `Bearer ${token}` });
  assert.equal(response.status, 200);
  return response.body.result.tools as ListedTool[];
}

describe('tools/list', () => {
  for (const mode of ['read-write', 'read-only']) {
    test(`matches the golden snapshot in ${mode} mode`, async () => {
      const tools = await listTools(stacks[mode]!);
      const rendered = `${JSON.stringify(tools, null, 2)}\n`;
      if (process.env.UPDATE_GOLDEN) writeFileSync(goldenPath(mode), rendered);
      assert.equal(rendered, readFileSync(goldenPath(mode), 'utf8'), `tools/list changed; if intended run UPDATE_GOLDEN=1 npm test`);
    });
  }

  test('read-only mode lists exactly the read-only tools of read-write mode, plus read-only variants (kubectl, check_upgrade_readiness, query_inspect_report)', async () => {
    const all = await listTools(stacks['read-write']!);
    const readOnly = await listTools(stacks['read-only']!);
    const variants = ['kubectl', 'check_upgrade_readiness', 'query_inspect_report'];
    assert.deepEqual(
      readOnly.map((tool) => tool.name),
      all.filter((tool) => tool.annotations.readOnlyHint || variants.includes(tool.name)).map((tool) => tool.name),
    );
    assert.ok(readOnly.every((tool) => tool.annotations.readOnlyHint && !tool.annotations.destructiveHint));
  });

  test('a read-only token on a read-write server sees the read-only list; the full token sees everything', async () => {
    const stack = stacks['read-only-token']!;
    const viewer = await listTools(stack, 'viewer-token-0123456789');
    const full = await listTools(stack);
    assert.deepEqual(viewer, await listTools(stacks['read-only']!));
    assert.deepEqual(full, await listTools(stacks['read-write']!));
  });

  test('invariants: no tool is both read-only and destructive; every schema is a closed object; names are snake_case', async () => {
    for (const tool of await listTools(stacks['read-write']!)) {
      assert.ok(!(tool.annotations.readOnlyHint && tool.annotations.destructiveHint), tool.name);
      assert.equal(tool.inputSchema.type, 'object', tool.name);
      assert.equal(tool.inputSchema.additionalProperties, false, tool.name);
      assert.equal(tool.outputSchema.type, 'object', tool.name);
      assert.match(tool.name, /^[a-z][a-z0-9_]*$/);
      assert.ok(!JSON.stringify(tool.inputSchema).includes('"anyOf"'), `${tool.name}: keep input schemas plain (no anyOf)`);
    }
  });

  test('the answer is stable across calls', async () => {
    const first = JSON.stringify(await listTools(stacks['read-write']!));
    const second = JSON.stringify(await listTools(stacks['read-write']!));
    assert.equal(first, second);
  });
});
