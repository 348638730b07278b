/**
 * LZ4 block compression (the raw block format, no frame), written from the LZ4 block format
 * description, for the emulator's `x-log-compresstype: lz4` answers. Greedy matching on a 4-byte
 * hash; the end-of-block rules hold (the last 5 bytes are literals, no match starts within the last 12).
 */
const MIN_MATCH = 4;
const LAST_LITERALS = 5;
const MATCH_FIND_LIMIT = 12;
const HASH_BITS = 16;

class Output {
  private buffer = Buffer.alloc(1024);
  length = 0;

  byte(value: number): void {
    if (this.length === this.buffer.length) this.grow(1);
    this.buffer[this.length++] = value;
  }

  bytes(source: Buffer): void {
    if (this.length + source.length > this.buffer.length) this.grow(source.length);
    source.copy(this.buffer, this.length);
    this.length += source.length;
  }

  /** The part of a length past the token's 4 bits: bytes of 255, then the rest. */
  extraLength(rest: number): void {
    for (; rest >= 255; rest -= 255) this.byte(255);
    this.byte(rest);
  }

  result(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private grow(needed: number): void {
    const next = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + needed));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}

function sequence(out: Output, literals: Buffer, offset?: number, matchLength?: number): void {
  const literalNibble = Math.min(literals.length, 15);
  const matchNibble = matchLength === undefined ? 0 : Math.min(matchLength - MIN_MATCH, 15);
  out.byte((literalNibble << 4) | matchNibble);
  if (literals.length >= 15) out.extraLength(literals.length - 15);
  out.bytes(literals);
  if (offset === undefined || matchLength === undefined) return;
  out.byte(offset & 0xff);
  out.byte(offset >> 8);
  if (matchLength - MIN_MATCH >= 15) out.extraLength(matchLength - MIN_MATCH - 15);
}

export function lz4CompressBlock(input: Buffer): Buffer {
  const out = new Output();
  const table = new Int32Array(1 << HASH_BITS).fill(-1);
  let anchor = 0;
  let i = 0;
  while (i < input.length - MATCH_FIND_LIMIT) {
    const word = input.readUInt32LE(i);
    const slot = Math.imul(word, 2654435761) >>> (32 - HASH_BITS);
    const candidate = table[slot]!;
    table[slot] = i;
    if (candidate >= 0 && i - candidate <= 0xffff && input.readUInt32LE(candidate) === word) {
      let length = MIN_MATCH;
      while (i + length < input.length - LAST_LITERALS && input[candidate + length] === input[i + length]) length += 1;
      sequence(out, input.subarray(anchor, i), i - candidate, length);
      i += length;
      anchor = i;
    } else {
      i += 1;
    }
  }
  sequence(out, input.subarray(anchor));
  return out.result();
}
