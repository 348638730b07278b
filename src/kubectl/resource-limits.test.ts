/**
 * The memory and CPU budget of a kubectl process, with the real kubectl binary and no API server (`create namespace
 * --dry-run=client` renders a go-template offline): a template that doubles a string 25 times (~2 GB unbounded) and
 * one that loops two billion times are killed at the budget, through prlimit and by the watcher alone; an ordinary
 * command under the same budget is untouched.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureKubectl } from '../../layers/kubectl/kubectl-binary.ts';
import { findPrlimit, limitedCommand, limitFromExit, prlimitExecFailure, ResourceWatch, type KubectlLimits } from './resource-limits.ts';
import { runKubectl } from './runner.ts';

const MEMORY_BOMB = '{{$x := "AAAAAAAAAAAAAAAA"}}{{range 25}}{{$x = printf "%s%s" $x $x}}{{end}}{{len $x}}';
const CPU_LOOP = '{{range 2000000000}}{{end}}';
let kubectlPath: string;
let dir: string;

const renderArgs = (template: string) => [
  'create',
  'namespace',
  'budget',
  '--dry-run=client',
  '-o',
  'go-template',
  `--template=${template}`,
  `--kubeconfig=${join(dir, 'kubeconfig')}`,
];

function render(template: string, limits: KubectlLimits) {
  const args = renderArgs(template).slice(0, -1);
  return runKubectl({
    kubectlPath,
    args,
    kubeconfigPath: join(dir, 'kubeconfig'),
    cacheDir: join(dir, 'cache'),
    homeDir: dir,
    timeoutSeconds: 120,
    maxOutputBytes: 2000,
    limits,
  });
}

before(async () => {
  kubectlPath = await ensureKubectl();
  dir = await mkdtemp(join(tmpdir(), 'kubectl-budget-test-'));
  await writeFile(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\n');
});
after(() => rm(dir, { recursive: true, force: true }));

describe('kubectl resource budget', () => {
  test("prlimit is on this machine (as on FC's debian10 runtime, where util-linux is Essential)", () => {
    assert.equal(findPrlimit(), '/usr/bin/prlimit');
  });

  for (const [how, prlimitPath] of [
    ['through prlimit', findPrlimit()],
    ['by the watcher alone', undefined],
  ] as const) {
    test(`the string-doubling template is killed at a 128 MB budget ${how}, far below the ~2 GB it would take`, {
      timeout: 120_000,
    }, async () => {
      const run = await render(MEMORY_BOMB, { memoryMb: 128, cpuSeconds: 60, prlimitPath });
      assert.equal(run.limitExceeded, 'memory', JSON.stringify(run));
      assert.notEqual(run.exitCode, 0);
      // Killed before it printed anything: long before the ~2 GB the whole template takes.
      assert.equal(run.stdout, '');
      if (prlimitPath) {
        // The kernel holds the data at 128 MB: what else is resident (kubectl's text, stacks) stays well under 64 MB.
        assert.ok(run.usage.peakRssMb < 128 + 64, `peak ${run.usage.peakRssMb} MB`);
      } else {
        // The watcher alone sees the budget passed between two samples: by how much depends on how late the sample
        // comes on a loaded machine, so only that it saw it is asserted (the kill above shows it acted on it).
        assert.ok(run.usage.peakDataMb > 128, `data ${run.usage.peakDataMb} MB`);
      }
    });

    test(`the two-billion-step loop is killed at a 1 s CPU budget ${how}`, { timeout: 120_000 }, async () => {
      const run = await render(CPU_LOOP, { memoryMb: 128, cpuSeconds: 1, prlimitPath });
      assert.equal(run.limitExceeded, 'cpu', JSON.stringify(run));
      assert.equal(run.signal, 'SIGKILL');
      // The watcher kills on a sample at or past the budget; the kernel's kill may come after the watcher's last sample.
      if (!prlimitPath) assert.ok(run.usage.cpuSeconds >= 1, `${run.usage.cpuSeconds} s`);
    });
  }

  test('the kernel alone enforces both limits through prlimit (no watcher), and the exit says which', { timeout: 120_000 }, () => {
    // Each run gets one tight limit and one loose one, so that the limit under test is the one that trips: the string
    // doubling also burns CPU, and on a loaded machine a 1 s CPU budget could end it before the memory budget does.
    const memoryLimits: KubectlLimits = { memoryMb: 128, cpuSeconds: 100, prlimitPath: findPrlimit() };
    const limits: KubectlLimits = { memoryMb: 1024, cpuSeconds: 1, prlimitPath: findPrlimit() };
    const spawnLimited = (template: string, budget: KubectlLimits) => {
      const command = limitedCommand(kubectlPath, renderArgs(template), budget);
      return spawnSync(command.file, command.args, { env: { HOME: dir }, encoding: 'utf8', timeout: 110_000 });
    };
    const memory = spawnLimited(MEMORY_BOMB, memoryLimits);
    assert.equal(memory.status, 2, memory.stderr.slice(0, 300));
    assert.equal(
      limitFromExit(memoryLimits, {
        exitCode: memory.status,
        signal: memory.signal,
        stderr: memory.stderr,
        usage: { peakRssMb: 0, peakDataMb: 0, cpuSeconds: 0 },
      }),
      'memory',
    );
    const cpu = spawnLimited(CPU_LOOP, limits);
    assert.equal(cpu.signal, 'SIGKILL');
    assert.equal(
      limitFromExit(limits, {
        exitCode: cpu.status,
        signal: cpu.signal,
        stderr: cpu.stderr,
        usage: { peakRssMb: 0, peakDataMb: 0, cpuSeconds: 1 },
      }),
      'cpu',
    );
  });

  test('an ordinary command under the default budget runs to the end', async () => {
    // A kubectl this fast may end before the watcher's first sample reads it: its figures are not asserted here (the
    // kills above show the watcher attached to kubectl; the next test shows what a sample reads).
    const run = await render('{{.metadata.name}}', { memoryMb: 128, cpuSeconds: 30, prlimitPath: findPrlimit() });
    assert.deepEqual([run.exitCode, run.stdout, run.limitExceeded, run.signal], [0, 'budget', undefined, null]);
  });

  test("the watcher reads a live process's memory and CPU, and leaves it alone under its budget", async () => {
    // `cat` waits on its stdin until the test closes it: alive for as long as the test needs, with no timing involved.
    const child = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const exceeded: string[] = [];
    const watch = new ResourceWatch(child.pid!, { memoryMb: 128, cpuSeconds: 30, prlimitPath: undefined }, (limit) => exceeded.push(limit));
    await watch.nextSample();
    assert.ok(watch.usage.peakRssMb > 0 && watch.usage.peakDataMb > 0, JSON.stringify(watch.usage));
    child.stdin.end();
    assert.equal(await exited, 0);
    watch.stop();
    assert.deepEqual([exceeded, watch.exceeded], [[], undefined]);
  });

  test('limitedCommand puts kubectl behind prlimit with both limits, or runs it directly without prlimit', () => {
    assert.deepEqual(
      limitedCommand('/opt/bin/kubectl', ['get', 'pods'], { memoryMb: 128, cpuSeconds: 30, prlimitPath: '/usr/bin/prlimit' }),
      {
        file: '/usr/bin/prlimit',
        args: ['--data=134217728:134217728', '--cpu=30:30', '--', '/opt/bin/kubectl', 'get', 'pods'],
      },
    );
    assert.deepEqual(limitedCommand('/opt/bin/kubectl', ['get', 'pods'], { memoryMb: 128, cpuSeconds: 30, prlimitPath: undefined }), {
      file: '/opt/bin/kubectl',
      args: ['get', 'pods'],
    });
  });

  test("exits are read for the limit behind them: Go out of memory, the kernel's CPU kill, prlimit unable to exec kubectl", () => {
    const limits: KubectlLimits = { memoryMb: 128, cpuSeconds: 30, prlimitPath: '/usr/bin/prlimit' };
    const usage = { peakRssMb: 100, peakDataMb: 120, cpuSeconds: 2 };
    for (const stderr of [
      'fatal error: runtime: out of memory\n\ngoroutine 1',
      'fatal error: out of memory allocating heap arena metadata\n',
      'fatal error: runtime: cannot allocate memory\n',
    ]) {
      assert.equal(limitFromExit(limits, { exitCode: 2, signal: null, stderr, usage }), 'memory', stderr);
    }
    assert.equal(limitFromExit(limits, { exitCode: 2, signal: null, stderr: 'error: out of memory in my template', usage }), undefined);
    assert.equal(limitFromExit(limits, { exitCode: null, signal: 'SIGKILL', stderr: '', usage: { ...usage, cpuSeconds: 29.5 } }), 'cpu');
    assert.equal(limitFromExit(limits, { exitCode: null, signal: 'SIGKILL', stderr: '', usage }), undefined);
    assert.equal(prlimitExecFailure(limits, 127, 'prlimit: failed to execute /opt/bin/kubectl: No such file or directory'), 'ENOENT');
    assert.equal(prlimitExecFailure(limits, 126, 'prlimit: failed to execute /opt/bin/kubectl: Permission denied'), 'EACCES');
    assert.equal(prlimitExecFailure(limits, 127, 'error: unknown command'), undefined);
    assert.equal(prlimitExecFailure({ ...limits, prlimitPath: undefined }, 127, 'prlimit: failed to execute x'), undefined);
  });
});
