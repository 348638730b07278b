/**
 * Hostile and unlucky traffic against the whole stack (emulator + the server in a child process of its own, over
 * real HTTP), while a probe in a process of its own asks GET /healthz every 50 ms. The cases are one per line in
 * hostile-traffic.corpus.jsonl (format: hostile-traffic.cases.ts); they run concurrently, tenants mixed. Asserted:
 * every case ends, within its deadline, with the answer or the clear error it expects; the server process never
 * exits; no /healthz answer takes longer than 500 ms (from its send to its end: the one timing assertion, asked for
 * by issue 9); no tenant's upstream call is signed with another's key; no secret appears in any answer or log line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubeUserOf } from '../emulator/cs/kubeconfig.ts';
import type { AccessKey, AccountRecord } from '../emulator/world.ts';
import { startHealthzProbe, type ProbeReport } from '../support/healthz-probe.ts';
import { callerHeaders, findSecretLeaks, rememberSecrets, startStack, type Stack } from '../support/stack.ts';
import { expand, loadCorpus, type HostileCase, type Tenant } from './hostile-traffic.cases.ts';
import { judge, sendHttp, sendProxyReset, sendTool, type Answer } from './hostile-traffic.senders.ts';

/** HOSTILE_ONLY=id,id runs only those cases (and what they come `after`): to try a new line on its own. */
const only = process.env.HOSTILE_ONLY?.split(',').map((id) => id.trim());
const corpus = loadCorpus(new URL('./hostile-traffic.corpus.jsonl', import.meta.url)).filter(
  (entry, _, all) => !only || only.includes(entry.id) || all.some((other) => only.includes(other.id) && other.after.includes(entry.id)),
);
/** Cases in flight at once. */
const CONCURRENCY = 8;
const SLOWEST_HEALTHZ_MS = 500;
/**
 * The server and the probe each run in a session of their own with a CPU share weighted up (cpu-share.ts; when
 * allowed): on FC the instance has its vCPUs, here other suites share two cores. The server's own blocking work, and
 * its kubectl processes (in its share, as on FC), still show.
 */
const CPU_NICE = -10;
/** Read-write with exec allowed: the widest surface a deployment can expose. */
const SERVER_ENV = {
  ACCESS_MODE: 'read-write',
  KUBECTL_ALLOW_EXEC: 'true',
  UPSTREAM_READ_TIMEOUT_MS: '20000',
  KUBECTL_MAX_CPU_SECONDS: '5',
};
const BOGUS_TOKEN = 'CAIS-hostile-bogus-security-token-0001';

interface Sent {
  entry: HostileCase;
  marker: string;
  clusterIds: string[];
  answer?: Answer;
  problems: string[];
  ms: number;
  /** Wall-clock start and end (ms since epoch), to name the cases in flight when a probe was slow. */
  from: number;
  to: number;
}

let stack: Stack;
let tenants: Record<Tenant, { headers: Record<string, string>; key?: AccessKey; account?: AccountRecord; valid: boolean }>;
const sent: Sent[] = [];
let probe: ProbeReport | undefined;

before(async () => {
  stack = await startStack({ serverProcess: { cpuNice: CPU_NICE }, env: SERVER_ENV });
  const [demo, other] = stack.emulator.world.accounts as [AccountRecord, AccountRecord];
  const sts = demo.accessKeys.find((key) => key.securityToken && key.expiresAt! > Date.now())!;
  const expired = demo.accessKeys.find((key) => key.securityToken && key.expiresAt! < Date.now())!;
  rememberSecrets(BOGUS_TOKEN);
  tenants = {
    demo: { headers: callerHeaders(demo.accessKeys[0]!), key: demo.accessKeys[0]!, account: demo, valid: true },
    'demo-sts': { headers: callerHeaders(sts), key: sts, account: demo, valid: true },
    'demo-sts-expired': { headers: callerHeaders(expired), key: expired, account: demo, valid: false },
    'demo-sts-bogus': { headers: { ...callerHeaders(sts), 'x-aliyun-security-token': BOGUS_TOKEN }, key: sts, account: demo, valid: false },
    other: { headers: callerHeaders(other.accessKeys[0]!), key: other.accessKeys[0]!, account: other, valid: true },
    none: { headers: {}, valid: false },
  };
  await warmUp();
});
after(() => stack?.close());

function placeholders(marker: string) {
  const accounts = stack.emulator.world.accounts;
  return {
    marker,
    cluster(name: string) {
      const cluster = accounts.flatMap((account) => account.clusters).find((candidate) => candidate.name === name);
      if (!cluster) throw new Error(`no cluster named ${name}`);
      return cluster.cluster_id;
    },
    account(name: string) {
      const account = accounts.find((candidate) => candidate.name === name);
      if (!account) throw new Error(`no account named ${name}`);
      return account.accountId;
    },
  };
}

let proxyPort: Promise<number> | undefined;
/** The kubectl proxy's port, as `kubectl cluster-info` run through the tool prints it. */
function findProxyPort(): Promise<number> {
  proxyPort ??= (async () => {
    const cluster = stack.emulator.world.accounts[0]!.clusters[0]!.cluster_id;
    const answer = await sendTool(
      stack,
      'kubectl',
      { cluster_id: cluster, command: 'cluster-info' },
      tenants.demo.headers,
      AbortSignal.timeout(60_000),
    );
    const text = (answer.body?.result?.content?.[0]?.text as string | undefined) ?? answer.text;
    const port = /https:\/\/127\.0\.0\.1:(\d+)/.exec(text)?.[1];
    if (!port) throw new Error(`kubectl cluster-info did not name the proxy: ${text.slice(0, 200)}`);
    return Number(port);
  })();
  return proxyPort;
}

/**
 * One call of each kind before the probe starts: the first loads the MCP runtime, the SDKs and kubectl's discovery
 * (a cold start, which blocks a fresh instance whatever the traffic; FC's health check waits for it).
 */
async function warmUp(): Promise<void> {
  const prod = stack.emulator.world.accounts[0]!.clusters[0]!.cluster_id;
  const calls: Array<[string, Record<string, unknown>]> = [
    ['list_clusters', {}],
    ['list_log_stores', { cluster_id: prod }],
    ['sls_execute_sql_query', { cluster_id: prod, query: '*', limit: 1 }],
    ['cms_execute_promql_query', { cluster_id: prod, query: 'up' }],
  ];
  for (const [name, args] of calls) {
    const answer = await sendTool(stack, name, args, tenants.demo.headers, AbortSignal.timeout(60_000));
    assert.equal(answer.body?.result?.isError, undefined, `warm-up ${name}: ${answer.text.slice(0, 300)}`);
  }
  await findProxyPort();
  stack.emulator.callLog.clear();
  stack.emulator.kube.requests.length = 0;
}

async function sendOne(entry: HostileCase, index: number): Promise<Sent> {
  const marker = `h${index}`;
  const clusterIds: string[] = [];
  const values = placeholders(marker);
  const tenant = tenants[entry.tenant];
  const record: Sent = { entry, marker, clusterIds, problems: [], ms: 0, from: Date.now(), to: 0 };
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${entry.deadlineMs} ms`));
    }, entry.deadlineMs);
  });
  try {
    const headers = { ...tenant.headers, ...(expand(entry.headers, values) as Record<string, string>) };
    let sending: Promise<Answer>;
    if (entry.tool) {
      const args = expand(entry.args, values) as { cluster_id?: unknown };
      if (typeof args.cluster_id === 'string') clusterIds.push(args.cluster_id);
      sending = sendTool(stack, entry.tool, args, headers, controller.signal);
    } else if (entry.http)
      sending = sendHttp(stack, expand(entry.http, values) as Parameters<typeof sendHttp>[1], tenant.headers, controller.signal);
    else sending = findProxyPort().then((port) => sendProxyReset(port, entry.proxy!.stage, controller.signal));
    record.answer = await Promise.race([sending, deadline]);
    record.problems = judge(entry.expect, record.answer, entry.tool ? 'tool' : entry.http ? 'http' : 'proxy');
  } catch (error) {
    record.problems = [`failed: ${(error as Error).message}`];
  } finally {
    clearTimeout(timer);
    record.ms = Math.round(performance.now() - started);
    record.to = Date.now();
  }
  return record;
}

/** Every case `repeat` times, CONCURRENCY at once, repeats interleaved, a case with `after` once those are done. */
async function runCorpus(): Promise<void> {
  const queue: HostileCase[] = [];
  for (let round = 0; queue.length < corpus.reduce((sum, entry) => sum + entry.repeat, 0); round += 1) {
    for (const entry of corpus) if (entry.repeat > round) queue.push(entry);
  }
  const left = new Map(corpus.map((entry) => [entry.id, entry.repeat]));
  const running = new Set<Promise<void>>();
  let index = 0;
  while (queue.length > 0 || running.size > 0) {
    const next = queue.findIndex((entry) => entry.after.every((id) => left.get(id) === 0));
    if (next === -1 && running.size === 0)
      throw new Error(`the corpus's "after" lists form a cycle: ${queue.map((entry) => entry.id).join(', ')}`);
    if (next === -1 || running.size >= CONCURRENCY) {
      await Promise.race(running);
      continue;
    }
    const [entry] = queue.splice(next, 1) as [HostileCase];
    const job = sendOne(entry, (index += 1)).then((record) => {
      sent.push(record);
      left.set(entry.id, left.get(entry.id)! - 1);
      running.delete(job);
    });
    running.add(job);
  }
}

describe('hostile traffic', () => {
  test(`the corpus (${corpus.length} cases) gets the answers it expects while /healthz is probed`, { timeout: 600_000 }, async (t) => {
    const healthz = await startHealthzProbe(`${stack.server.url}/healthz`, { intervalMs: 50, timeoutMs: 5_000, cpuNice: CPU_NICE });
    const started = performance.now();
    try {
      await runCorpus();
    } finally {
      probe = await healthz.stop();
    }
    const slowest = [...sent].sort((a, b) => b.ms - a.ms)[0];
    t.diagnostic(
      `${sent.length} calls in ${Math.round(performance.now() - started)} ms; slowest case ${slowest?.entry.id} (${slowest?.ms} ms)`,
    );
    const failed = sent.filter((record) => record.problems.length > 0);
    assert.deepEqual(
      failed.map((record) => `line ${record.entry.line} ${record.entry.id}: ${record.problems.join('; ')}`),
      [],
    );
  });

  test('the server process never exited', () => {
    assert.equal(
      stack.process!.exit,
      undefined,
      `the server exited: ${JSON.stringify(stack.process!.exit)}\n${stack.process!.stderr.slice(-20).join('\n')}`,
    );
  });

  test(`no /healthz answer took longer than ${SLOWEST_HEALTHZ_MS} ms, and every probe was answered`, (t) => {
    assert.ok(probe, 'the probe reported');
    const inFlight = (at: string, ms: number) => {
      const [from, to] = [Date.parse(at), Date.parse(at) + ms];
      return [...new Set(sent.filter((record) => record.from < to && record.to > from).map((record) => record.entry.id))].join(' ');
    };
    t.diagnostic(
      `/healthz: ${probe.count} probes, worst ${probe.worstMs.toFixed(1)} ms (sent ${probe.worstAt}; in flight: ${inFlight(probe.worstAt, probe.worstMs)})`,
    );
    assert.deepEqual(probe.failures, []);
    assert.ok(probe.count > 0);
    const slow = probe.slow.map((answer) => `${answer.at} ${answer.ms} ms, in flight: ${inFlight(answer.at, answer.ms)}`);
    assert.ok(probe.worstMs <= SLOWEST_HEALTHZ_MS, `worst ${probe.worstMs.toFixed(1)} ms; slow answers:\n${slow.join('\n')}`);
  });

  test("no tenant's upstream call was signed with another's key", () => {
    const byMarker = new Map(sent.map((record) => [record.marker, record]));
    const problems: string[] = [];
    const allowedPairs = new Set(
      sent.flatMap((record) => record.clusterIds.map((id) => `${tenants[record.entry.tenant].key?.accessKeyId}|${id}`)),
    );
    const knownKeys = new Set(Object.values(tenants).map((tenant) => tenant.key?.accessKeyId ?? ''));
    for (const call of stack.emulator.callLog.records) {
      if (!knownKeys.has(call.accessKeyId))
        problems.push(`${call.action} signed with a key no tenant sent (${call.accessKeyId.slice(0, 6)}…)`);
      const cluster = /\/(?:clusters|k8s)\/(c[0-9a-z]+)/.exec(call.path)?.[1];
      if (cluster && !allowedPairs.has(`${call.accessKeyId}|${cluster}`))
        problems.push(`${call.action} on ${cluster} signed by ${call.accessKeyId.slice(0, 6)}…, whose tenant never named it`);
      const query = JSON.stringify(call.body ?? '');
      for (const [marker, record] of byMarker) {
        if (!query.includes(`${marker}"`) && !query.includes(`${marker} `)) continue;
        const tenant = tenants[record.entry.tenant];
        if (tenant.valid ? call.accessKeyId !== tenant.key!.accessKeyId : call.status < 400)
          problems.push(
            `${call.action} for ${record.entry.id} (${record.entry.tenant}) was signed by ${call.accessKeyId.slice(0, 6)}… and answered ${call.status}`,
          );
      }
    }
    for (const request of stack.emulator.kube.requests) {
      const selector = new URL(request.path, 'https://kube').searchParams.get('labelSelector') ?? '';
      const marker = /hostile=(\w+)/.exec(selector)?.[1];
      const record = marker ? byMarker.get(marker) : undefined;
      if (!record) continue;
      const tenant = tenants[record.entry.tenant];
      const expected = tenant.valid ? kubeUserOf({ account: tenant.account!, key: tenant.key! }) : '(no request at all)';
      if (request.user !== expected)
        problems.push(`${record.entry.id} (${record.entry.tenant}) reached the API server as ${request.user}, expected ${expected}`);
    }
    assert.deepEqual(problems, []);
  });

  test('no secret appears in any answer or log line', async () => {
    assert.deepEqual(await findSecretLeaks(), []);
  });

  test('the server stops cleanly when asked', async () => {
    await stack.process!.close();
    assert.deepEqual(stack.process!.exit, { code: 0, signal: null });
  });
});
