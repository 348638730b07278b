/**
 * One kubectl call end to end: a proxy session for the caller's cluster, a private per-call directory holding the
 * proxy kubeconfig (0600; deleted afterwards), the per-(identity, cluster) discovery cache, the run, and cleanup.
 * kubectl never sees a cluster credential; the session token dies when the call ends.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proxyKubeconfig } from './proxy-kubeconfig.ts';
import type { KubectlProxy, ProxyGrant } from './proxy.ts';
import type { KubectlLimits } from './resource-limits.ts';
import { runKubectl, type KubectlRun } from './runner.ts';

export interface ExecuteKubectlOptions {
  kubectlPath: string;
  /** Validated arguments (from `parseKubectlCommand`). */
  args: readonly string[];
  manifest?: string | undefined;
  timeoutSeconds: number;
  maxOutputBytes: number;
  signal?: AbortSignal | undefined;
  /** Memory and CPU budget of the kubectl process. */
  limits: KubectlLimits;
  grant: ProxyGrant;
  /** Names the discovery cache: `kubectlCacheKey(identity, cluster, server)`. */
  cacheKey: string;
  /** The server's proxy (`ServerServices.kubectlProxy`). */
  proxy: KubectlProxy;
}

export interface KubectlExecution extends KubectlRun {
  upstreamRequests: number;
  refusedRequests: number;
  cacheDir: string;
}

const CACHE_ROOT = 'ack-mcp-kubectl-cache';

/** Create (or reuse) a directory only this process's user can enter; refuse one that is a symlink or open to others. */
async function privateDirectory(path: string): Promise<string> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  const info = await lstat(path);
  const uid = process.getuid?.();
  if (!info.isDirectory() || (info.mode & 0o077) !== 0 || (uid !== undefined && info.uid !== uid)) {
    throw new Error(`kubectl cache directory ${path} is not private to this user`);
  }
  return path;
}

/** Names the discovery cache and the connection pool of one identity on one cluster's API server. */
export function kubectlCacheKey(identityKey: string, clusterId: string, server: string): string {
  return `${identityKey}\0${clusterId}\0${server}`;
}

/** The discovery cache of one (identity, cluster), so that warm calls skip discovery. */
export async function cacheDirectory(cacheKey: string): Promise<string> {
  const root = await privateDirectory(join(tmpdir(), CACHE_ROOT));
  return privateDirectory(join(root, createHash('sha256').update(cacheKey).digest('hex').slice(0, 32)));
}

/**
 * Start the loopback proxy (its certificate and listener) now, so that a process's first kubectl call does not wait
 * for it after the kubeconfig has come: call it before fetching the kubeconfig. Failures surface in `executeKubectl`.
 */
export function warmKubectlProxy(proxy: Promise<KubectlProxy>): void {
  proxy.then((started) => started.endpoint()).catch(() => undefined);
}

export async function executeKubectl(options: ExecuteKubectlOptions): Promise<KubectlExecution> {
  const { proxy } = options;
  const cacheDir = await cacheDirectory(options.cacheKey);
  const session = await proxy.open(options.grant);
  let callDir: string | undefined;
  try {
    callDir = await mkdtemp(join(tmpdir(), 'ack-mcp-kubectl-')); // 0700
    const kubeconfigPath = join(callDir, 'kubeconfig');
    await writeFile(kubeconfigPath, proxyKubeconfig(session.url, session.caPem, session.token), { mode: 0o600, flag: 'wx' });
    const run = await runKubectl({
      kubectlPath: options.kubectlPath,
      args: options.args,
      kubeconfigPath,
      cacheDir,
      homeDir: callDir,
      timeoutSeconds: options.timeoutSeconds,
      stdin: options.manifest,
      maxOutputBytes: options.maxOutputBytes,
      signal: options.signal,
      limits: options.limits,
    });
    return { ...run, upstreamRequests: session.upstreamRequests, refusedRequests: session.refusedRequests, cacheDir };
  } finally {
    session.close();
    if (callDir) await rm(callDir, { recursive: true, force: true });
  }
}
