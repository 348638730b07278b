/**
 * The cold kubectl figures of `npm run bench` (docs/performance.md), on the built package run as FC runs it:
 * - the first `kubectl get pods` of a fresh instance (already listening) through the tool: SDK load, kubeconfig fetch,
 *   proxy start, kubectl's discovery, the run;
 * - then the first call of another identity in the same instance (kubeconfig fetch, discovery, the run);
 * each ÷ the same kubectl run directly against the same API server with a warm discovery cache, measured just before
 * (interleaved), so every ratio compares the same moment. Each instance gets its own empty TMPDIR, as a fresh FC
 * instance has an empty /tmp (where the discovery caches live).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FullEmulator } from '../test/emulator/full-emulator.ts';
import { kubeUserOf } from '../test/emulator/cs/kubeconfig.ts';
import type { AccessKey } from '../test/emulator/world.ts';
import { fcRequestHeaders, freePort, type Launch, startFcInstance } from '../test/fc/fc-instance.ts';

export interface ColdKubectlOptions {
  emulator: FullEmulator;
  codeDir: string;
  node: string;
  /** How an instance is started (inside the instance's memory cgroup: ./instance-memory.ts). */
  launch: Launch;
  kubectlPath: string;
  serverEnv: (port: number) => Record<string, string>;
  /** The bearer token and the two identities (FC role headers): the first call's and another one's. */
  token: string;
  first: AccessKey;
  other: AccessKey;
  runs: number;
}

export interface ColdKubectlRun {
  directMs: number;
  firstMs: number;
  otherMs: number;
}

const COMMAND = 'get pods -n default';

export async function measureColdKubectl(options: ColdKubectlOptions): Promise<ColdKubectlRun[]> {
  const { emulator } = options;
  const account = emulator.world.accounts[0]!;
  const clusterId = account.clusters[0]!.cluster_id;
  const dir = await mkdtemp(join(tmpdir(), 'bench-cold-kubectl-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, emulator.kube.kubeconfig(kubeUserOf({ account, key: options.first }), ['system:authenticated']), {
      mode: 0o600,
    });
    const direct = () =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        execFile(
          options.kubectlPath,
          [...COMMAND.split(' '), `--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, 'cache')}`, '--request-timeout=30s'],
          { env: { HOME: dir, KUBERC: 'off' } },
          (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(performance.now() - started)),
        );
      });
    await direct(); // its discovery cache, warm from here on
    const runs: ColdKubectlRun[] = [];
    for (let i = 0; i < options.runs; i += 1) {
      const directMs = await direct();
      const port = await freePort();
      const instanceTmp = await mkdtemp(join(dir, 'instance-'));
      const instance = await startFcInstance({
        codeDir: options.codeDir,
        env: { ...options.serverEnv(port), TMPDIR: instanceTmp },
        port,
        node: options.node,
        launch: options.launch,
      });
      try {
        const call = async (key: AccessKey) => {
          const started = performance.now();
          const body = {
            jsonrpc: '2.0',
            id: 1,
            method: 'tools/call',
            params: { name: 'kubectl', arguments: { cluster_id: clusterId, command: COMMAND } },
          };
          const response = await instance.post(body, {
            authorization: `Bearer ${options.token}`,
            ...fcRequestHeaders(account.accountId, key),
          });
          const ms = performance.now() - started;
          if (response.status !== 200 || response.body?.result === undefined || response.body.result.isError === true)
            throw new Error(`cold kubectl call failed: ${response.text.slice(0, 300)}`);
          return ms;
        };
        runs.push({ directMs, firstMs: await call(options.first), otherMs: await call(options.other) });
      } finally {
        await instance.stop();
      }
    }
    return runs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
