/**
 * Each kubectl process runs within a memory and a CPU budget, end to end through MCP: the go-template that doubles a
 * string 25 times (allowed in read-only mode; ~2 GB unbounded) ends with a clear error naming the budget and the
 * setting that raises it, and so does a template that loops; the server answers the next call as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';

const MEMORY_BOMB = `get ns -o go-template --template='{{$x := "AAAAAAAAAAAAAAAA"}}{{range 25}}{{$x = printf "%s%s" $x $x}}{{end}}{{len $x}}'`;
const CPU_LOOP = "get ns -o go-template --template='{{range 2000000000}}{{end}}'";

interface Answer {
  isError?: boolean;
  content: Array<{ text: string }>;
}

const stacks: Record<'defaults' | 'cpu', Stack> = {} as never;
const clients: Record<string, Client> = {};
let cluster: ClusterRecord;

function kubectl(which: keyof typeof stacks, command: string): Promise<Answer> {
  // The client waits past kubectl's own deadline: on a loaded machine 2 s of CPU can take tens of seconds.
  return clients[which]!.callTool(
    { name: 'kubectl', arguments: { cluster_id: cluster.cluster_id, command, timeout_seconds: 120 } },
    undefined,
    { timeout: 150_000 },
  ) as Promise<Answer>;
}

before(async () => {
  for (const [name, env] of [
    ['defaults', { ACCESS_MODE: 'read-only' }],
    ['cpu', { ACCESS_MODE: 'read-only', KUBECTL_MAX_CPU_SECONDS: '2' }],
  ] as const) {
    stacks[name] = await startStack({ env });
    cluster = stacks[name].emulator.world.accounts[0]!.clusters[0]!;
    clients[name] = await stacks[name].client(callerHeaders(stacks[name].emulator.world.accounts[0]!.accessKeys[0]!));
  }
});
after(() => Promise.all(Object.values(stacks).map((stack) => stack.close())));

describe('kubectl: a memory and CPU budget per process', () => {
  test('the string-doubling template is stopped at the default 128 MB budget with an error naming KUBECTL_MAX_MEMORY_MB', {
    timeout: 180_000,
  }, async () => {
    const answer = await kubectl('defaults', MEMORY_BOMB);
    assert.equal(answer.isError, true);
    assert.match(
      answer.content[0]!.text,
      /^Error KubectlMemoryLimit: kubectl needed more than its memory budget of 128 MB and was stopped; nothing it printed is shown\./,
    );
    assert.match(answer.content[0]!.text, /Hint: .*raise KUBECTL_MAX_MEMORY_MB/);
    assert.doesNotMatch(answer.content[0]!.text, /goroutine|runtime\.throw/);
    const next = await kubectl('defaults', 'get ns');
    assert.equal(next.isError, undefined, next.content[0]!.text);
    assert.match(next.content[0]!.text, /kube-system/);
    const logged = stacks.defaults.logs.map((line) => JSON.parse(line)).find((line) => line.kubectlLimit === 'memory');
    assert.ok(logged && logged.kubectlPeakMb > 0 && logged.kubectlPeakMb < 128 + 64, JSON.stringify(logged));
  });

  test('a looping template is stopped at KUBECTL_MAX_CPU_SECONDS with an error naming it', { timeout: 180_000 }, async () => {
    const answer = await kubectl('cpu', CPU_LOOP);
    assert.equal(answer.isError, true);
    assert.match(
      answer.content[0]!.text,
      /^Error KubectlCpuLimit: kubectl used its CPU-time budget of 2 s and was stopped; nothing it printed is shown\./,
    );
    assert.match(answer.content[0]!.text, /Hint: .*raise KUBECTL_MAX_CPU_SECONDS/);
    const next = await kubectl('cpu', 'get ns');
    assert.equal(next.isError, undefined, next.content[0]!.text);
  });
});
