/**
 * A memory and CPU budget per kubectl process. A go-template can make kubectl grow without bound (a string doubled 25
 * times: ~2 GB) or spin, and a 512 MB function instance runs several kubectls beside node. Two layers:
 *
 * 1. The kernel enforces both limits when util-linux `prlimit` is there (Debian's util-linux is Essential: FC's
 *    debian10 runtime has /usr/bin/prlimit): kubectl is spawned as `prlimit --data=B:B --cpu=S:S -- kubectl …`, which
 *    sets the limits on itself and execs kubectl (no shell). RLIMIT_DATA bounds the private writable memory Go maps for
 *    its heap (not its address-space reservations, which RLIMIT_AS would count), so kubectl dies at the bound with Go's
 *    "fatal error: … out of memory" before the instance runs short; RLIMIT_CPU at soft = hard ends it with SIGKILL
 *    (Go ignores SIGXCPU).
 * 2. A watcher reads /proc/<pid>/status (VmData, VmHWM) and /proc/<pid>/stat (utime + stime) every 100 ms and kills
 *    kubectl past either limit: the same bounds where prlimit is missing (then memory may overshoot by what kubectl
 *    maps in 100 ms), the peak figures for the log, and which limit was hit.
 * Not used: GOMEMLIMIT is a GC target, not a bound (measured: no lower peak for large lists); cgroups are not
 * available on FC; `ulimit` needs a shell.
 */
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface KubectlLimits {
  /** MB of data (heap) kubectl may map: `KUBECTL_MAX_MEMORY_MB`. */
  memoryMb: number;
  /** CPU seconds, user + system: `KUBECTL_MAX_CPU_SECONDS`. */
  cpuSeconds: number;
  /** prlimit to set the kernel limits with ({@link findPrlimit}); without it, the watcher alone enforces them. */
  prlimitPath: string | undefined;
}

export type LimitExceeded = 'memory' | 'cpu';

/** What a kubectl process used, as last sampled. */
export interface ResourceUsage {
  /** Peak resident memory (VmHWM), MB. */
  peakRssMb: number;
  /** Largest data mapping seen (VmData), MB: what the memory limit bounds. */
  peakDataMb: number;
  cpuSeconds: number;
}

const PRLIMIT_CANDIDATES = ['/usr/bin/prlimit', '/bin/prlimit'];
const SAMPLE_MS = 100;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
let prlimit: string | null | undefined;

/** Where util-linux prlimit is on this machine (looked up once), or undefined. */
export function findPrlimit(): string | undefined {
  if (prlimit === undefined) {
    prlimit =
      PRLIMIT_CANDIDATES.find((path) => {
        try {
          accessSync(path, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }) ?? null;
  }
  return prlimit ?? undefined;
}

/** The program and arguments to spawn: kubectl itself, or prlimit setting the limits and then exec'ing kubectl. */
export function limitedCommand(kubectlPath: string, argv: readonly string[], limits: KubectlLimits): { file: string; args: string[] } {
  if (!limits.prlimitPath) return { file: kubectlPath, args: [...argv] };
  const bytes = limits.memoryMb * 1024 * 1024;
  return {
    file: limits.prlimitPath,
    args: [`--data=${bytes}:${bytes}`, `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds}`, '--', kubectlPath, ...argv],
  };
}

/** prlimit could not exec kubectl (126: not executable, 127: missing): the spawn error it stands for. */
export function prlimitExecFailure(limits: KubectlLimits, exitCode: number | null, stderr: string): string | undefined {
  if (!limits.prlimitPath || (exitCode !== 126 && exitCode !== 127) || !stderr.startsWith('prlimit: failed to execute')) return undefined;
  return exitCode === 127 ? 'ENOENT' : 'EACCES';
}

/** Go's own words when the data limit refused it memory. */
const GO_OUT_OF_MEMORY = /^fatal error: (?:runtime: )?(?:out of memory|cannot allocate memory)/m;

/** Which limit ended a kubectl the watcher did not kill: Go ran out of memory, or the kernel's CPU limit killed it. */
export function limitFromExit(
  limits: KubectlLimits,
  run: { exitCode: number | null; signal: NodeJS.Signals | null; stderr: string; usage: ResourceUsage },
): LimitExceeded | undefined {
  if (run.exitCode === 2 && GO_OUT_OF_MEMORY.test(run.stderr)) return 'memory';
  if (limits.prlimitPath && run.signal === 'SIGKILL' && run.usage.cpuSeconds >= limits.cpuSeconds - 1) return 'cpu';
  return undefined;
}

const kb = (status: string, field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);

/**
 * Samples one process at once and then every 100 ms, and calls `onExceeded` once when it passes a limit. A process that
 * ends within its first sample may leave no figures (a zombie has no memory to read): usage then stays at zero.
 */
export class ResourceWatch {
  readonly usage: ResourceUsage = { peakRssMb: 0, peakDataMb: 0, cpuSeconds: 0 };
  exceeded: LimitExceeded | undefined;
  private readonly timer: NodeJS.Timeout;
  private sampling = false;
  private waiting: Array<() => void> = [];

  constructor(
    private readonly pid: number,
    private readonly limits: KubectlLimits,
    private readonly onExceeded: (limit: LimitExceeded) => void,
  ) {
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    void this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
    this.release();
  }

  /** Resolves after the next sample that read the process's figures (or when the watch stops). */
  nextSample(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  private async sample(): Promise<void> {
    if (this.sampling || this.exceeded) return;
    this.sampling = true;
    try {
      const [status, stat] = await Promise.all([readFile(`/proc/${this.pid}/status`, 'utf8'), readFile(`/proc/${this.pid}/stat`, 'utf8')]);
      this.usage.peakRssMb = Math.max(this.usage.peakRssMb, kb(status, 'VmHWM') / 1024);
      this.usage.peakDataMb = Math.max(this.usage.peakDataMb, kb(status, 'VmData') / 1024);
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      this.usage.cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND; // utime, stime
    } catch {
      return; // the process has exited (or /proc is not there): nothing to sample
    } finally {
      this.sampling = false;
    }
    this.release();
    const limit =
      this.usage.peakDataMb > this.limits.memoryMb ? 'memory' : this.usage.cpuSeconds >= this.limits.cpuSeconds ? 'cpu' : undefined;
    if (limit && !this.exceeded) {
      this.exceeded = limit;
      this.onExceeded(limit);
    }
  }
}
