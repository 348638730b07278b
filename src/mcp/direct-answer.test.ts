/**
 * The direct path answers exactly as the SDK does: every single message below is sent once as is
 * (answered directly) and once inside a one-element batch (which always goes through the SDK
 * server and transport), and the two answers must be the same JSON-RPC response.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callerHeaders, startStack, type Stack } from '../../test/support/stack.ts';
import { SUPPORTED_PROTOCOL_VERSIONS as SDK_VERSIONS } from '@modelcontextprotocol/server';
import { directRequest } from './direct-answer.ts';
import { modernToolsListId } from './direct-answer-modern.ts';
import { SUPPORTED_PROTOCOL_VERSIONS } from './server-info.ts';

let stack: Stack;
let headers: Record<string, string>;

before(async () => {
  stack = await startStack();
  headers = callerHeaders(stack.emulator.world.accounts[0]!.accessKeys[0]!);
});
after(() => stack.close());

async function bothWays(message: Record<string, unknown>, extra: Record<string, string> = {}) {
  const direct = await stack.post(message, { ...headers, ...extra });
  const viaSdk = await stack.post([message], { ...headers, ...extra });
  assert.equal(direct.status, 200, direct.text);
  assert.equal(viaSdk.status, 200, viaSdk.text);
  assert.match(direct.headers.get('content-type') ?? '', /application\/json/);
  // The SDK answers a one-element batch with the bare response.
  return { direct: direct.body, viaSdk: Array.isArray(viaSdk.body) ? viaSdk.body[0] : viaSdk.body };
}

describe('direct answers for initialize, notifications, tools/list and tools/call', () => {
  test('knows the protocol versions the SDK supports, latest first', () => {
    assert.deepEqual([...SUPPORTED_PROTOCOL_VERSIONS], [...SDK_VERSIONS]);
  });

  test('initialize is the SDK answer, for supported and unknown protocol versions', async () => {
    for (const protocolVersion of ['2025-06-18', '2025-03-26', '2099-01-01', SUPPORTED_PROTOCOL_VERSIONS[0]!]) {
      const params = { protocolVersion, capabilities: {}, clientInfo: { name: 'test', version: '1.0.0' } };
      const { direct, viaSdk } = await bothWays({ jsonrpc: '2.0', id: 1, method: 'initialize', params });
      assert.deepEqual(direct, viaSdk, protocolVersion);
    }
  });

  test('notifications/initialized is accepted with 202 and no body, as by the SDK', async () => {
    const message = { jsonrpc: '2.0', method: 'notifications/initialized' };
    const direct = await stack.post(message, headers);
    const viaSdk = await stack.post([message], headers);
    assert.equal(direct.status, 202);
    assert.equal(viaSdk.status, 202);
    assert.equal(direct.text, viaSdk.text);
  });

  test('tools/list is the SDK answer, per mode, for number and string ids (the answer is built from encoded bytes)', async () => {
    for (const id of [7, 'list-"7"-\u00e9']) {
      const { direct, viaSdk } = await bothWays({ jsonrpc: '2.0', id, method: 'tools/list' });
      assert.deepEqual(direct, viaSdk);
      assert.equal(direct.id, id);
      assert.ok(direct.result.tools.length > 0);
    }
  });

  test('tools/call results, failures and unknown tools are the SDK answers', async () => {
    const clusterId = stack.emulator.world.accounts[0]!.clusters[0]!.cluster_id;
    for (const params of [
      { name: 'list_clusters', arguments: {} },
      { name: 'list_nodepools', arguments: { cluster_id: clusterId } },
      { name: 'list_nodepools', arguments: { cluster_id: 'c-does-not-exist' } },
      { name: 'list_nodepools', arguments: { unknown_argument: 1 } },
      { name: 'no_such_tool' },
    ]) {
      const { direct, viaSdk } = await bothWays({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params });
      const strip = (response: any) => JSON.parse(JSON.stringify(response).replace(/Request id: [\w-]+/g, 'Request id: *'));
      assert.deepEqual(strip(direct), strip(viaSdk), JSON.stringify(params));
    }
  });

  test('leaves everything unusual to the SDK', () => {
    const json = new Headers({ 'content-type': 'application/json' });
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    assert.ok(directRequest(list, json));
    assert.equal(directRequest({ ...list, jsonrpc: '1.0' }, json), undefined);
    assert.equal(directRequest({ ...list, id: null }, json), undefined);
    assert.equal(directRequest({ jsonrpc: '2.0', method: 'tools/list' }, json), undefined, 'a notification that is no notification');
    assert.equal(directRequest({ jsonrpc: '2.0', method: 'notifications/cancelled', params: {} }, json), undefined);
    assert.deepEqual(directRequest({ jsonrpc: '2.0', method: 'notifications/initialized' }, json), { kind: 'notification' });
    assert.equal(directRequest({ ...list, method: 'initialize', params: { protocolVersion: 1 } }, json), undefined);
    assert.equal(directRequest({ ...list, method: 'initialize' }, json), undefined, 'initialize without params');
    assert.equal(directRequest({ ...list, method: 'ping' }, json), undefined);
    assert.equal(directRequest({ ...list, params: { cursor: 'x' } }, json), undefined);
    assert.equal(directRequest(list, new Headers({ 'content-type': 'text/plain' })), undefined);
    assert.equal(directRequest(list, new Headers({ 'content-type': 'application/json', 'mcp-protocol-version': '1999-01-01' })), undefined);
    assert.ok(directRequest(list, new Headers({ 'content-type': 'application/json', 'mcp-protocol-version': '2025-06-18' })));
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_clusters', arguments: {} } };
    assert.ok(directRequest(call, json));
    assert.equal(directRequest({ ...call, params: { name: 'list_clusters', arguments: [] } }, json), undefined);
    assert.equal(directRequest({ ...call, params: { name: 1 } }, json), undefined);
    assert.equal(directRequest({ ...call, params: { ...call.params, _meta: { progressToken: 1 } } }, json), undefined);
  });

  test('2026-07-28 tools/list is the SDK answer (the SDK answers it when _meta holds anything more than the envelope)', async () => {
    const modern = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' };
    const envelope = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
    };
    for (const meta of [envelope, { ...envelope, 'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1.0.0' } }]) {
      const direct = await stack.post(
        { jsonrpc: '2.0', id: 'm-1', method: 'tools/list', params: { _meta: meta } },
        { ...headers, ...modern },
      );
      const viaSdk = await stack.post(
        { jsonrpc: '2.0', id: 'm-1', method: 'tools/list', params: { _meta: { ...meta, progressToken: 'via-sdk' } } },
        { ...headers, ...modern },
      );
      assert.equal(direct.status, 200, direct.text);
      assert.equal(viaSdk.status, 200, viaSdk.text);
      assert.deepEqual(direct.body, viaSdk.body);
      assert.equal(direct.body.result.resultType, 'complete');
      assert.ok(direct.body.result.tools.length > 0);
    }
    assert.ok(modernToolsListId({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope } }, new Headers(modern)) === 1);
    for (const [message, extra] of [
      [{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope } }, { 'mcp-method': 'tools/call' }],
      [{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope } }, { 'mcp-protocol-version': '2099-01-01' }],
      [{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { cursor: 'x', _meta: envelope } }, {}],
      [
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/list',
          params: { _meta: { ...envelope, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
        },
        {},
      ],
      [
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/list',
          params: { _meta: { ...envelope, 'io.modelcontextprotocol/clientCapabilities': [] } },
        },
        {},
      ],
      [
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/list',
          params: { _meta: { ...envelope, 'io.modelcontextprotocol/clientInfo': { name: 1 } } },
        },
        {},
      ],
      [{ jsonrpc: '2.0', id: 1, method: 'tools/list' }, {}],
    ] as const) {
      assert.equal(
        modernToolsListId(message as Record<string, unknown>, new Headers({ ...modern, ...extra })),
        undefined,
        JSON.stringify([message, extra]),
      );
    }
  });

  test('answers nothing of 2026-07-28: the SDK serves that revision (envelope in _meta, or its version header)', () => {
    const json = new Headers({ 'content-type': 'application/json' });
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    for (const method of ['tools/list', 'initialize', 'notifications/initialized']) {
      assert.equal(directRequest({ jsonrpc: '2.0', id: 1, method, params: { _meta: meta } }, json), undefined, method);
    }
    assert.equal(
      directRequest({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_clusters', arguments: {}, _meta: meta } }, json),
      undefined,
    );
    const modernHeader = new Headers({ 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28' });
    assert.equal(directRequest({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, modernHeader), undefined);
  });
});
