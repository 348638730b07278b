/**
 * A small in-process cache with per-entry expiry, a size bound, and de-duplication of
 * concurrent loads (callers asking for the same key share one upstream call). A failed load
 * is not cached.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Returns the cached value or loads it; `load` returns the value and how long it stays valid (ms). */
  async getOrLoad(key: string, load: () => Promise<{ value: V; ttlMs: number }>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    const pending = load();
    const value = pending.then((loaded) => loaded.value);
    value.catch(() => undefined); // the failure reaches the caller below; never an unhandled rejection
    const entry = { value, expiresAt: Number.POSITIVE_INFINITY };
    this.set(key, entry);
    try {
      const loaded = await pending;
      entry.expiresAt = this.now() + loaded.ttlMs;
      return loaded.value;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private set(key: string, entry: { value: Promise<V>; expiresAt: number }): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
