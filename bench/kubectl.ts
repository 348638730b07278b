/**
 * kubectl benchmark (`npm run bench:kubectl`; not part of `npm test`). Everything is measured in one run against the
 * same fake API server, so the figures are ratios against a reference from the same machine and moment:
 * - warm `get pods` through the MCP tool (real HTTP, credentials, cached kubeconfig, proxy, real kubectl) ÷ the same
 *   kubectl run directly against the fake API server with a warm discovery cache (target ≤ 1.3×);
 * - API-server requests per warm tool call (target 1);
 * - the cold call: the first call of the process (SDK load, kubeconfig fetch, proxy start, discovery), and the first
 *   call of a further identity (kubeconfig fetch and discovery only).
 * Medians of RUNS runs (default 15, at least 7), tool and direct runs interleaved.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { kubeUserOf } from '../test/emulator/cs/kubeconfig.ts';
import { callerHeaders, startStack } from '../test/support/stack.ts';

const RUNS = Math.max(7, Number(process.env.RUNS ?? 15));
const COMMAND = ['get', 'pods', '-n', 'default'];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

// Audit lines go to the stack's captured log: they cost as in production, but stay off the report.
const stack = await startStack();
const kube = stack.emulator.kube;
const account = stack.emulator.world.accounts[0]!;
const cluster = account.clusters[0]!;
const dir = await mkdtemp(join(tmpdir(), 'bench-kubectl-'));

try {
  const call = async (client: Client) => {
    const result = (await client.callTool({
      name: 'kubectl',
      arguments: { cluster_id: cluster.cluster_id, command: COMMAND.join(' ') },
    })) as { isError?: boolean; content: Array<{ text: string }> };
    if (result.isError) throw new Error(`kubectl tool failed: ${result.content[0]?.text}`);
  };

  // Cold: the process's first call, then the first call of two more identities.
  const clients = await Promise.all(account.accessKeys.slice(0, 3).map((key) => stack.client(callerHeaders(key))));
  const coldFirst = (await timed(() => call(clients[0]!))).ms;
  const coldOthers = [(await timed(() => call(clients[1]!))).ms, (await timed(() => call(clients[2]!))).ms];

  // Direct kubectl: the same user, kubeconfig and a warm cache of its own, against the same API server.
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kube.kubeconfig(kubeUserOf({ account, key: account.accessKeys[0]! }), ['system:authenticated']), {
    mode: 0o600,
  });
  const kubectlPath = stack.emulator.serverEnv.KUBECTL_PATH!;
  const direct = () =>
    new Promise<void>((resolve, reject) => {
      execFile(
        kubectlPath,
        [...COMMAND, `--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, 'cache')}`, '--request-timeout=30s'],
        { env: { HOME: dir, KUBERC: 'off' } },
        (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve()),
      );
    });
  await direct(); // warm its discovery cache
  await call(clients[0]!);

  const toolMs: number[] = [];
  const directMs: number[] = [];
  const upstream: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const before = kube.requests.length;
    toolMs.push((await timed(() => call(clients[0]!))).ms);
    upstream.push(kube.requests.length - before);
    directMs.push((await timed(direct)).ms);
  }

  const ratio = median(toolMs) / median(directMs);
  console.log(`kubectl benchmark: \`kubectl ${COMMAND.join(' ')}\`, ${RUNS} interleaved runs each, medians`);
  console.log(`  warm tool call (MCP → proxy → kubectl)  ${ms(median(toolMs))}`);
  console.log(`  direct kubectl, warm cache             ${ms(median(directMs))}`);
  console.log(`  ratio warm tool ÷ direct                ${ratio.toFixed(2)}×  (target ≤ 1.3×) ${ratio <= 1.3 ? 'ok' : 'MISSED'}`);
  console.log(
    `  API-server requests per warm call       ${median(upstream)} (max ${Math.max(...upstream)}; target 1) ${Math.max(...upstream) === 1 ? 'ok' : 'MISSED'}`,
  );
  console.log(`  cold call, first of the process         ${ms(coldFirst)}`);
  console.log(`  cold call, first of another identity    ${ms(median(coldOthers))}`);
} finally {
  await rm(dir, { recursive: true, force: true });
  await stack.close();
}
