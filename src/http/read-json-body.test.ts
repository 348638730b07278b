import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_JSON_DEPTH, readJsonBody } from './read-json-body.ts';

function post(body: string): Request {
  return new Request('http://localhost/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

const call = (args: string) => `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_clusters","arguments":${args}}}`;

describe('readJsonBody: nesting', () => {
  test(`a body nested deeper than ${MAX_JSON_DEPTH} levels is refused before it is parsed (parsing deep nesting blocks the loop)`, async (t) => {
    const parse = t.mock.method(JSON, 'parse');
    for (const body of [
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
      call(`{"region":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`),
    ]) {
      const result = await readJsonBody(post(body), 4 << 20, 20);
      assert.deepEqual(result, { ok: false, status: 400, code: -32600, message: `Invalid Request: the body nests deeper than ${MAX_JSON_DEPTH} levels.` });
    }
    assert.deepEqual(parse.mock.calls.filter((call) => String(call.arguments[0]).length > 1000), [], 'no body was parsed');
  });

  test('brackets inside strings (escaped quotes included) do not count', async () => {
    const deepText = JSON.stringify(`\\"${'['.repeat(1000)}`);
    const result = await readJsonBody(post(call(`{"region":${deepText}}`)), 4 << 20, 20);
    assert.equal(result.ok, true);
  });

  test(`${MAX_JSON_DEPTH} levels are accepted`, async () => {
    const inner = MAX_JSON_DEPTH - 3; // the envelope, params and arguments take three
    const result = await readJsonBody(post(call(`{"region":${'['.repeat(inner)}${']'.repeat(inner)}}`)), 4 << 20, 20);
    assert.equal(result.ok, true);
  });
});
