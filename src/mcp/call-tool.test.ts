/** callTool checks every structured answer against the tool's output schema and maps cancellations. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { defineTool, readOnlyTool } from '../tools/define-tool.ts';
import type { ToolContext } from '../tools/tool-context.ts';
import { callTool, type CallReporting } from './call-tool.ts';
import { ToolCatalog } from './tool-catalog.ts';

const output = { items: z.array(z.object({ id: z.string(), size: z.number() })), total: z.number() };

function tool(name: string, structured: () => unknown) {
  return defineTool({
    name,
    title: name,
    description: 'test tool',
    input: {},
    output,
    annotations: readOnlyTool,
    toolsets: ['clusters'],
    ramActions: [],
    run: async (_args, ctx) => {
      const value = structured();
      if (value === 'wait') {
        await new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        );
      }
      return { structured: value as never, text: 'done' };
    },
  });
}

const catalog = new ToolCatalog([
  tool('fine', () => ({ items: [{ id: 'a', size: 1 }], total: 1 })),
  tool('wrong_type', () => ({ items: [{ id: 'a', size: '1' }], total: 1 })),
  tool('missing_field', () => ({ items: [] })),
  tool('extra_top_level', () => ({ items: [], total: 0, secret_debug: 'x' })),
  tool('extra_nested', () => ({ items: [{ id: 'a', size: 1, internal: true }], total: 1 })),
  tool('waits', () => 'wait'),
]);

function recorder() {
  const seen = { unexpected: [] as unknown[], invalid: [] as Array<{ tool: string; issues: string[] }> };
  const reporting: CallReporting = {
    onUnexpected: (error) => seen.unexpected.push(error),
    onInvalidOutput: (details) => seen.invalid.push(details),
  };
  return { seen, reporting };
}

const context = (signal = new AbortController().signal) =>
  ({ signal, config: { accessMode: 'read-write' }, note() {} }) as unknown as ToolContext;

describe('callTool output checking', () => {
  test('an answer that matches is shipped as is', async () => {
    const { seen, reporting } = recorder();
    const { result, outcome } = await callTool(catalog, 'read-write', 'fine', {}, context(), reporting);
    assert.deepEqual(result.structuredContent, { items: [{ id: 'a', size: 1 }], total: 1 });
    assert.equal(outcome.outcome, 'ok');
    assert.deepEqual(seen.invalid, []);
  });

  for (const name of ['wrong_type', 'missing_field', 'extra_top_level']) {
    test(`${name}: the answer is withheld, the caller gets InternalError and the log gets the issue paths`, async () => {
      const { seen, reporting } = recorder();
      const { result, outcome } = await callTool(catalog, 'read-write', name, {}, context(), reporting);
      assert.equal(result.isError, true);
      assert.equal(result.structuredContent, undefined);
      assert.match(result.content[0]!.text, /^Error InternalError: .*did not match the tool's output schema/);
      assert.deepEqual([outcome.outcome, outcome.errorCode], ['error', 'InternalError']);
      assert.equal(seen.invalid.length, 1);
      assert.equal(seen.invalid[0]!.tool, name);
      assert.ok(seen.invalid[0]!.issues.length > 0);
      assert.ok(!seen.invalid[0]!.issues.join(' ').includes("'1'"), 'issues name paths, not values');
    });
  }

  test('unknown nested fields are dropped, so the shipped answer still matches the published schema', async () => {
    const { reporting } = recorder();
    const { result } = await callTool(catalog, 'read-write', 'extra_nested', {}, context(), reporting);
    assert.deepEqual(result.structuredContent, { items: [{ id: 'a', size: 1 }], total: 1 });
  });

  test('a call whose signal aborts ends Cancelled, and that is no unexpected error', async () => {
    const { seen, reporting } = recorder();
    const abort = new AbortController();
    const pending = callTool(catalog, 'read-write', 'waits', {}, context(abort.signal), reporting);
    abort.abort();
    const { result, outcome } = await pending;
    assert.equal(outcome.errorCode, 'Cancelled');
    assert.match(result.content[0]!.text, /^Error Cancelled/);
    assert.deepEqual(seen.unexpected, []);
  });

  test('an unknown tool name is logged cut to 64 characters', async () => {
    const { reporting } = recorder();
    const { outcome } = await callTool(catalog, 'read-write', 'n'.repeat(500), {}, context(), reporting);
    assert.equal(outcome.errorCode, 'UnknownTool');
    assert.equal(outcome.tool, `${'n'.repeat(64)}…`);
  });
});
