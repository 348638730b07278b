/**
 * The memory an instance has, as Function Compute gives it. FC runs an instance in its configured memory (s.yaml's
 * `memorySize`, 1024 MB), and Node sizes V8's heap from the memory it can see (its memory cgroup's limit, else the
 * machine's): on 1024 MB a young generation of 2 x 4 MB and a heap limit of ~520 MB, on 512 MB 2 x 1 MB and ~260 MB,
 * on this 24 GB machine 2 x 8 MB and ~4 GB. Memory and CPU figures measured with the machine's sizing are not the instance's. So the bench runs the package
 * and every reference it compares them with in a memory cgroup of that size, when the machine lets it create one
 * (cgroup v1's memory controller or cgroup v2, writable); otherwise it says that its figures are not FC-faithful.
 */
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { type Launch, launchAsItIs } from '../test/fc/fc-instance.ts';

export interface InstanceMemory {
  /** Whether processes started with `launch` get the instance's memory (a cgroup of it). */
  faithful: boolean;
  /** What the bench's table says about it. */
  describe: string;
  /** The command that runs `command args` inside the cgroup (a shell that joins it, then execs: the same pid). */
  launch: Launch;
  /** Whether a running process is in the cgroup. */
  contains(pid: number): Promise<boolean>;
  close(): Promise<void>;
}

interface CgroupLayout {
  dir: string;
  limitFile: string;
}

/** The directory of this process's own memory cgroup and the file that limits a child of it. */
async function ownMemoryCgroup(): Promise<CgroupLayout> {
  const lines = (await readFile('/proc/self/cgroup', 'utf8')).trim().split('\n');
  for (const line of lines) {
    const [, controllers = '', path = ''] = line.split(':');
    if (controllers.split(',').includes('memory')) return { dir: join('/sys/fs/cgroup/memory', path), limitFile: 'memory.limit_in_bytes' };
  }
  const unified = lines.find((line) => line.startsWith('0::'));
  if (unified && (await readFile('/sys/fs/cgroup/cgroup.controllers', 'utf8')).split(/\s+/).includes('memory'))
    return { dir: join('/sys/fs/cgroup', unified.slice(3)), limitFile: 'memory.max' };
  throw new Error('no memory cgroup controller');
}

/**
 * A memory cgroup of `megabytes` for the bench's processes; without one, processes start as they are and `describe`
 * says why the memory and CPU figures are not FC-faithful.
 */
export async function instanceMemory(megabytes: number): Promise<InstanceMemory> {
  let dir: string;
  try {
    const own = await ownMemoryCgroup();
    dir = join(own.dir, `ack-mcp-bench-${process.pid}`);
    await mkdir(dir);
    try {
      await writeFile(join(dir, own.limitFile), String(megabytes * 1024 * 1024));
    } catch (error) {
      await rmdir(dir).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      faithful: false,
      describe: `NOT FC-faithful in memory and CPU: no memory cgroup (${reason}), so V8 sized its heap for this machine's ${(totalmem() / 2 ** 30).toFixed(1)} GB`,
      launch: launchAsItIs,
      contains: async () => false,
      close: async () => undefined,
    };
  }
  const procs = join(dir, 'cgroup.procs');
  const name = dir.slice(dir.lastIndexOf('/'));
  return {
    faithful: true,
    describe: `package and references run in a ${megabytes} MB memory cgroup (FC's memorySize): V8 sizes its heap as on FC`,
    launch: (command, args) => ({ command: '/bin/sh', args: ['-c', 'echo $$ > "$0" && exec "$@"', procs, command, ...args] }),
    async contains(pid) {
      const cgroups = await readFile(`/proc/${pid}/cgroup`, 'utf8');
      return cgroups.split('\n').some((line) => line.endsWith(name));
    },
    async close() {
      await rmdir(dir).catch(() => undefined); // refused only while a process is still in it: the bench stops them first
    },
  };
}
