/**
 * `npm run bench:profile`: where a fresh instance's first calls spend their time (a diagnosis, not a benchmark; it
 * prints, it asserts nothing). The package is built unminified (names readable), run as FC runs it on FC's Node
 * (20.10) under `--cpu-prof`, and asked, each in a fresh process:
 * - its first `tools/call list_nodepools`, then its first `kubectl get pods` and the first kubectl call of another
 *   identity, each with a timeline: the emulated cloud's calls and the fake API server's requests, from arrival to
 *   answer, against the moment the call was sent;
 * - then, in a fresh process, 2,000 warm `tools/call list_nodepools` (8 at a time): where a warm call's CPU goes;
 * - the CPU profile of each process (self time by bundled module and by function, top rows), written at SIGTERM.
 * PROFILE_ONLY=list,call runs only the scenarios whose title has one of the words; PROFILE_TOP=N prints N rows.
 * PROFILE_DIR keeps the .cpuprofile files (open them in Chrome DevTools); otherwise they are deleted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapNodeFlags } from '../scripts/build/fc-node.ts';
import { startFullEmulator } from '../test/emulator/full-emulator.ts';
import { runLoad } from './load.ts';
import { fcEnvironment, fcNodeBinary, fcRequestHeaders, freePort, prepareFcPackage } from '../test/fc/fc-instance.ts';

const TOKEN = 'bench-token-0123456789abcdef0123';
/** PROFILE_ONLY=word,word: run only the scenarios whose title contains one of them. */
const ONLY = (process.env.PROFILE_ONLY ?? '').split(',').filter(Boolean);
const TOP = Number(process.env.PROFILE_TOP ?? 15);
const NODE = fcNodeBinary();

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** For each bundled file, the module each line belongs to (esbuild marks each module with a `// path` line when not minified). */
async function moduleMap(dir: string): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  const files = ['index.cjs', 'app.cjs'];
  for (const file of files) {
    const lines = (await readFile(join(dir, file), 'utf8')).split('\n');
    let current = '(bundle glue)';
    map.set(
      file,
      lines.map((line) => {
        const marker = /^\s*\/\/ ((?:node_modules|src|functions)\/\S+)$/.exec(line);
        if (marker) current = marker[1]!.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, '$1');
        return current;
      }),
    );
  }
  return map;
}

function summarise(profile: CpuProfile, modules: Map<string, string[]>, top = TOP): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id)!;
    total += us;
    let module = callFrame.url ? callFrame.url.replace(/^file:\/\//, '') : `(${callFrame.functionName || 'native'})`;
    // The bundle by its file name: code deserialized from the code cache keeps the path it was built at.
    const bundled = /\/((?:index|app)\.cjs)$/.exec(module);
    if (bundled) {
      const file = bundled[1]!;
      module = modules.get(file)?.[callFrame.lineNumber] ?? file;
    } else if (module.startsWith('node:')) module = 'node: internals';
    byModule.set(module, (byModule.get(module) ?? 0) + us);
    const name = `${callFrame.functionName || '(anonymous)'} [${module}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `    ${(us / 1000).toFixed(1).padStart(7)} ms  ${name}`)
      .join('\n');
  return `  CPU samples: ${(total / 1000).toFixed(0)} ms in all\n  self time by module:\n${rows(byModule)}\n  self time by function:\n${rows(byFunction)}`;
}

const pkg = await prepareFcPackage({ minify: false });
const emulator = await startFullEmulator();
const profileDir = process.env.PROFILE_DIR ?? (await mkdtemp(join(tmpdir(), 'ack-mcp-profile-')));
const modules = await moduleMap(pkg.codeDir);
const done = new WeakMap<object, number>();
const settle = emulator.callLog.settle.bind(emulator.callLog);
emulator.callLog.settle = (entry, outcome) => {
  done.set(entry, Date.now());
  settle(entry, outcome);
};
const account = emulator.world.accounts[0]!;
const role = account.accessKeys.find((key) => key.securityToken && (key.expiresAt ?? 0) > Date.now())!;
const otherKey = account.accessKeys[0]!;
const cluster = account.clusters[0]!.cluster_id;

async function post(port: number, body: unknown, headers: Record<string, string>): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${TOKEN}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { ms: performance.now() - started, text };
}
const call = (name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name, arguments: args },
});

/** What the emulated cloud and the fake API server saw after `since` (ms since epoch), relative to it. */
function timeline(since: number): string {
  const cloud = emulator.callLog.records
    .filter((record) => record.time >= since)
    .map((record) => ({ at: record.time - since, end: (done.get(record) ?? record.time) - since, what: `cloud ${record.action}` }));
  const kube = emulator.kube.requests
    .filter((request) => request.time >= since)
    .map((request) => ({ at: request.time - since, end: undefined, what: `kube ${request.method} ${request.path.slice(0, 70)}` }));
  return [...cloud, ...kube]
    .sort((a, b) => a.at - b.at)
    .map(
      (entry) => `    +${String(entry.at).padStart(5)} ms${entry.end !== undefined ? ` → +${entry.end} ms` : '           '}  ${entry.what}`,
    )
    .join('\n');
}

async function scenario(
  title: string,
  steps: Array<{ label: string; body: unknown; headers: Record<string, string>; load?: number }>,
): Promise<void> {
  if (ONLY.length > 0 && !ONLY.some((word) => title.includes(word))) return;
  const port = await freePort();
  const dir = await mkdtemp(join(profileDir, 'run-'));
  const env = {
    ...fcEnvironment(port, account.accountId),
    PATH: process.env.PATH ?? '',
    HOME: join(pkg.root, 'home'),
    MCP_AUTH_TOKEN: TOKEN,
    ACCESS_MODE: 'read-only',
    CREDENTIAL_SOURCES: 'function',
    ...emulator.serverEnv,
    KUBECTL_PATH: join(pkg.optDir, 'bin', 'kubectl'),
  };
  const spawned = performance.now();
  const flags = bootstrapNodeFlags(join(pkg.codeDir, 'bootstrap'));
  const child = spawn(NODE, [...flags, '--cpu-prof', `--cpu-prof-dir=${dir}`, join(pkg.codeDir, 'index.cjs')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      if (logs.some((line) => line.includes('"event":"listening"'))) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  console.log(`\n## ${title}\n  spawn → listening: ${(performance.now() - spawned).toFixed(0)} ms`);
  for (const step of steps) {
    if (step.load) {
      const result = await runLoad({
        port,
        body: JSON.stringify(step.body),
        headers: { authorization: `Bearer ${TOKEN}`, ...step.headers },
        concurrency: 8,
        requests: step.load,
        maxMs: 60_000,
      });
      console.log(`  ${step.label}: ${result.ok} ok, ${result.failed} failed, ${result.rps.toFixed(0)} req/s`);
      continue;
    }
    const since = Date.now();
    const answer = await post(port, step.body, step.headers);
    const failed = /"isError":true/.test(answer.text) ? ` FAILED: ${answer.text.slice(0, 200)}` : '';
    console.log(`  ${step.label}: ${answer.ms.toFixed(0)} ms${failed}\n${timeline(since)}`);
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  for (const line of logs) if (/"kubectlMs"/.test(line)) console.log(`  server log: ${line.slice(0, 400)}`);
  const [file] = await readdir(dir);
  if (file) console.log(summarise(JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile, modules));
}

try {
  const roleHeaders = () => fcRequestHeaders(account.accountId, role);
  await scenario('first tools/list of a fresh instance', [
    { label: 'tools/list', body: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers: roleHeaders() },
  ]);
  await scenario('first tools/call list_nodepools of a fresh instance', [
    { label: 'list_nodepools', body: call('list_nodepools', { cluster_id: cluster }), headers: roleHeaders() },
  ]);
  await scenario('first kubectl call of a fresh instance, then another identity', [
    {
      label: 'kubectl get pods (first of the process)',
      body: call('kubectl', { cluster_id: cluster, command: 'get pods -n default' }),
      headers: roleHeaders(),
    },
    {
      label: 'kubectl get pods (same identity, warm)',
      body: call('kubectl', { cluster_id: cluster, command: 'get pods -n default' }),
      headers: roleHeaders(),
    },
    {
      label: 'kubectl get pods (another identity)',
      body: call('kubectl', { cluster_id: cluster, command: 'get pods -n default' }),
      headers: fcRequestHeaders(account.accountId, otherKey),
    },
  ]);
  const nodepools = call('list_nodepools', { cluster_id: cluster });
  await scenario('warm tools/call list_nodepools', [
    { label: '2,000 calls, 8 at a time', body: nodepools, headers: roleHeaders(), load: 2_000 },
  ]);
  await scenario('warm tools/list (the answer served from tools-list.json)', [
    { label: '4,000 lists, 8 at a time', body: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers: roleHeaders(), load: 4_000 },
  ]);
} finally {
  await emulator.close();
  await pkg.remove();
  if (!process.env.PROFILE_DIR) await rm(profileDir, { recursive: true, force: true });
}
