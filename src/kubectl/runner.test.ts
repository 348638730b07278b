/**
 * The runner, with a fake "kubectl" (a script that reports its argv, environment and stdin) at the configured path:
 * what the validator accepted is exactly what is spawned, the server's flags come before it, the environment is
 * minimal, stdin carries only the manifest, and the deadline is a hard kill.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseKubectlCommand } from './command-policy.ts';
import { findPrlimit, type KubectlLimits } from './resource-limits.ts';
import { runKubectl, serverFlags, spawnArgv, type KubectlInvocation } from './runner.ts';

/** The budget these fake kubectls (node scripts) run under, through prlimit as in production. */
const LIMITS: KubectlLimits = { memoryMb: 256, cpuSeconds: 30, prlimitPath: findPrlimit() };

let dir: string;
let echo: string;
let hang: string;
let flood: string;
let helmYaml: string;
/** A 200 KB Secret value (a Helm release), longer than what the runner keeps, printed before `kind: Secret`. */
const HELM_RELEASE = Buffer.from(`helm-release-payload-${'r'.repeat(150_000)}`).toString('base64');

async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!${process.execPath}\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubectl-runner-test-'));
  echo = await script(
    'echo-kubectl',
    "const fs = require('fs'); process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stdin: fs.readFileSync(0, 'utf8') }));",
  );
  hang = await script('hang-kubectl', "process.on('SIGTERM', () => {}); process.stdout.write('started\\n'); setInterval(() => {}, 1000);");
  helmYaml = await script(
    'helm-yaml-kubectl',
    `process.stdout.write('apiVersion: v1\\ndata:\\n  release: ${HELM_RELEASE}\\nkind: Secret\\nmetadata:\\n  name: sh.helm.release.v1.web.v3\\n');`,
  );
  flood = await script(
    'flood-kubectl',
    "const line = 'password: hunter2 token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLXZhbHVl LTAI5tAbCdEfGhIjKlMn\\n'; let n = 0; (function w() { while (n < 2000) { n++; if (!process.stdout.write(line)) return process.stdout.once('drain', w); } })();",
  );
});
after(() => rm(dir, { recursive: true, force: true }));

function invocation(args: readonly string[], extra: Partial<KubectlInvocation> = {}): KubectlInvocation {
  return {
    kubectlPath: echo,
    args,
    kubeconfigPath: join(dir, 'kubeconfig'),
    cacheDir: join(dir, 'cache'),
    homeDir: dir,
    timeoutSeconds: 30,
    maxOutputBytes: 20_000,
    limits: LIMITS,
    ...extra,
  };
}

/** A tiny deterministic generator, so a failure names its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const PIECES = {
  command: [
    'get',
    'describe',
    'logs',
    'events',
    'top',
    'explain',
    'rollout status',
    'auth can-i',
    'scale',
    'label',
    'annotate',
    'delete',
    'apply',
    'cordon',
    'exec',
    'get --raw',
    'config view',
  ],
  resource: ['pods', 'deploy/web', 'nodes', 'svc', 'pod/web-1', 'configmaps', '"name with spaces"', "'quoted'", 'ünïcødé', 'web\\ 1'],
  flag: [
    '-n kube-system',
    '-nkube-system',
    '--namespace=default',
    '-A',
    '-o wide',
    '-ojson',
    "-o jsonpath='{.items[*].metadata.name}'",
    '-l app=web',
    '--selector=app=web,tier!=db',
    '--field-selector status.phase=Running',
    '--tail=50',
    '--since=10m',
    '--replicas=3',
    '-c web',
    '--show-labels',
    '-v=4',
    'env=prod',
    '--overwrite',
    '-f -',
    '--server=https://evil',
    '--token=x',
    '-s x',
    '--kubeconfig=/etc/k',
    '--as=admin',
    '--dry-run=client',
    '--request-timeout=5s',
  ],
  tail: ['', '', '', '-- date', '-- sh -c "echo $HOME"', '-- ls -la /'],
};

describe('runner: what was validated is exactly what is spawned', () => {
  test('property: for every accepted command, argv = the server flags, then the validated args', async () => {
    const next = random(20250101);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    let accepted = 0;
    let tried = 0;
    while (accepted < 40 && tried < 5000) {
      tried++;
      const parts = [pick(PIECES.command), pick(PIECES.resource)];
      for (let i = Math.floor(next() * 4); i > 0; i--) parts.push(pick(PIECES.flag));
      parts.push(pick(PIECES.tail));
      const command = (next() < 0.3 ? 'kubectl ' : '') + parts.filter(Boolean).join(' ');
      const hasManifest = command.includes('-f -');
      const result = parseKubectlCommand(command, { mode: 'read-write', allowExec: true, hasManifest });
      if (!result.ok) continue;
      accepted++;
      const run = await runKubectl(invocation(result.args, { stdin: result.readsManifest ? 'kind: ConfigMap\n' : undefined }));
      assert.equal(run.exitCode, 0, `${command}: ${run.stderr}`);
      const seen = JSON.parse(run.stdout) as { argv: string[]; stdin: string };
      const flags = serverFlags(invocation(result.args));
      assert.deepEqual(seen.argv, [...flags, ...result.args], command);
      assert.deepEqual(
        seen.argv.filter((arg) => !flags.includes(arg)),
        [...result.args],
        command,
      );
      assert.equal(seen.stdin, result.readsManifest ? 'kind: ConfigMap\n' : '', command);
    }
    assert.ok(accepted >= 40, `only ${accepted} of ${tried} generated commands were accepted`);
  });

  test("spawnArgv puts the server flags first, where no flag of the caller's can take them as its value", () => {
    assert.deepEqual(spawnArgv(['get', 'pods', '--template'], ['--kubeconfig=k']), ['--kubeconfig=k', 'get', 'pods', '--template']);
    assert.deepEqual(spawnArgv(['exec', 'p', '--', 'ls', '--kubeconfig=x'], ['--kubeconfig=k']), [
      '--kubeconfig=k',
      'exec',
      'p',
      '--',
      'ls',
      '--kubeconfig=x',
    ]);
  });

  test("kubectl gets a minimal environment: no PATH, no cloud credentials, no proxies or editors; the kubeconfig is the proxy's", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'leak',
      HTTPS_PROXY: 'http://evil:3128',
      KUBE_EDITOR: 'vim',
      KUBECTL_EXTERNAL_DIFF: 'sh',
    });
    try {
      const run = await runKubectl(invocation(['get', 'pods']));
      const seen = JSON.parse(run.stdout) as { env: Record<string, string>; cwd: string };
      assert.deepEqual(Object.keys(seen.env).sort(), ['HOME', 'KUBECACHEDIR', 'KUBECONFIG', 'KUBERC', 'TMPDIR']);
      assert.deepEqual(
        { HOME: seen.env.HOME, KUBECONFIG: seen.env.KUBECONFIG, KUBERC: seen.env.KUBERC, KUBECACHEDIR: seen.env.KUBECACHEDIR },
        { HOME: dir, KUBECONFIG: join(dir, 'kubeconfig'), KUBERC: 'off', KUBECACHEDIR: join(dir, 'cache') },
      );
      assert.equal(seen.cwd, dir);
    } finally {
      process.env = saved;
    }
  });

  test('--request-timeout is always set to the deadline', async () => {
    const run = await runKubectl(invocation(['get', 'pods'], { timeoutSeconds: 7 }));
    assert.ok((JSON.parse(run.stdout) as { argv: string[] }).argv.includes('--request-timeout=7s'));
  });
});

describe('runner: deadline and bounds', () => {
  test('a kubectl that does not finish is killed with SIGKILL at the deadline (it ignores SIGTERM)', async () => {
    const run = await runKubectl(invocation(['get', 'pods'], { kubectlPath: hang, timeoutSeconds: 1 }));
    assert.equal(run.timedOut, true);
    assert.equal(run.signal, 'SIGKILL');
    assert.equal(run.exitCode, null);
    assert.equal(run.stdout, 'started\n');
  });

  test('a cancelled request kills kubectl', async () => {
    const controller = new AbortController();
    const pending = runKubectl(invocation(['get', 'pods'], { kubectlPath: hang, timeoutSeconds: 60, signal: controller.signal }));
    controller.abort();
    const run = await pending;
    assert.equal(run.aborted, true);
    assert.equal(run.signal, 'SIGKILL');
  });

  test('output is masked and cut at the limit, and the cut is counted', async () => {
    const run = await runKubectl(invocation(['get', 'pods'], { kubectlPath: flood, maxOutputBytes: 1000 }));
    assert.equal(run.exitCode, 0);
    assert.ok(Buffer.byteLength(run.stdout) <= 1000);
    assert.ok(run.stdoutDropped > 100_000, String(run.stdoutDropped));
    assert.ok(
      !run.stdout.includes('hunter2') && !run.stdout.includes('eyJhbGci') && !run.stdout.includes('LTAI5tAbCd'),
      run.stdout.slice(0, 200),
    );
    assert.match(run.stdout, /password: <masked>/);
  });

  test('a Secret value longer than what is kept is masked even though `kind: Secret` comes after it and was cut off', async () => {
    const run = await runKubectl(
      invocation(['get', 'secret', 'sh.helm.release.v1.web.v3', '-o', 'yaml'], { kubectlPath: helmYaml, maxOutputBytes: 20_000 }),
    );
    assert.equal(run.exitCode, 0);
    assert.ok(run.stdoutDropped > 100_000, String(run.stdoutDropped));
    assert.equal(run.stdout, 'apiVersion: v1\ndata:\n  release: <masked>');
    assert.ok(!run.stdout.includes(HELM_RELEASE.slice(0, 40)));
  });

  test('what is left of a deadline becomes --request-timeout in milliseconds', () => {
    const at = (timeoutSeconds: number) => serverFlags({ kubeconfigPath: '/k', cacheDir: '/c', timeoutSeconds })[2];
    assert.equal(at(30), '--request-timeout=30s');
    assert.equal(at(27.4003), '--request-timeout=27401ms');
    assert.equal(at(0.0001), '--request-timeout=1ms');
  });

  test('a missing binary is reported, not thrown', async () => {
    const run = await runKubectl(invocation(['get', 'pods'], { kubectlPath: join(dir, 'no-such-kubectl') }));
    assert.equal(run.spawnError, 'ENOENT');
  });
});
