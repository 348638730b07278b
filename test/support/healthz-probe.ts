/**
 * A `/healthz` probe beside a test, in a process (and a CPU share: cpu-share.ts) of its own
 * (healthz-probe-process.ts), measuring each answer from its send to its end: what it measures is the server's
 * responsiveness, not the test process's nor the machine's other work.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { raiseCpuShare } from './cpu-share.ts';

export interface ProbeReport {
  /** Probes answered. */
  count: number;
  /** The slowest answer (ms) and when it was sent. */
  worstMs: number;
  worstAt: string;
  /** Answers slower than 500 ms (the first 20). */
  slow: Array<{ at: string; ms: number }>;
  /** Probes with no answer, an error or a status other than 200 (the first 20). */
  failures: string[];
}

export interface HealthzProbe {
  /** Stops probing, waits for the probes in flight, and reports. */
  stop(): Promise<ProbeReport>;
}

const PROGRAM = fileURLToPath(new URL('./healthz-probe-process.ts', import.meta.url));

/** Starts probing; resolves once the first probe was answered. `cpuNice`: see `raiseCpuShare`. */
export async function startHealthzProbe(
  url: string,
  options: { intervalMs: number; timeoutMs: number; cpuNice?: number },
): Promise<HealthzProbe> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROGRAM, url, String(options.intervalMs), String(options.timeoutMs)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const killOnExit = () => child.kill();
  process.once('exit', killOnExit);
  if (options.cpuNice !== undefined) raiseCpuShare(child.pid, options.cpuNice);
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      void exited.then((code) => reject(new Error(`the probe exited (${code}) early`)));
    });
  const ready = await next();
  if (ready !== 'ready') throw new Error(`the probe said ${ready.slice(0, 200)}`);
  return {
    async stop() {
      const report = next();
      child.stdin!.end();
      const result = JSON.parse(await report) as ProbeReport;
      await exited;
      process.off('exit', killOnExit);
      return result;
    },
  };
}
