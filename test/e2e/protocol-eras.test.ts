/**
 * Both protocol eras on the same endpoints, raw over real HTTP: the stateless revision 2026-07-28
 * (per-request `_meta` envelope, `server/discover`, `resultType`, the revision's headers and error
 * for an unsupported version) and the 2025 revisions negotiated by `initialize`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MODERN_PROTOCOL_VERSIONS, SUPPORTED_PROTOCOL_VERSIONS } from '../../src/mcp/server-info.ts';
import { toolModuleMap } from '../../src/tools/tool-modules.ts';
import { callerHeaders, startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';

const REVISION = '2026-07-28';
let stack: Stack;
let caller: Record<string, string>;

before(async () => {
  // As on FC (the build's tool-modules.json): each call, through the SDK or not, loads only its tool's module.
  stack = await startStack({ toolModules: await toolModuleMap() });
  caller = callerHeaders(stack.emulator.world.accounts[0]!.accessKeys[0]!);
});
after(() => stack.close());

const envelope = (version = REVISION) => ({
  'io.modelcontextprotocol/protocolVersion': version,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw-test', version: '1.0.0' },
});

/** A 2026-07-28 request as the revision sends it: the envelope in `_meta` and the standard headers. */
function modern(method: string, params: Record<string, unknown> = {}, version = REVISION, path = '/mcp') {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${TEST_TOKEN}`,
    'mcp-protocol-version': version,
    'mcp-method': method,
    ...(typeof params.name === 'string' ? { 'mcp-name': params.name } : {}),
    ...caller,
  };
  const body = { jsonrpc: '2.0', id: 7, method, params: { ...params, _meta: envelope(version) } };
  return fetch(`${stack.server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as any,
  }));
}

describe('2026-07-28', () => {
  for (const path of ['/mcp', '/mcp/v1']) {
    test(`server/discover on ${path} names the supported revisions, the capabilities and the server`, async () => {
      const { status, body } = await modern('server/discover', {}, REVISION, path);
      assert.equal(status, 200);
      assert.deepEqual(body.result.supportedVersions, [...MODERN_PROTOCOL_VERSIONS]);
      assert.equal(body.result.resultType, 'complete');
      assert.ok(body.result.capabilities.tools, 'tools capability');
      assert.match(body.result.instructions, /list_clusters/);
      assert.equal(body.result._meta['io.modelcontextprotocol/serverInfo'].name, 'ack-mcp-server');
    });
  }

  test('tools/list lists the same tools as in the 2025 revisions', async () => {
    const { status, body } = await modern('tools/list');
    assert.equal(status, 200);
    assert.equal(body.result.resultType, 'complete');
    const legacy = await stack.post({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    assert.deepEqual(body.result.tools, legacy.body.result.tools);
  });

  test('tools/call answers structured content with resultType complete', async () => {
    const { status, body } = await modern('tools/call', { name: 'list_clusters', arguments: {} });
    assert.equal(status, 200);
    assert.equal(body.result.resultType, 'complete');
    assert.equal(body.result.isError, undefined, JSON.stringify(body));
    const ids = body.result.structuredContent.clusters.map((cluster: { cluster_id: string }) => cluster.cluster_id);
    assert.deepEqual(ids.sort(), stack.emulator.world.accounts[0]!.clusters.map((cluster) => cluster.cluster_id).sort());
  });

  test('a tool failure is an isError result there too', async () => {
    const { body } = await modern('tools/call', { name: 'list_nodepools', arguments: { cluster_id: 'c-does-not-exist' } });
    // Refused before anything is sent: the id is no ACK cluster id.
    assert.equal(body.result.isError, true);
    assert.equal(body.result.resultType, 'complete');
    assert.match(body.result.content[0].text, /^Error InvalidArguments: .*cluster_id/);
  });

  test('an unsupported revision in the envelope gets the standard error with the supported list', async () => {
    const { status, body } = await modern('tools/list', {}, '2099-01-01');
    assert.equal(status, 400);
    assert.equal(body.error.code, -32022);
    assert.deepEqual(body.error.data, { supported: [...MODERN_PROTOCOL_VERSIONS], requested: '2099-01-01' });
  });

  test('a request whose headers and envelope disagree is refused, naming the header', async () => {
    const response = await fetch(stack.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope() } }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as any;
    assert.match(body.error.message, /MCP-Protocol-Version/);
  });
});

describe('the 2025 revisions', () => {
  test('initialize offering 2026-07-28 negotiates the latest 2025 revision (what auto-mode clients fall back to)', async () => {
    const params = { protocolVersion: REVISION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } };
    const response = await stack.post({ jsonrpc: '2.0', id: 1, method: 'initialize', params });
    assert.equal(response.body.result.protocolVersion, SUPPORTED_PROTOCOL_VERSIONS[0]);
  });

  for (const version of ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']) {
    test(`initialize with ${version} is answered with ${version}`, async () => {
      const params = { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '1' } };
      const response = await stack.post({ jsonrpc: '2.0', id: 1, method: 'initialize', params });
      assert.equal(response.body.result.protocolVersion, version);
      assert.ok(response.body.result.capabilities.tools);
    });
  }

  test('a one-element batch (2025-03-26 allows batches) is answered with a one-element array', async () => {
    for (const message of [
      { jsonrpc: '2.0', id: 'only', method: 'tools/list' },
      { jsonrpc: '2.0', id: 'only', method: 'tools/call', params: { name: 'list_clusters', arguments: {} } },
    ]) {
      const response = await stack.post([message], { 'mcp-protocol-version': '2025-03-26', ...caller });
      assert.equal(response.status, 200);
      assert.ok(Array.isArray(response.body), response.text.slice(0, 200));
      assert.equal(response.body.length, 1);
      assert.equal(response.body[0].id, 'only');
      assert.ok(response.body[0].result);
    }
  });
});

describe('prompts and resources, in both eras', () => {
  const args = { cluster_id: 'c0123456789abcdef0123', namespace: 'shop', name: 'web' };

  test('2026-07-28: prompts/list, prompts/get and an empty resources/list', async () => {
    const list = await modern('prompts/list');
    assert.deepEqual(
      list.body.result.prompts.map((prompt: { name: string }) => prompt.name),
      ['troubleshoot_workload', 'nodepool_capacity', 'before_upgrade'],
    );
    const got = await modern('prompts/get', { name: 'troubleshoot_workload', arguments: args });
    assert.equal(got.body.result.resultType, 'complete');
    assert.match(got.body.result.messages[0].content.text, /describe deployment web -n shop/);
    const resources = await modern('resources/list');
    assert.deepEqual(resources.body.result.resources, []);
    const discover = await modern('server/discover');
    assert.ok(discover.body.result.capabilities.prompts && discover.body.result.capabilities.resources);
  });

  test('2025: the same prompts, the capabilities in initialize, and a bad argument as -32602', async () => {
    const params = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } };
    const init = await stack.post({ jsonrpc: '2.0', id: 1, method: 'initialize', params });
    assert.deepEqual(Object.keys(init.body.result.capabilities).sort(), ['prompts', 'resources', 'tools']);
    const got = await stack.post({
      jsonrpc: '2.0',
      id: 2,
      method: 'prompts/get',
      params: { name: 'nodepool_capacity', arguments: { cluster_id: args.cluster_id } },
    });
    assert.match(got.body.result.messages[0].content.text, /list_nodepools/);
    const bad = await stack.post({
      jsonrpc: '2.0',
      id: 3,
      method: 'prompts/get',
      params: { name: 'troubleshoot_workload', arguments: { ...args, namespace: 'NOT valid' } },
    });
    assert.equal(bad.body.error.code, -32602);
    assert.match(bad.body.error.message, /namespace: must be a Kubernetes namespace/);
    const resources = await stack.post({ jsonrpc: '2.0', id: 4, method: 'resources/list' });
    assert.deepEqual(resources.body.result, { resources: [] });
  });
});
