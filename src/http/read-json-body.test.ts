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
      assert.deepEqual(result, {
        ok: false,
        status: 400,
        code: -32600,
        message: `Invalid Request: the body nests deeper than ${MAX_JSON_DEPTH} levels.`,
      });
    }
    assert.deepEqual(
      parse.mock.calls.filter((call) => String(call.arguments[0]).length > 1000),
      [],
      'no body was parsed',
    );
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

describe('readJsonBody: refused bodies are read to their end, so the client gets the answer, not a reset', () => {
  /** A body of `total` bytes in 64 KiB chunks that counts what was read of it. */
  function countingBody(total: number) {
    const seen = { bytes: 0, cancelled: false };
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (seen.bytes >= total) return controller.close();
        seen.bytes += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        seen.cancelled = true;
      },
    });
    return { stream, seen };
  }
  const request = (stream: ReadableStream<Uint8Array>, headers: Record<string, string>) =>
    new Request('http://localhost/mcp', { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);

  test('a declared length over the limit: 413, the body read', async () => {
    const { stream, seen } = countingBody(2 << 20);
    const result = await readJsonBody(
      request(stream, { 'content-type': 'application/json', 'content-length': String(2 << 20) }),
      1 << 20,
      20,
    );
    assert.deepEqual([result.ok, !result.ok && result.status], [false, 413]);
    assert.equal(seen.bytes, 2 << 20);
  });

  test('a streamed body over the limit: 413, the rest read; a wrong content type: 415, the body read', async () => {
    const streamed = countingBody(3 << 20);
    assert.equal((await readJsonBody(request(streamed.stream, { 'content-type': 'application/json' }), 1 << 20, 20)).ok, false);
    assert.equal(streamed.seen.bytes, 3 << 20);
    const text = countingBody(1 << 20);
    const result = await readJsonBody(request(text.stream, { 'content-type': 'text/plain' }), 1 << 20, 20);
    assert.deepEqual([result.ok, !result.ok && result.status], [false, 415]);
    assert.equal(text.seen.bytes, 1 << 20);
  });

  test('beyond 32 MB the rest is not read', async () => {
    const { stream, seen } = countingBody(64 << 20);
    const result = await readJsonBody(request(stream, { 'content-type': 'application/json' }), 1 << 20, 20);
    assert.deepEqual([result.ok, !result.ok && result.status], [false, 413]);
    assert.ok(seen.bytes < 64 << 20 && seen.cancelled, `read ${seen.bytes} bytes`);
  });
});
