/**
 * What a process tree costs, read from /proc (Linux), and the CPU time of one process.
 *
 * Memory counts every page of the instance once, as FC's memory limit does (it covers the whole
 * instance, kubectl children included): the RSS of the root (node) plus the PSS of each descendant.
 * PSS splits a page among the processes that map it, so the kubectl children's PSS adds up to their
 * pages counted once (their text is one page-cache copy of the layer's binary, shared only among
 * them). The root's PSS would be too low here: node's own pages are shared with every other process
 * of the same node binary on this machine (the benchmark's, other engineers'), which an FC instance
 * does not have, so the root counts with its RSS (node and kubectl, a static Go binary, share nothing).
 */
import { readdir, readFile } from 'node:fs/promises';

async function read(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined; // the process (or thread) has exited
  }
}

/** `root` and every live descendant (children of every thread, recursively). */
export async function processTree(root: number): Promise<number[]> {
  const found: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    let tasks: string[];
    try {
      tasks = await readdir(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    found.push(pid);
    for (const tid of tasks) {
      const children = await read(`/proc/${pid}/task/${tid}/children`);
      for (const child of children?.split(' ') ?? []) if (child.trim()) pending.push(Number(child));
    }
  }
  return found;
}

/** `Rss` or `Pss` of one process in kB, from smaps_rollup (undefined once it has exited). */
export async function memoryKb(pid: number, field: 'Rss' | 'Pss' | 'Anonymous'): Promise<number | undefined> {
  const rollup = await read(`/proc/${pid}/smaps_rollup`);
  const match = rollup?.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : undefined;
}

/** The executable's name of a process (`node`, `kubectl`, …). */
export async function commandName(pid: number): Promise<string | undefined> {
  return (await read(`/proc/${pid}/comm`))?.trim();
}

export interface TreeMemory {
  /** RSS of the root plus PSS of all its descendants, kB. */
  totalKb: number;
  /** RSS of the root alone, kB. */
  rootKb: number;
  /** The root's anonymous memory (heap, stacks: what cannot be dropped and re-read from a file), kB. */
  rootAnonKb: number;
  /** Descendants alive at the sample, by command name. */
  children: Record<string, number>;
}

export async function treeMemory(root: number): Promise<TreeMemory> {
  const pids = await processTree(root);
  const sample: TreeMemory = { totalKb: 0, rootKb: 0, rootAnonKb: (await memoryKb(root, 'Anonymous')) ?? 0, children: {} };
  for (const pid of pids) {
    const kb = await memoryKb(pid, pid === root ? 'Rss' : 'Pss');
    if (kb === undefined) continue;
    sample.totalKb += kb;
    if (pid === root) sample.rootKb = kb;
    else {
      const name = (await commandName(pid)) ?? '?';
      sample.children[name] = (sample.children[name] ?? 0) + 1;
    }
  }
  return sample;
}

export interface PeakMemory {
  totalKb: number;
  rootKb: number;
  rootAnonKb: number;
  /** Most descendants of one command name alive in one sample. */
  maxChildren: Record<string, number>;
  samples: number;
}

/**
 * Samples {@link treeMemory} every `intervalMs` until `until` settles; returns the peaks and what
 * `until` resolved to. The PSS of the tree at its peak is what a memory limit must hold.
 */
export async function samplePeak<T>(root: number, until: Promise<T>, intervalMs = 20): Promise<{ peak: PeakMemory; result: T }> {
  const peak: PeakMemory = { totalKb: 0, rootKb: 0, rootAnonKb: 0, maxChildren: {}, samples: 0 };
  let done = false;
  const result = until.finally(() => {
    done = true;
  });
  const take = async () => {
    const sample = await treeMemory(root);
    peak.samples += 1;
    peak.totalKb = Math.max(peak.totalKb, sample.totalKb);
    peak.rootKb = Math.max(peak.rootKb, sample.rootKb);
    peak.rootAnonKb = Math.max(peak.rootAnonKb, sample.rootAnonKb);
    for (const [name, count] of Object.entries(sample.children)) peak.maxChildren[name] = Math.max(peak.maxChildren[name] ?? 0, count);
  };
  while (!done) {
    await take();
    await Promise.race([
      result.then(
        () => undefined,
        () => undefined,
      ),
      new Promise((resolve) => setTimeout(resolve, intervalMs)),
    ]);
  }
  return { peak, result: await result };
}

/** User + system CPU time of a process so far, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await read(`/proc/${pid}/stat`);
  if (!stat) throw new Error(`process ${pid} is gone`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}
