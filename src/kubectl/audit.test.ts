/**
 * The kubectl audit log is one bounded line per call, however many requests kubectl makes: a session that makes
 * thousands of requests (allowed reads and refused deletes, sent straight to the proxy as fast as it answers), and
 * real kubectl through the proxy with many names in one call (kubectl's own client-side throttling, 5 requests per
 * second after a burst of 10, keeps a real call to a few hundred requests within the longest deadline).
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ensureKubectl } from '../../layers/kubectl/kubectl-binary.ts';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../../test/emulator/kube/server.ts';
import { createLogger } from '../log.ts';
import { AUDIT_LIMITS, auditedResource } from './audit.ts';
import { executeKubectl } from './execute.ts';
import { parseKubeconfig } from './kubeconfig.ts';
import { KubectlProxy, type ProxyGrant, type ProxySession } from './proxy.ts';
import { findPrlimit } from './resource-limits.ts';
import type { RestPolicy } from './rest-policy.ts';

const READ_ONLY: RestPolicy = { mode: 'read-only', allowSecrets: false, allowExec: false };
const THOUSANDS = 2000;
const NAMES = Array.from({ length: 40 }, (_, i) => `missing-${i}`);
let kube: FakeKubeApiServer;
let proxy: KubectlProxy;
let kubectlPath: string;
const lines: string[] = [];

function grant(policy: RestPolicy): ProxyGrant {
  return {
    upstream: parseKubeconfig(kube.kubeconfig('alice')),
    policy,
    poolKey: 'audit',
    audit: { cluster: 'c-audit', identity: 'id-audit' },
  };
}

/** `count` requests on one session, a few at a time over kept-alive connections; resolves with their statuses. */
async function burst(session: ProxySession, count: number, method: (i: number) => string, path: (i: number) => string): Promise<number[]> {
  const { port } = new URL(session.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: session.caPem });
  const one = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { hostname: '127.0.0.1', port, path: path(i), method: method(i), agent, headers: { authorization: `Bearer ${session.token}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 8)
    statuses.push(...(await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, j) => one(i + j)))));
  agent.destroy();
  return statuses;
}

async function run(args: string[], policy: RestPolicy) {
  return executeKubectl({
    kubectlPath,
    args,
    timeoutSeconds: 120,
    maxOutputBytes: 20_000,
    limits: { memoryMb: 128, cpuSeconds: 30, prlimitPath: findPrlimit() },
    grant: grant(policy),
    cacheKey: 'audit-test',
    proxy,
  });
}

before(async () => {
  kubectlPath = await ensureKubectl();
  kube = await startFakeKubeApiServer();
  proxy = new KubectlProxy({ auditLogger: createLogger((line) => lines.push(line)) });
  await run(['get', 'namespaces'], READ_ONLY); // discovery cached
});
after(async () => {
  await proxy.close();
  await kube.close();
});
beforeEach(() => {
  lines.length = 0;
});

describe('kubectl audit: one bounded line per call', () => {
  test(`a session of ${THOUSANDS} requests, reads and refused deletes of as many objects: one bounded line`, {
    timeout: 120_000,
  }, async () => {
    const session = await proxy.open(grant(READ_ONLY));
    const statuses = await burst(
      session,
      THOUSANDS,
      (i) => (i % 3 === 2 ? 'DELETE' : 'GET'),
      (i) => `/api/v1/namespaces/default/configmaps/object-${i}`,
    );
    session.close();
    const refused = statuses.filter((status) => status === 403).length;
    assert.equal(refused, Math.floor(THOUSANDS / 3));
    assert.equal(lines.length, 1, `${lines.length} audit lines`);
    const line = JSON.parse(lines[0]!);
    assert.equal(line.event, 'kubectl_api_requests');
    assert.deepEqual([line.cluster, line.identity], ['c-audit', 'id-audit']);
    assert.deepEqual(
      [line.requests, line.refused, line.unfinished, line.refusalsLeftOut],
      [THOUSANDS, refused, 0, refused - AUDIT_LIMITS.refusals],
    );
    assert.deepEqual(line.counts, { 'GET configmaps': THOUSANDS - refused, 'DELETE configmaps': refused });
    assert.deepEqual(line.statuses, { 404: THOUSANDS - refused, 403: refused });
    assert.equal(line.first.length, AUDIT_LIMITS.firstRequests);
    assert.equal(line.first[2], 'DELETE /api/v1/namespaces/default/configmaps/object-2');
    assert.equal(line.refusals.length, AUDIT_LIMITS.refusals);
    assert.deepEqual(line.refusals[0], {
      method: 'DELETE',
      path: '/api/v1/namespaces/default/configmaps/object-2',
      rule: 'mode',
      status: 403,
    });
    assert.ok(lines[0]!.length < 8192, `${lines[0]!.length} characters`);
  });

  test(`real kubectl: a get of ${NAMES.length} names is one line that counts every request`, { timeout: 120_000 }, async () => {
    const result = await run(['get', 'configmaps', '-n', 'default', ...NAMES], READ_ONLY);
    assert.equal(result.upstreamRequests, NAMES.length);
    assert.equal(lines.length, 1, `${lines.length} audit lines`);
    const line = JSON.parse(lines[0]!);
    assert.deepEqual([line.requests, line.refused, line.unfinished], [NAMES.length, 0, 0]);
    assert.deepEqual(line.counts, { 'GET configmaps': NAMES.length });
    assert.deepEqual(line.statuses, { 404: NAMES.length });
    assert.deepEqual(
      line.first,
      NAMES.slice(0, AUDIT_LIMITS.firstRequests).map((name) => `GET /api/v1/namespaces/default/configmaps/${name}`),
    );
  });

  test(`real kubectl: a read-only delete of ${NAMES.length} names is one line listing the refusals`, { timeout: 120_000 }, async () => {
    const result = await run(['delete', 'configmaps', '-n', 'default', ...NAMES], READ_ONLY);
    assert.equal(result.upstreamRequests, 0);
    assert.equal(lines.length, 1, `${lines.length} audit lines`);
    const line = JSON.parse(lines[0]!);
    assert.deepEqual(
      [line.requests, line.refused, line.refusalsLeftOut],
      [NAMES.length, NAMES.length, NAMES.length - AUDIT_LIMITS.refusals],
    );
    assert.deepEqual(line.statuses, { 403: NAMES.length });
    assert.deepEqual(line.refusals[0], {
      method: 'DELETE',
      path: '/api/v1/namespaces/default/configmaps/missing-0',
      rule: 'mode',
      status: 403,
    });
  });

  test('auditedResource names resources, subresources and groups, and buckets discovery and other paths', () => {
    assert.equal(auditedResource('/api/v1/namespaces/default/pods/web/log'), 'pods/log');
    assert.equal(auditedResource('/apis/apps/v1/namespaces/default/deployments/web'), 'deployments.apps');
    assert.equal(auditedResource('/api/v1/nodes'), 'nodes');
    assert.equal(auditedResource('/apis/apps/v1'), 'discovery');
    assert.equal(auditedResource('/api'), '/api');
    assert.equal(auditedResource('/openapi/v3/apis/apps/v1'), '/openapi');
    assert.equal(auditedResource('/api/v1/%zz'), 'invalid path');
  });
});
