/** The emulator's LZ4 blocks decode with the addon the SLS gateway uses (lz4-napi), as the gateway calls it. */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { lz4CompressBlock } from './lz4-block.ts';

// lz4-napi is the dependency of @alicloud/gateway-sls-util that decodes `x-log-compresstype: lz4` answers.
const requireFromGateway = createRequire(createRequire(import.meta.url).resolve('@alicloud/gateway-sls-util'));
const lz4 = requireFromGateway('lz4-napi') as { uncompress(data: Buffer): Promise<Buffer> };

/** What the gateway does: prepend the raw size (x-log-bodyrawsize) as 4 bytes little-endian, then uncompress. */
async function gatewayDecode(block: Buffer, rawSize: number): Promise<Buffer> {
  const size = Buffer.alloc(4);
  size.writeUInt32LE(rawSize, 0);
  return lz4.uncompress(Buffer.concat([size, block]));
}

describe('lz4CompressBlock', () => {
  const cases: Record<string, Buffer> = {
    empty: Buffer.alloc(0),
    short: Buffer.from('{"a":1}'),
    repetitive: Buffer.from(
      JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ reason: 'BackOff', name: `payment-api-${i % 3}`, n: String(i) }))),
    ),
    'long runs': Buffer.concat([Buffer.alloc(70_000, 'a'), Buffer.from('tail of the block, all literals')]),
    random: Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + (i >> 3) * 104729) % 251)),
  };
  for (const [name, input] of Object.entries(cases)) {
    it(`round-trips ${name} input through the gateway's decoder`, async () => {
      const block = lz4CompressBlock(input);
      assert.deepEqual(await gatewayDecode(block, input.length), input);
    });
  }

  it('compresses repetitive JSON', () => {
    const input = cases.repetitive!;
    assert.ok(lz4CompressBlock(input).length < input.length / 3);
  });
});
