/**
 * Confirmation of destructive writes (CONFIRM_DESTRUCTIVE), over real HTTP against the emulator:
 * a 2026-07-28 client that declares elicitation is asked first (`input_required`, showing exactly
 * what will change) and nothing reaches Alibaba Cloud until it retries with the user's yes;
 * clients that cannot confirm keep working with `when-supported` and are refused with `always`.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { callerHeaders, startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';

const REVISION = '2026-07-28';
const stacks: Stack[] = [];
let stack: Stack;
let always: Stack;

before(async () => {
  [stack, always] = await Promise.all([startStack(), startStack({ env: { CONFIRM_DESTRUCTIVE: 'always' } })]);
  stacks.push(stack, always);
});
after(() => Promise.all(stacks.map((s) => s.close())));
beforeEach(() => {
  for (const s of stacks) s.emulator.callLog.clear();
});

const cluster = (s: Stack) => s.emulator.world.accounts[0]!.clusters[0]!;
const headersOf = (s: Stack) => callerHeaders(s.emulator.world.accounts[0]!.accessKeys[0]!);

/** A 2026-07-28 tools/call; `elicitation` declares the client can ask its user. */
async function modernCall(
  s: Stack,
  name: string,
  args: Record<string, unknown>,
  options: { elicitation: boolean; retry?: Record<string, unknown> },
) {
  const capabilities = options.elicitation ? { elicitation: { form: {} } } : {};
  const meta = { 'io.modelcontextprotocol/protocolVersion': REVISION, 'io.modelcontextprotocol/clientCapabilities': capabilities };
  const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, ...options.retry, _meta: meta } };
  const response = await fetch(s.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${TEST_TOKEN}`,
      'mcp-protocol-version': REVISION,
      'mcp-method': 'tools/call',
      'mcp-name': name,
      ...headersOf(s),
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as any;
  assert.ok(answer.result, JSON.stringify(answer));
  return answer.result;
}

const scaleCalls = (s: Stack) => s.emulator.callLog.of('ScaleClusterNodePool').length;

describe('CONFIRM_DESTRUCTIVE=when-supported (default)', () => {
  test('a 2026-07-28 client with elicitation is asked first, showing the change; its yes runs the call once', async () => {
    const pool = cluster(stack).nodepools[0]!;
    const args = { cluster_id: cluster(stack).cluster_id, nodepool_id: pool.nodepool_id, count: 2 };
    const asked = await modernCall(stack, 'scale_nodepool', args, { elicitation: true });
    assert.equal(asked.resultType, 'input_required', JSON.stringify(asked));
    const request = asked.inputRequests.confirm;
    assert.equal(request.method, 'elicitation/create');
    assert.equal(
      request.params.message,
      `Confirm this change:\nAdd 2 node(s) to node pool ${pool.nodepool_id} of ACK cluster ${args.cluster_id}. New ECS instances are created and billed.`,
    );
    assert.deepEqual(request.params.requestedSchema.required, ['confirm']);
    assert.equal(scaleCalls(stack), 0, 'nothing sent before the user confirmed');

    const yes = { inputResponses: { confirm: { action: 'accept', content: { confirm: true } } }, requestState: asked.requestState };
    const done = await modernCall(stack, 'scale_nodepool', args, { elicitation: true, retry: yes });
    assert.equal(done.resultType, 'complete');
    assert.notEqual(done.isError, true, JSON.stringify(done.content));
    assert.equal(scaleCalls(stack), 1);
  });

  test('no, a cancelled form, or a yes for other arguments change nothing', async () => {
    const pool = cluster(stack).nodepools[0]!;
    const args = { cluster_id: cluster(stack).cluster_id, nodepool_id: pool.nodepool_id, count: 1 };
    const asked = await modernCall(stack, 'scale_nodepool', args, { elicitation: true });
    for (const answer of [{ action: 'accept', content: { confirm: false } }, { action: 'decline' }, { action: 'cancel' }]) {
      const result = await modernCall(stack, 'scale_nodepool', args, {
        elicitation: true,
        retry: { inputResponses: { confirm: answer }, requestState: asked.requestState },
      });
      assert.equal(result.isError, true, JSON.stringify(answer));
      assert.match(result.content[0].text, /^Error NotConfirmed: The user did not confirm the change, so scale_nodepool changed nothing\./);
    }
    const yes = { inputResponses: { confirm: { action: 'accept', content: { confirm: true } } }, requestState: asked.requestState };
    const other = await modernCall(stack, 'scale_nodepool', { ...args, count: 50 }, { elicitation: true, retry: yes });
    assert.equal(other.resultType, 'input_required', 'a yes to adding 1 node is no yes to adding 50');
    assert.match(other.inputRequests.confirm.params.message, /Add 50 node\(s\)/);
    assert.equal(scaleCalls(stack), 0);
  });

  test('kubectl: a write is confirmed with the exact command, a read is not', async () => {
    const id = cluster(stack).cluster_id;
    const write = await modernCall(stack, 'kubectl', { cluster_id: id, command: 'delete pod web-1 -n shop' }, { elicitation: true });
    assert.equal(write.resultType, 'input_required');
    assert.equal(
      write.inputRequests.confirm.params.message,
      `Confirm this change:\nRun on ACK cluster ${id}: kubectl delete pod web-1 -n shop`,
    );
    const read = await modernCall(stack, 'kubectl', { cluster_id: id, command: 'get pods -A' }, { elicitation: true });
    assert.equal(read.resultType, 'complete');
  });

  test('clients that cannot confirm keep working: 2026-07-28 without elicitation, and 2025-era clients', async () => {
    // Pools no other test scales (a pool that is scaling refuses the next change).
    const [first, second] = stack.emulator.world.accounts[0]!.clusters;
    const args = { cluster_id: first!.cluster_id, nodepool_id: first!.nodepools[1]!.nodepool_id, count: 1 };
    const modern = await modernCall(stack, 'scale_nodepool', args, { elicitation: false });
    assert.notEqual(modern.isError, true, JSON.stringify(modern.content));
    const other = { cluster_id: second!.cluster_id, nodepool_id: second!.nodepools[0]!.nodepool_id, count: 1 };
    const legacy = await stack.post(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'scale_nodepool', arguments: other } },
      headersOf(stack),
    );
    assert.notEqual(legacy.body.result.isError, true, legacy.text);
  });
});

describe('CONFIRM_DESTRUCTIVE=always', () => {
  test('clients that cannot confirm are refused before anything is sent; reads run', async () => {
    const pool = cluster(always).nodepools[0]!;
    const args = { cluster_id: cluster(always).cluster_id, nodepool_id: pool.nodepool_id, count: 1 };
    const legacy = await always.post(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'scale_nodepool', arguments: args } },
      headersOf(always),
    );
    assert.equal(legacy.body.result.isError, true);
    assert.match(
      legacy.body.result.content[0].text,
      /^Error ConfirmationRequired: scale_nodepool changes the cluster, .* Nothing was changed\.\nHint: Use a client that supports elicitation/,
    );
    const modern = await modernCall(always, 'scale_nodepool', args, { elicitation: false });
    assert.match(modern.content[0].text, /^Error ConfirmationRequired/);
    assert.equal(scaleCalls(always), 0);
    const read = await always.post(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_nodepools', arguments: { cluster_id: args.cluster_id } } },
      headersOf(always),
    );
    assert.notEqual(read.body.result.isError, true);
  });

  test('a client that can confirm is asked, as with when-supported', async () => {
    const pool = cluster(always).nodepools[0]!;
    const args = { cluster_id: cluster(always).cluster_id, nodepool_id: pool.nodepool_id, count: 1 };
    const asked = await modernCall(always, 'scale_nodepool', args, { elicitation: true });
    assert.equal(asked.resultType, 'input_required');
  });
});
