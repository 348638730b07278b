/**
 * The request log under hostile input, in batches and in progress streams: every line is valid
 * JSON with its own fields, each call of a batch is recorded with its own cluster, and a
 * streamed call is logged when its stream ends (or the client goes away, which stops the call).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { lifecycleOf } from '../emulator/cs/lifecycle/index.ts';
import type { AccessKey, ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, TEST_TOKEN, type LogEntry, type Stack } from '../support/stack.ts';

// The tools poll every 2 s in production; this documented setting shortens it for tests.
process.env.ACK_MCP_POLL_INTERVAL_MS = '20';

let stack: Stack;
let key: AccessKey;
let hangzhou: ClusterRecord;
let beijing: ClusterRecord;
let counter = 0;

before(async () => {
  stack = await startStack({ emulator: { env: { taskStageMs: 15 } } });
  const account = stack.emulator.world.accounts[0]!;
  key = account.accessKeys[0]!;
  [hangzhou, beijing] = account.clusters as [ClusterRecord, ClusterRecord];
});
after(() => stack.close());

/** A fresh FC request id, to find this request's log line. */
const nextRequestId = () => `1-test-${(counter += 1)}`;
const lineOf = (requestId: string) => stack.waitForLog((entry) => entry.event === 'request' && entry.requestId === requestId);
/** POSTs `message` as a client that accepts a progress stream (SSE), with the demo key and an FC request id. */
const postForStream = (requestId: string, message: unknown, signal?: AbortSignal) =>
  fetch(stack.mcpUrl, {
    method: 'POST',
    ...(signal ? { signal } : {}),
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${TEST_TOKEN}`,
      'x-fc-request-id': requestId,
      ...callerHeaders(key),
    },
    body: JSON.stringify(message),
  });
const toolCall = (id: number | string, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
});

describe('hostile input cannot bend the log line', () => {
  test('a batch naming a method "Bearer x" and a tool with quotes and brackets keeps every field of its line, as valid JSON', async () => {
    const requestId = nextRequestId();
    const response = await stack.post(
      [
        toolCall(1, 'list_nodepools', { cluster_id: hangzhou.cluster_id }),
        { jsonrpc: '2.0', id: 2, method: 'Bearer x' },
        toolCall(3, `Bearer "}],"outcome":"forged","x":["${'y'.repeat(200)}`, {}),
      ],
      { ...callerHeaders(key), 'x-fc-request-id': requestId },
    );
    assert.equal(response.status, 200, response.text);
    const line = await lineOf(requestId);
    for (const text of stack.logs) assert.doesNotThrow(() => JSON.parse(text), text);
    assert.deepEqual(line.rpc, ['tools/call', 'other', 'tools/call'], 'methods outside MCP are logged as "other"');
    assert.equal(line.accessKeyId, 'LTAI5t****d001');
    assert.equal(line.credentialSource, 'caller');
    assert.equal(line.status, 200);
    assert.equal(line.calls.length, 2);
    const listed = line.calls.find((c: LogEntry) => c.tool === 'list_nodepools');
    assert.deepEqual([listed.outcome, listed.cluster], ['ok', hangzhou.cluster_id]);
    const unknown = line.calls.find((c: LogEntry) => c.tool !== 'list_nodepools');
    assert.equal(unknown.errorCode, 'UnknownTool');
    assert.ok(unknown.tool.length <= 65, 'a name that is no tool is cut short');
    assert.ok(!JSON.stringify(line).includes('"forged"'));
  });

  test('a hostile FC request id and path are bounded and leave the line intact', async () => {
    const hostileId = `Bearer abc.def"} ${'z'.repeat(500)}`;
    await stack.post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'x-fc-request-id': hostileId });
    const response = await fetch(`${stack.server.url}/${'p'.repeat(1000)}"Bearer x`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    assert.equal(response.status, 404);
    const entries = stack.logs.map((text) => JSON.parse(text) as LogEntry);
    const listed = entries.findLast((entry) => entry.rpc?.[0] === 'tools/list')!;
    assert.ok(listed.requestId.length <= 65);
    assert.ok(listed.requestId.startsWith('Bearer ****'));
    assert.deepEqual([listed.status, listed.token, listed.path], [200, 'default', '/mcp']);
    const missing = entries.findLast((entry) => entry.status === 404)!;
    assert.ok(missing.path.length <= 129);
    assert.equal(missing.method, 'POST');
  });
});

describe('batches', () => {
  test("each call is recorded with its own cluster; the line's tool, outcome and cluster are the first call's", async () => {
    const requestId = nextRequestId();
    const response = await stack.post(
      [
        toolCall('a', 'list_nodepools', { cluster_id: hangzhou.cluster_id }),
        toolCall('b', 'list_nodes', { cluster_id: beijing.cluster_id }),
      ],
      { ...callerHeaders(key), 'x-fc-request-id': requestId },
    );
    assert.equal(response.status, 200, response.text);
    const line = await lineOf(requestId);
    const byTool = Object.fromEntries(line.calls.map((c: LogEntry) => [c.tool, c.cluster]));
    assert.deepEqual(byTool, { list_nodepools: hangzhou.cluster_id, list_nodes: beijing.cluster_id });
    const first = line.calls[0];
    assert.deepEqual([line.tool, line.outcome, line.cluster], [first.tool, first.outcome, first.cluster]);
  });
});

describe('progress streams (SSE)', () => {
  async function startTask(): Promise<string> {
    const scaled = await stack.post(
      toolCall(1, 'scale_nodepool', { cluster_id: hangzhou.cluster_id, nodepool_id: hangzhou.nodepools[0]!.nodepool_id, count: 1 }),
      callerHeaders(key),
    );
    const taskId = scaled.body.result.structuredContent?.task_id as string | undefined;
    assert.ok(taskId, scaled.text);
    return taskId;
  }

  test('a streamed call is logged when its stream ends, with its tool, outcome and a duration that covers the call', async () => {
    const store = lifecycleOf(stack.emulator.world);
    store.held = true;
    const taskId = await startTask();
    const requestId = nextRequestId();
    const response = await postForStream(
      requestId,
      toolCall(7, 'describe_task_info', { task_id: taskId, cluster_id: hangzhou.cluster_id, wait_seconds: 60 }, { progressToken: 'p1' }),
    );
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      if (text.includes('notifications/progress')) store.held = false; // the task finishes only once the stream is under way
    }
    assert.match(text, /"id":7/);
    const line = await lineOf(requestId);
    assert.equal(line.tool, 'describe_task_info');
    assert.equal(line.outcome, 'ok');
    assert.equal(line.calls.length, 1);
    assert.ok(line.durationMs >= line.calls[0].durationMs, 'the request lasted at least as long as its call');
  });

  test('a client that goes away mid-stream stops the call: it ends Cancelled and stops polling ACK', { timeout: 30_000 }, async () => {
    const store = lifecycleOf(stack.emulator.world);
    store.held = true;
    const taskId = await startTask();
    const requestId = nextRequestId();
    const client = new AbortController();
    const response = await postForStream(
      requestId,
      toolCall(8, 'describe_task_info', { task_id: taskId, cluster_id: hangzhou.cluster_id, wait_seconds: 120 }, { progressToken: 'p2' }),
      client.signal,
    );
    const decoder = new TextDecoder();
    let text = '';
    const reader = response.body!.getReader();
    while (!text.includes('notifications/progress')) text += decoder.decode((await reader.read()).value, { stream: true });
    client.abort();
    // The line is written only once the call has settled, so polling stopped before it appears
    // (the task is held: without the abort the call would poll ACK for 120 s).
    const line = await lineOf(requestId);
    assert.equal(line.tool, 'describe_task_info');
    assert.equal(line.outcome, 'error');
    assert.equal(line.errorCode, 'Cancelled');
    assert.ok(line.calls[0].durationMs < 60_000);
    store.held = false;
  });
});
