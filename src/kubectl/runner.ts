/**
 * Runs kubectl once (rules 1, 7 and 8 of docs/kubectl-safety.md): `spawn` without a shell, the configured
 * absolute path, the server's own flags followed by exactly the validated arguments, a minimal environment, stdin only
 * for a manifest, a hard SIGKILL at the deadline or past its memory or CPU budget (resource-limits.ts), and
 * stdout/stderr streamed into bounded buffers, then masked.
 */
import { spawn } from 'node:child_process';
import { truncationNote } from '../text.ts';
import { BoundedBuffer } from './bounded-buffer.ts';
import { maskKubectlOutput } from './output-filter.ts';
import {
  limitedCommand,
  limitFromExit,
  prlimitExecFailure,
  ResourceWatch,
  type KubectlLimits,
  type LimitExceeded,
  type ResourceUsage,
} from './resource-limits.ts';

export interface KubectlInvocation {
  /** Absolute path of kubectl (the `KUBECTL_PATH` setting). */
  kubectlPath: string;
  /** The arguments `parseKubectlCommand` accepted, untouched. */
  args: readonly string[];
  /** kubeconfig naming the loopback proxy (no cluster credential). */
  kubeconfigPath: string;
  /** Discovery and HTTP cache, private to one (identity, cluster). */
  cacheDir: string;
  /** A private, per-call directory: kubectl's HOME and TMPDIR. */
  homeDir: string;
  /** Both kubectl's `--request-timeout` and the hard-kill deadline (fractions allowed: what is left of a call's). */
  timeoutSeconds: number;
  /** Fed on stdin (for `-f -`); stdin is closed otherwise. */
  stdin?: string | undefined;
  /** Bytes of stdout kept for the answer (stderr keeps at most 8 KiB). */
  maxOutputBytes: number;
  /** Kills kubectl when aborted (the MCP request was cancelled). */
  signal?: AbortSignal | undefined;
  /** Memory and CPU budget: kubectl is killed past either. */
  limits: KubectlLimits;
}

export interface KubectlRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Killed at the deadline. */
  timedOut: boolean;
  /** Killed because the request was cancelled. */
  aborted: boolean;
  /** Killed past its memory or CPU budget (by this server or by the kernel). */
  limitExceeded: LimitExceeded | undefined;
  /** What kubectl used, as last sampled. */
  usage: ResourceUsage;
  /** kubectl could not be started (missing or not executable); the reason, without the path. */
  spawnError: string | undefined;
  /** Masked stdout, cut at `maxOutputBytes`. */
  stdout: string;
  /** Bytes of stdout left out. */
  stdoutDropped: number;
  /** Masked stderr, bounded. */
  stderr: string;
  durationMs: number;
}

const STDERR_LIMIT = 8 * 1024;

/** The server's own flags, always in the `--flag=value` form (they are never a flag that waits for a value). */
export function serverFlags(invocation: Pick<KubectlInvocation, 'kubeconfigPath' | 'cacheDir' | 'timeoutSeconds'>): string[] {
  const seconds = invocation.timeoutSeconds;
  const timeout = Number.isInteger(seconds) ? `${seconds}s` : `${Math.max(1, Math.ceil(seconds * 1000))}ms`;
  return [`--kubeconfig=${invocation.kubeconfigPath}`, `--cache-dir=${invocation.cacheDir}`, `--request-timeout=${timeout}`];
}

/**
 * The argv kubectl gets: the server's flags first, then the validated arguments. Placed first, no flag of the
 * caller's can take one of them as its value (a trailing `--template` would print the kubeconfig's path); the caller
 * cannot override them either (the argument policy refuses `--kubeconfig` and `--cache-dir`).
 */
export function spawnArgv(validated: readonly string[], flags: readonly string[]): string[] {
  return [...flags, ...validated];
}

/** kubectl's whole environment: no PATH, no cloud credentials, no proxies, no editors or diff programs. */
export function childEnvironment(invocation: Pick<KubectlInvocation, 'kubeconfigPath' | 'cacheDir' | 'homeDir'>): Record<string, string> {
  return {
    HOME: invocation.homeDir,
    TMPDIR: invocation.homeDir,
    // Also in the environment, so that kubectl finds the proxy's kubeconfig and no other whatever the flags say.
    KUBECONFIG: invocation.kubeconfigPath,
    KUBECACHEDIR: invocation.cacheDir,
    KUBERC: 'off',
  };
}

/** Mask the kept output, then cut it to `limit` bytes; returns the text and the bytes left out. */
export function maskAndBound(raw: BoundedBuffer, limit: number): { text: string; dropped: number } {
  const masked = maskKubectlOutput(raw.toString(), { cut: raw.truncated });
  const cut = new BoundedBuffer(limit);
  cut.push(masked);
  const text = cut.toString();
  return { text, dropped: raw.dropped + cut.dropped };
}

/** Run kubectl and wait for it (never longer than the deadline). Never throws. */
export function runKubectl(invocation: KubectlInvocation): Promise<KubectlRun> {
  const started = performance.now();
  // Keep more than is shown, so JSON output usually parses whole and is masked structurally before it is cut.
  const stdout = new BoundedBuffer(Math.min(invocation.maxOutputBytes * 4, 1024 * 1024));
  const stderr = new BoundedBuffer(STDERR_LIMIT);
  const argv = spawnArgv(invocation.args, serverFlags(invocation));
  return new Promise<KubectlRun>((resolve) => {
    let timedOut = false;
    let aborted = false;
    let spawnError: string | undefined;
    const command = limitedCommand(invocation.kubectlPath, argv, invocation.limits);
    const child = spawn(command.file, command.args, {
      env: childEnvironment(invocation),
      cwd: invocation.homeDir,
      stdio: [invocation.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, invocation.timeoutSeconds * 1000);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    invocation.signal?.addEventListener('abort', onAbort, { once: true });
    if (invocation.signal?.aborted) onAbort();
    const watch = child.pid ? new ResourceWatch(child.pid, invocation.limits, kill) : undefined;
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    // Every pipe owns an error path: a read error ends the run like an exit does ('close' still fires).
    child.stdout!.on('error', kill);
    child.stderr!.on('error', kill);
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE: kubectl may exit before reading it all
      child.stdin.end(invocation.stdin);
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error.code ?? 'spawn failed';
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      watch?.stop();
      invocation.signal?.removeEventListener('abort', onAbort);
      const usage = watch?.usage ?? { peakRssMb: 0, peakDataMb: 0, cpuSeconds: 0 };
      const rawStderr = stderr.toString();
      const limitExceeded = watch?.exceeded ?? limitFromExit(invocation.limits, { exitCode, signal, stderr: rawStderr, usage });
      spawnError ??= prlimitExecFailure(invocation.limits, exitCode, rawStderr);
      const out = maskAndBound(stdout, invocation.maxOutputBytes);
      const err = maskAndBound(stderr, STDERR_LIMIT);
      resolve({
        exitCode,
        signal,
        timedOut,
        aborted,
        limitExceeded,
        usage,
        spawnError,
        stdout: out.text,
        stdoutDropped: out.dropped,
        stderr: err.text + (err.dropped ? `\n${truncationNote(`${err.dropped} more bytes of kubectl's messages not shown`)}` : ''),
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}
