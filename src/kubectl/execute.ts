/**
 * One kubectl call end to end: a proxy session for the caller's cluster, a private per-call directory holding the
 * proxy kubeconfig (0600; deleted afterwards), the per-(identity, cluster) discovery cache, the run, and cleanup.
 * kubectl never sees a cluster credential; the session token dies when the call ends.
 *
 * The grant may be work still to do (a function: fetching the caller's kubeconfig): kubectl is started first and that
 * work begins right after, while kubectl starts; kubectl's requests wait for the grant in the proxy. A process's first
 * call thus does not pay kubectl's start after its cloud calls. A grant that fails stops kubectl, and the call fails
 * with the grant's error.
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
  /** What the call may reach, or the work that finds it out (started once kubectl is). */
  grant: ProxyGrant | (() => Promise<ProxyGrant>);
  /** Names the discovery cache: `discoveryCacheKey(identity, cluster)`. */
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

/** Names the connection pool of one identity to one cluster's API server (`ProxyGrant.poolKey`). */
export function kubectlPoolKey(identityKey: string, clusterId: string, server: string): string {
  return `${identityKey}\0${clusterId}\0${server}`;
}

/**
 * Names the discovery cache of one identity on one cluster: known before the kubeconfig is (kubectl starts while it is
 * fetched). What discovery describes (the cluster's API groups and resources) does not depend on the address it was
 * reached at, and kubectl keys its own cache by the loopback proxy's address inside this directory.
 */
export function discoveryCacheKey(identityKey: string, clusterId: string): string {
  return `${identityKey}\0${clusterId}`;
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

/** The grant, known or promised, and what starts the work of a promised one. */
function grantSource(source: ExecuteKubectlOptions['grant']): { grant: ProxyGrant | Promise<ProxyGrant>; begin: () => void } {
  if (typeof source !== 'function') return { grant: source, begin: () => undefined };
  let begin: () => void = () => undefined;
  const grant = new Promise<ProxyGrant>((resolve, reject) => {
    begin = () => {
      Promise.resolve().then(source).then(resolve, reject);
    };
  });
  return { grant, begin };
}

export async function executeKubectl(options: ExecuteKubectlOptions): Promise<KubectlExecution> {
  const { proxy } = options;
  const { grant, begin } = grantSource(options.grant);
  // A grant that fails stops kubectl (its waiting requests were answered 401) and is the call's error.
  const grantFailed = new AbortController();
  if (grant instanceof Promise) grant.catch(() => grantFailed.abort());
  const signal = options.signal ? AbortSignal.any([options.signal, grantFailed.signal]) : grantFailed.signal;
  const cacheDir = await cacheDirectory(options.cacheKey);
  const session = await proxy.open(grant);
  let callDir: string | undefined;
  try {
    callDir = await mkdtemp(join(tmpdir(), 'ack-mcp-kubectl-')); // 0700
    const kubeconfigPath = join(callDir, 'kubeconfig');
    await writeFile(kubeconfigPath, proxyKubeconfig(session.url, session.caPem, session.token), { mode: 0o600, flag: 'wx' });
    const running = runKubectl({
      kubectlPath: options.kubectlPath,
      args: options.args,
      kubeconfigPath,
      cacheDir,
      homeDir: callDir,
      timeoutSeconds: options.timeoutSeconds,
      stdin: options.manifest,
      maxOutputBytes: options.maxOutputBytes,
      signal,
      limits: options.limits,
    });
    begin(); // kubectl has been spawned: its start overlaps the grant's work
    const run = await running;
    // A failed grant is the call's error, also for a kubectl that never needed it (`version --client`): a call on a
    // cluster the caller cannot reach fails as it did before kubectl started first. Not waited for after a timeout.
    if (grantFailed.signal.aborted || (grant instanceof Promise && !run.timedOut && !run.aborted)) await grant;
    return { ...run, upstreamRequests: session.upstreamRequests, refusedRequests: session.refusedRequests, cacheDir };
  } finally {
    session.close();
    if (callDir) await rm(callDir, { recursive: true, force: true });
  }
}
