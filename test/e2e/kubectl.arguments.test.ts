/**
 * The server's own kubectl flags (kubeconfig, cache directory, request timeout) are out of the caller's reach, with
 * the real kubectl 1.33: a value-taking flag left without its value is refused by the argument policy, and even
 * without the policy, kubectl given such a flag can never take one of the server's flags as its value. The policy's
 * table of flags that take no value is the binary's own (`kubectl <command> --help`).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureKubectl } from '../../layers/kubectl/kubectl-binary.ts';
import { COMMANDS, GLOBAL_LONG, type CommandNode } from '../../src/kubectl/command-rules.ts';
import { findPrlimit } from '../../src/kubectl/resource-limits.ts';
import { runKubectl } from '../../src/kubectl/runner.ts';
import type { ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';

/** Commands whose last flag waits for a value that never comes: kubectl would read the next argv entry as it. */
const DANGLING = [
  'get ns -o go-template --template',
  'get pods -o jsonpath --template',
  'get pods -A --sort-by',
  'get pods --field-selector',
  'logs web-1 --since',
  'events -n default --for',
  'describe pods --chunk-size',
];

let stack: Stack;
let client: Client;
let cluster: ClusterRecord;
let dir: string;

before(async () => {
  stack = await startStack();
  const account = stack.emulator.world.accounts[0]!;
  cluster = account.clusters[0]!;
  client = await stack.client(callerHeaders(account.accessKeys[0]!));
  dir = await mkdtemp(join(tmpdir(), 'kubectl-arguments-test-'));
});
after(async () => {
  await stack.close();
  await rm(dir, { recursive: true, force: true });
});

describe("kubectl: the server's own flags are never a value of the caller's", () => {
  test('a value-taking flag at the end of the command is refused before kubectl runs', async () => {
    for (const command of DANGLING) {
      const before = stack.emulator.kube.requests.length;
      const result = (await client.callTool({ name: 'kubectl', arguments: { cluster_id: cluster.cluster_id, command } })) as {
        isError?: boolean;
        content: Array<{ text: string }>;
      };
      const text = result.content[0]!.text;
      assert.equal(result.isError, true, `${command}: ${text}`);
      assert.match(
        text,
        /^Error KubectlCommandRefused: Refused --[\w-]+ at the end of the command: it may need a value, and none follows\. Write --[\w-]+=<value>/,
        command,
      );
      assert.doesNotMatch(text, /kubeconfig=|cache-dir=|\/tmp\//, command);
      assert.equal(stack.emulator.kube.requests.length, before, `${command} reached the API server`);
    }
  });

  test('without the argument policy, real kubectl still never takes a server flag as the value (they come first)', async () => {
    const kubeconfigPath = join(dir, 'kubeconfig');
    const cacheDir = join(dir, 'cache');
    await writeFile(kubeconfigPath, stack.emulator.kube.kubeconfig('arguments-test'), { mode: 0o600 });
    const kubectlPath = await ensureKubectl();
    for (const command of DANGLING) {
      const run = await runKubectl({
        kubectlPath,
        args: command.split(' '),
        kubeconfigPath,
        cacheDir,
        homeDir: dir,
        timeoutSeconds: 30,
        maxOutputBytes: 20_000,
        limits: { memoryMb: 128, cpuSeconds: 30, prlimitPath: findPrlimit() },
      });
      const everything = `${run.stdout}\n${run.stderr}`;
      assert.notEqual(run.exitCode, 0, `${command}: kubectl accepted a flag without its value:\n${everything}`);
      assert.match(run.stderr, /flag needs an argument/, command);
      for (const own of [kubeconfigPath, cacheDir, dir, 'request-timeout='])
        assert.ok(!everything.includes(own), `${command} printed ${own}:\n${everything}`);
    }
  });
});

/** The long flags `kubectl <path> --help` (or `kubectl options`) lists as bools: `--name=true:` or `--name=false:`. */
async function switchesOf(args: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)(await ensureKubectl(), args, { encoding: 'utf8' });
  return [...stdout.matchAll(/^\s+(?:-\w, )?--([a-z0-9-]+)=(?:true|false):$/gm)].map((match) => match[1]!).sort();
}

describe('kubectl: the policy knows which flags take no value, as the binary does', () => {
  test("every offered command's switches are exactly those of `kubectl <command> --help`", async () => {
    const commands: Array<[string[], CommandNode]> = [];
    const walk = (path: string[], node: CommandNode) => {
      if (node.access) commands.push([path, node]);
      for (const [name, child] of Object.entries(node.children ?? {})) walk([...path, name], child);
    };
    for (const [name, node] of Object.entries(COMMANDS)) walk([name], node);
    assert.ok(commands.length > 60, String(commands.length));
    for (const [path, node] of commands) {
      assert.deepEqual([...(node.switches ?? [])].sort(), await switchesOf([...path, '--help']), path.join(' '));
    }
  });

  test('the global switches the policy lets through are switches of kubectl', async () => {
    const global = await switchesOf(['options']);
    for (const [name, takesValue] of Object.entries(GLOBAL_LONG)) {
      if (!takesValue && name !== 'help') assert.ok(global.includes(name), name);
    }
  });
});
