/**
 * How long masking kubectl output that is hostile to it blocks the event loop
 * (`node --import tsx bench/event-loop-block.ts`; not part of `npm test`). Per output, what a go-template can print:
 * - the CPU time of masking one call's kept output (what the runner masks, synchronously, when kubectl exits: 80,000
 *   bytes at the default output limit), now and with the masking it replaced (test/support/quadratic-masking.ts):
 *   min and median of RUNS runs (default 15, after a warm-up). CPU time, so that other processes' load does not count; the code is
 *   bundled and minified as the deployed server is;
 * - the worst event-loop block (`perf_hooks.monitorEventLoopDelay`, 10 ms resolution, the delay beyond it) while
 *   CALLS runs (default 4) of `runKubectl` print it at once through a stand-in kubectl (no TLS, no MCP).
 * A blocked loop is what FC's health check sees: a few ms per call is the budget. The reference row (a plain table)
 * shows what spawning and the machine's load cost on their own.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { maskKubectlOutput as MaskKubectlOutput } from '../src/kubectl/output-filter.ts';
import type { runKubectl as RunKubectl } from '../src/kubectl/runner.ts';
import type { quadraticMaskKubectlOutput as QuadraticMaskKubectlOutput } from '../test/support/quadratic-masking.ts';

const CALLS = Math.max(1, Number(process.env.CALLS ?? 4));
const RUNS = Math.max(1, Number(process.env.RUNS ?? 15));
const KEPT = 80_000;
/** name → what kubectl prints (each line says the go-template that prints it). */
const OUTPUTS: Record<string, string> = {
  '`{{range 13000}}data:{{"\\n"}}{{end}}` (the issue\'s)': 'data:\n'.repeat(13_000),
  '`{{range 5000}}    "data": {{"{"}}{{"\\n"}}{{end}}`': '    "data": {\n'.repeat(5000),
  '`{{range 20000}}-eyJ{{end}}`': '-eyJ'.repeat(20_000),
  '`{{range 4000}}"managedFields": [{{"\\n"}}{{end}}`': '"managedFields": [\n'.repeat(4000),
  '`{{range 20000}}[{{end}}{{range 20000}}]{{end}}`': `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  'plain table (reference)': 'web-5d8f7c9b6-h2xq9   1/1     Running   0          2d\n'.repeat(1500),
};

/** CPU time of `mask` (the process's, so another process's load does not count): min / median of RUNS runs. */
function timings(mask: () => unknown): string {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.cpuUsage();
    try {
      mask();
    } catch (error) {
      return `throws ${(error as Error).name}`;
    }
    const used = process.cpuUsage(started);
    ms.push((used.user + used.system) / 1000);
    if (ms[i]! > 3000) break; // one run says enough
  }
  ms.sort((a, b) => a - b);
  return `${ms[0]!.toFixed(1)} / ${ms[Math.floor((ms.length - 1) / 2)]!.toFixed(1)} ms`;
}

/** The worst event-loop block while `work` runs; what killed the process instead, if something did. */
async function worstBlock(work: () => Promise<unknown>): Promise<string> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let onUncaught!: (error: Error) => void;
  const uncaught = new Promise<string>((resolve) => (onUncaught = (error) => resolve(`uncaught ${error.name}: the process would exit`)));
  process.on('uncaughtException', onUncaught);
  histogram.enable();
  const outcome = await Promise.race([work().then(() => `${Math.max(0, histogram.max / 1e6 - 10).toFixed(0)} ms`), uncaught]);
  histogram.disable();
  process.off('uncaughtException', onUncaught);
  return outcome;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-loop-'));
// Bundled and minified as the server is (scripts/build), so the figures are those of the deployed code.
const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  stdin: {
    contents:
      "export { maskKubectlOutput } from './src/kubectl/output-filter.ts'; export { runKubectl } from './src/kubectl/runner.ts'; export { quadraticMaskKubectlOutput } from './test/support/quadratic-masking.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  minify: true,
  keepNames: false,
  platform: 'node',
  format: 'esm',
  outfile: join(dir, 'bundle.mjs'),
  logLevel: 'warning',
});
const { maskKubectlOutput, runKubectl, quadraticMaskKubectlOutput } = (await import(pathToFileURL(join(dir, 'bundle.mjs')).href)) as {
  maskKubectlOutput: typeof MaskKubectlOutput;
  runKubectl: typeof RunKubectl;
  quadraticMaskKubectlOutput: typeof QuadraticMaskKubectlOutput;
};
try {
  const kubectlPath = join(dir, 'kubectl');
  await writeFile(kubectlPath, `#!${process.execPath}\nrequire('fs').createReadStream(process.argv[2]).pipe(process.stdout);\n`);
  await chmod(kubectlPath, 0o755);
  for (let i = 0; i < 10; i++)
    for (const printed of Object.values(OUTPUTS)) timings(() => maskKubectlOutput(printed.slice(0, KEPT), { cut: true })); // JIT warm
  console.log(
    `| kubectl output | masking it (CPU), before: min / median | now: min / median | worst event-loop block, ${CALLS} calls at once |`,
  );
  console.log('|---|---|---|---|');
  for (const [name, printed] of Object.entries(OUTPUTS)) {
    const kept = printed.slice(0, KEPT);
    const cut = printed.length > KEPT;
    const now = timings(() => maskKubectlOutput(kept, { cut })); // first: the old one leaves a large heap behind
    const before = timings(() => quadraticMaskKubectlOutput(kept, { cut }));
    const file = join(dir, `${Object.keys(OUTPUTS).indexOf(name)}.txt`);
    await writeFile(file, printed);
    const run = () =>
      runKubectl({
        kubectlPath,
        args: [file],
        kubeconfigPath: join(dir, 'k'),
        cacheDir: dir,
        homeDir: dir,
        timeoutSeconds: 60,
        maxOutputBytes: 20_000,
        limits: { memoryMb: 4096, cpuSeconds: 60, prlimitPath: undefined },
      });
    await run();
    const block = await worstBlock(() => Promise.all(Array.from({ length: CALLS }, run)));
    console.log(`| ${name} | ${before} | ${now} | ${block} |`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
