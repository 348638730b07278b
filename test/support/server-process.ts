/**
 * The server from source (`src/main.ts`) in a child process and session of its own, as on FC: its event loop and
 * its CPU share (cpu-share.ts) are not the test's, so what a probe measures is the server's responsiveness, and a
 * crash ends only the child (the test sees it as `exit`). Log lines (stdout) are handed to the caller as they arrive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { raiseCpuShare } from './cpu-share.ts';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  stderr: string[];
  /** Resolves with the exit code (or the signal) when the child ends, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Set once the child has exited. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM, then the exit (the server closes and exits 0). */
  close(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts `node --import tsx src/main.ts` with exactly `env` (plus PATH and HOME) on the Node running the tests.
 * @throws Error when the child exits before it listens (with its stderr).
 */
export async function startServerProcess(
  env: Record<string, string>,
  onLogLine: (line: string) => void,
  options: { cpuNice?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A session, and so a CPU share, of its own (cpu-share.ts); killed with the test process.
    detached: true,
  });
  const killOnExit = () => child.kill();
  process.once('exit', killOnExit);
  if (options.cpuNice !== undefined) raiseCpuShare(child.pid, options.cpuNice);
  const stderr: string[] = [];
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      process.off('exit', killOnExit);
      resolve(exit);
    }),
  );
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      onLogLine(line);
      if (!line.includes('"event":"listening"')) return;
      const url = new URL((JSON.parse(line) as { url: string }).url);
      resolve({ address: url.hostname, family: 'IPv4', port: Number(url.port) });
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${stderr.join('\n')}`)),
    );
  });
  const url = `http://127.0.0.1:${address.port}`;
  return {
    child,
    url,
    port: address.port,
    stderr,
    exited,
    get exit() {
      return exit;
    },
    async close() {
      if (exit === undefined) child.kill('SIGTERM');
      await exited;
    },
  };
}
