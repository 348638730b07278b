/** A stream collected up to a byte limit, the rest only counted: kubectl's stdout and stderr (runner.ts). */
/** Collects a stream up to `limit` bytes and counts what it had to drop. */
export class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private droppedBytes = 0;

  /** @param limit maximum bytes kept (e.g. 256 KiB); later bytes are only counted. */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const room = this.limit - this.kept;
    if (room >= buf.length) {
      this.chunks.push(buf);
      this.kept += buf.length;
      return;
    }
    if (room > 0) {
      this.chunks.push(buf.subarray(0, room));
      this.kept += room;
    }
    this.droppedBytes += buf.length - Math.max(room, 0);
  }

  /** Bytes kept. */
  get bytes(): number {
    return this.kept;
  }

  /** Bytes dropped because the limit was reached. */
  get dropped(): number {
    return this.droppedBytes;
  }

  get truncated(): boolean {
    return this.droppedBytes > 0;
  }

  /** The kept bytes as UTF-8, without a character split at the cut (its bytes count as dropped in `dropped`). */
  toString(): string {
    const all = Buffer.concat(this.chunks, this.kept);
    let end = all.length;
    if (this.truncated) {
      // Step back over an incomplete multi-byte sequence at the cut.
      let i = end - 1;
      while (i >= 0 && i > end - 4 && (all[i]! & 0xc0) === 0x80) i--;
      if (i >= 0) {
        const lead = all[i]!;
        const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        if (end - i < need) {
          this.droppedBytes += end - i;
          this.kept = i;
          end = i;
        }
      }
    }
    return all.subarray(0, end).toString('utf8');
  }
}
