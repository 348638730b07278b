/** Kubernetes resource quantities: CPU in cores and memory in bytes, and back to the short forms people read. */

const CPU_SUFFIX: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3 };
const MEMORY_SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

function parse(quantity: unknown, suffixes: Record<string, number>): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  if (typeof quantity !== 'string') return undefined;
  const match = /^\s*([+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z]*)\s*$/.exec(quantity);
  if (!match) return undefined;
  const factor = suffixes[match[2] ?? ''];
  if (factor === undefined) return undefined;
  const value = Number(match[1]) * factor;
  return Number.isFinite(value) ? value : undefined;
}

/** `500m` → 0.5, `2` → 2, `7913052n` → 0.0079…; undefined when it is not a CPU quantity. */
export function cpuCores(quantity: unknown): number | undefined {
  return parse(quantity, CPU_SUFFIX);
}

/** `1Gi` → 1073741824, `43204Ki` → 44240896, `128M` → 128000000; undefined when it is not a memory quantity. */
export function memoryBytes(quantity: unknown): number | undefined {
  return parse(quantity, MEMORY_SUFFIX);
}

/** Cores as millicores, e.g. 0.0079 → `8m`, 1.5 → `1500m`. */
export function formatCpu(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

/** Bytes as MiB, e.g. 44240896 → `42Mi`. */
export function formatMemory(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}
