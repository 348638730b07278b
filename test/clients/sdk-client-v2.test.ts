/**
 * The official TypeScript SDK client v2 (`@modelcontextprotocol/client`, pinned in
 * test/clients/package.json) as applications use it: pinned to the stateless revision 2026-07-28,
 * in its auto mode (probes `server/discover`, falls back to `initialize`), and in its default
 * (2025) mode. The client checks every structured answer against the tool's output schema.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { everyToolCalls } from '../support/every-tool-calls.ts';
import { callerHeaders, startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';

const REVISION = '2026-07-28';
let stack: Stack;
let headers: Record<string, string>;
const clients: Client[] = [];

before(async () => {
  stack = await startStack({ env: { ACCESS_MODE: 'read-write' } });
  headers = { authorization: `Bearer ${TEST_TOKEN}`, ...callerHeaders(stack.emulator.world.accounts[0]!.accessKeys[0]!) };
});
after(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await stack.close();
});

async function connect(
  versionNegotiation?: ConstructorParameters<typeof Client>[1] extends infer O
    ? O extends { versionNegotiation?: infer V }
      ? V
      : never
    : never,
) {
  const client = new Client({ name: 'sdk-v2-app', version: '1.0.0' }, versionNegotiation ? { versionNegotiation } : {});
  clients.push(client);
  await client.connect(new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { requestInit: { headers } }));
  return client;
}

/** What the server saw: the JSON-RPC methods of every request logged since `from`. */
const methodsSince = (from: number) => stack.logs.slice(from).flatMap((line) => (JSON.parse(line) as { rpc?: string[] }).rpc ?? []);

describe('TypeScript SDK client v2', () => {
  test(`pinned to ${REVISION}: connects, lists every tool and calls several with structured output`, async () => {
    const client = await connect({ mode: { pin: REVISION } });
    assert.equal(client.getNegotiatedProtocolVersion(), REVISION);
    const { tools } = await client.listTools();
    const legacy = await stack.post({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    assert.deepEqual(tools.map((tool) => tool.name).sort(), legacy.body.result.tools.map((tool: { name: string }) => tool.name).sort());
    assert.ok(
      tools.every((tool) => tool.outputSchema),
      'every tool declares its output',
    );

    const account = stack.emulator.world.accounts[0]!;
    const clusterId = account.clusters[0]!.cluster_id;
    const clusters = await client.callTool({ name: 'list_clusters', arguments: {} });
    assert.notEqual(clusters.isError, true, JSON.stringify(clusters.content));
    const ids = (clusters.structuredContent as { clusters: Array<{ cluster_id: string }> }).clusters.map((cluster) => cluster.cluster_id);
    assert.deepEqual(ids.sort(), account.clusters.map((cluster) => cluster.cluster_id).sort());
    for (const name of ['list_nodepools', 'list_nodes', 'list_log_stores']) {
      const result = await client.callTool({ name, arguments: { cluster_id: clusterId } });
      assert.notEqual(result.isError, true, `${name}: ${JSON.stringify(result.content)}`);
      assert.equal(typeof result.structuredContent, 'object', name);
    }
    const refused = await client.callTool({ name: 'list_nodepools', arguments: { cluster_id: 'not-a-cluster' } });
    assert.equal(refused.isError, true);
    assert.match((refused.content as Array<{ text: string }>)[0]!.text, /InvalidArguments/);
  });

  test(`pinned to ${REVISION}: calls every tool of the catalogue, each answer checked against its output schema`, async () => {
    const client = await connect({ mode: { pin: REVISION } });
    const { calls, answers } = everyToolCalls(stack.emulator.world.accounts[0]!.clusters[0]!);
    const { tools } = await client.listTools();
    assert.deepEqual(calls.map(([name]) => name).sort(), tools.map((tool) => tool.name).sort(), 'one call per listed tool');
    for (const [name, args] of calls) {
      const result = await client.callTool({ name, arguments: args() });
      assert.notEqual(result.isError, true, `${name}: ${JSON.stringify(result.content)}`);
      assert.equal(typeof result.structuredContent, 'object', `${name} answers structured content`);
      answers.set(name, result.structuredContent as Record<string, unknown>);
    }
  });

  test('auto mode: one server/discover, no initialize, and the stateless revision', async () => {
    const from = stack.logs.length;
    const client = await connect({ mode: 'auto' });
    assert.equal(client.getNegotiatedProtocolVersion(), REVISION);
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === 'list_clusters'));
    const result = await client.callTool({ name: 'list_clusters', arguments: {} });
    assert.notEqual(result.isError, true);
    const seen = methodsSince(from);
    assert.deepEqual(
      seen.filter((method) => method === 'server/discover'),
      ['server/discover'],
    );
    assert.ok(!seen.includes('initialize'), `no fallback to initialize: ${seen.join(', ')}`);
  });

  test(`pinned to ${REVISION} with a form handler: a destructive write is shown to the user first and runs on yes`, async () => {
    const shown: string[] = [];
    const client = new Client(
      { name: 'sdk-v2-app', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: REVISION } }, capabilities: { elicitation: { form: {} } } },
    );
    clients.push(client);
    client.setRequestHandler('elicitation/create', async (request) => {
      shown.push(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { requestInit: { headers } }));
    const cluster = stack.emulator.world.accounts[0]!.clusters[1]!;
    const pool = cluster.nodepools[0]!;
    const before = stack.emulator.callLog.of('ScaleClusterNodePool').length;
    const result = await client.callTool({
      name: 'scale_nodepool',
      arguments: { cluster_id: cluster.cluster_id, nodepool_id: pool.nodepool_id, count: 1 },
    });
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    assert.deepEqual(shown, [
      `Confirm this change:\nAdd 1 node(s) to node pool ${pool.nodepool_id} of ACK cluster ${cluster.cluster_id}. New ECS instances are created and billed.`,
    ]);
    assert.equal(stack.emulator.callLog.of('ScaleClusterNodePool').length, before + 1);
  });

  test('default (2025) mode: initialize, then tools as before', async () => {
    const client = await connect();
    assert.equal(client.getNegotiatedProtocolVersion(), '2025-11-25');
    const result = await client.callTool({ name: 'list_clusters', arguments: {} });
    assert.notEqual(result.isError, true);
    assert.ok((result.structuredContent as { clusters: unknown[] }).clusters.length > 0);
  });
});
