/**
 * How many kubectl processes run at once (KUBECTL_MAX_CONCURRENT), end to end through MCP: the fake API server holds
 * each call's one request (warm discovery) at a gate, so the requests held at once are the kubectl processes running;
 * the calls past the limit say they are queued (progress notifications) and then run in order as slots free up. A
 * queued call still ends at its deadline, or when its client goes away, without running anything.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { RunSlots } from '../../src/kubectl/run-slots.ts';
import type { ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';

const PODS = '/api/v1/namespaces/default/pods';
let stack: Stack;
let client: Client;
let cluster: ClusterRecord;
let headers: Record<string, string>;

interface Answer {
  isError?: boolean;
  content: Array<{ text: string }>;
}

function call(command: string, extra: Record<string, unknown> = {}, onQueued?: (message: string) => void): Promise<Answer> {
  return client.callTool(
    { name: 'kubectl', arguments: { cluster_id: cluster.cluster_id, command, ...extra } },
    undefined,
    onQueued ? { onprogress: (progress) => onQueued(progress.message ?? '') } : {},
  ) as Promise<Answer>;
}

/** The server's limiter of kubectl runs. */
const kubectlRunSlots = (): RunSlots => stack.server.services!.kubectlRunSlots;

/** Resolves when `event` has fired `count` times on the server's limiter. */
function slotEvents(event: 'queued' | 'left', count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const on = () => {
      if (++seen < count) return;
      kubectlRunSlots().off(event, on);
      resolve();
    };
    kubectlRunSlots().on(event, on);
  });
}

before(async () => {
  stack = await startStack({ env: { KUBECTL_MAX_CONCURRENT: '2' } });
  const account = stack.emulator.world.accounts[0]!;
  cluster = account.clusters[0]!;
  headers = callerHeaders(account.accessKeys[0]!);
  client = await stack.client(headers);
  const warm = await call('get pods -n default'); // kubeconfig and discovery cached: one API request per call from now on
  assert.equal(warm.isError, undefined, warm.content[0]!.text);
});
after(() => stack.close());

describe('kubectl: at most KUBECTL_MAX_CONCURRENT kubectl processes at once', () => {
  test('five calls with a limit of two: two run, three are told they wait, then each runs as a slot frees up', {
    timeout: 60_000,
  }, async () => {
    const kube = stack.emulator.kube;
    const gate = kube.gate(PODS);
    const queued: string[] = [];
    let allQueued!: () => void;
    const threeQueued = new Promise<void>((resolve) => (allQueued = resolve));
    const onQueued = (message: string) => {
      queued.push(message);
      if (queued.length === 3) allQueued();
    };
    const calls = Array.from({ length: 5 }, () => call('get pods -n default', {}, onQueued));
    await Promise.all([gate.whenHeld(2), threeQueued]);
    // Two kubectl processes are at the API server; the other three calls are queued, not running.
    assert.equal(gate.held, 2);
    assert.equal(kubectlRunSlots().waiting, 3);
    for (const message of queued)
      assert.match(
        message,
        /^Waiting for a free kubectl slot \([0-2] calls? ahead\): this server runs at most 2 kubectl commands at once\.$/,
      );
    // Each release ends one call, which lets exactly one queued call start.
    for (let arrived = 3; arrived <= 5; arrived++) {
      gate.releaseOne();
      await gate.whenHeld(2);
      assert.equal(gate.arrived, arrived);
    }
    gate.open();
    const answers = await Promise.all(calls);
    for (const answer of answers) {
      assert.equal(answer.isError, undefined, answer.content[0]!.text);
      assert.match(answer.content[0]!.text, /^NAME\s+READY\s+STATUS/);
    }
    assert.equal(gate.maxHeld, 2);
    assert.equal(gate.arrived, 5);
    assert.deepEqual([kubectlRunSlots().running, kubectlRunSlots().waiting], [0, 0]);
  });

  test('a queued call gives up at its deadline, says so, and runs nothing', { timeout: 60_000 }, async () => {
    const gate = stack.emulator.kube.gate(PODS);
    const busy = [call('get pods -n default'), call('get pods -n default')];
    await gate.whenHeld(2);
    const late = await call('get pods -n default', { timeout_seconds: 1 });
    assert.equal(late.isError, true);
    assert.match(
      late.content[0]!.text,
      /^Error KubectlBusy: No kubectl slot came free within 1 s: this server runs at most 2 kubectl commands at once and all were busy\. Nothing was run\./,
    );
    assert.match(late.content[0]!.text, /Hint: Call again, run fewer kubectl commands at the same time, or raise timeout_seconds\./);
    assert.equal(gate.arrived, 2);
    gate.open();
    for (const answer of await Promise.all(busy)) assert.equal(answer.isError, undefined, answer.content[0]!.text);
    assert.equal(gate.arrived, 2, 'the call that gave up never reached the API server');
  });

  test('a queued call whose client goes away leaves the queue and never runs', { timeout: 60_000 }, async () => {
    const gate = stack.emulator.kube.gate(PODS);
    const busy = [call('get pods -n default'), call('get pods -n default')];
    await gate.whenHeld(2);
    const queuedOnce = slotEvents('queued', 1);
    const leftOnce = slotEvents('left', 1);
    const controller = new AbortController();
    const request = fetch(stack.mcpUrl, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${TEST_TOKEN}`, ...headers },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'kubectl', arguments: { cluster_id: cluster.cluster_id, command: 'delete pod web-1 -n default' } },
      }),
    });
    await queuedOnce;
    controller.abort();
    await assert.rejects(request, /abort/i);
    await leftOnce; // the server saw the client go and took the call out of the queue
    assert.equal(kubectlRunSlots().waiting, 0);
    gate.open();
    for (const answer of await Promise.all(busy)) assert.equal(answer.isError, undefined, answer.content[0]!.text);
    assert.equal(gate.arrived, 2);
    assert.ok(!stack.emulator.kube.requests.some((r) => r.method === 'DELETE'), 'the cancelled delete never ran');
  });

  test('KUBECTL_MAX_CONCURRENT is validated when the server starts', () => {
    const base = { MCP_AUTH_TOKEN: TEST_TOKEN };
    assert.equal(loadConfig(base).kubectl.maxConcurrent, 4);
    assert.equal(loadConfig({ ...base, KUBECTL_MAX_CONCURRENT: '1' }).kubectl.maxConcurrent, 1);
    for (const bad of ['0', '33', '2.5', 'four']) {
      assert.throws(
        () => loadConfig({ ...base, KUBECTL_MAX_CONCURRENT: bad }),
        (error: unknown) => error instanceof ConfigError && /KUBECTL_MAX_CONCURRENT must be an integer from 1 to 32/.test(error.message),
      );
    }
  });
});
