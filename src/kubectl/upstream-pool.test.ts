/**
 * The proxy's upstream agents (upstream-pool.ts), through the proxy against the fake API server: a request in flight
 * is never cut to make room for other callers (the pool grows past its bound while every agent is busy), nor because its identity's credential was renewed meanwhile; idle
 * agents are what goes, and the pool is back within its bound once they are idle.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../../test/emulator/kube/server.ts';
import { createLogger } from '../log.ts';
import { parseKubeconfig, type UpstreamCluster } from './kubeconfig.ts';
import { KubectlProxy, type ProxySession } from './proxy.ts';
import { MAX_POOLS } from './upstream-pool.ts';

const HELD = '/api/v1/namespaces/default/pods';
let kube: FakeKubeApiServer;
let proxy: KubectlProxy;
let upstream: UpstreamCluster;

function open(poolKey: string, credential: UpstreamCluster = upstream): Promise<ProxySession> {
  return proxy.open({
    upstream: credential,
    policy: { mode: 'read-only', allowSecrets: false, allowExec: false },
    poolKey,
    audit: { cluster: 'c-pool', identity: poolKey },
  });
}

function get(session: ProxySession, path: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(session.url);
  return new Promise((resolve) => {
    const req = request(
      { hostname: '127.0.0.1', port, path, ca: session.caPem, agent: false, headers: { authorization: `Bearer ${session.token}` } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', (error: Error) => resolve({ status: -1, text: error.message }));
      },
    );
    req.on('error', (error: Error) => resolve({ status: -1, text: error.message }));
    req.end();
  });
}

before(async () => {
  kube = await startFakeKubeApiServer();
  proxy = new KubectlProxy({ auditLogger: createLogger(() => undefined) });
  upstream = parseKubeconfig(kube.kubeconfig('alice'));
});
after(async () => {
  await proxy.close();
  await kube.close();
});

describe('proxy: upstream agents are evicted only when idle', () => {
  test(`${MAX_POOLS + 1} identities each with a request in flight: all complete; the pool exceeds its bound only while they are busy`, async () => {
    const gate = kube.gate(HELD);
    const sessions = await Promise.all(Array.from({ length: MAX_POOLS + 1 }, (_, i) => open(`identity-${i}`)));
    const answers = sessions.map((session) => get(session, HELD));
    await gate.whenHeld(MAX_POOLS + 1);
    assert.equal(proxy.pooledUpstreams, MAX_POOLS + 1, 'no busy agent was destroyed to keep the bound');
    gate.open();
    for (const done of await Promise.all(answers)) {
      assert.equal(done.status, 200, done.text);
      assert.match(done.text, /"kind":"PodList"/);
    }
    for (const session of sessions) session.close();
    const next = await open('identity-after');
    assert.equal((await get(next, '/api/v1/namespaces')).status, 200);
    next.close();
    assert.equal(proxy.pooledUpstreams, MAX_POOLS, 'idle agents were evicted down to the bound');
  });

  test('a renewed credential for the same identity and cluster does not cut the request still running with the old one', async () => {
    const gate = kube.gate(HELD);
    const before = await open('renewing-identity');
    const answer = get(before, HELD);
    await gate.whenHeld(1);
    const renewed = await open('renewing-identity', { ...upstream, fingerprint: `${upstream.fingerprint}-renewed` });
    assert.equal((await get(renewed, '/api/v1/namespaces')).status, 200);
    renewed.close();
    gate.open();
    const done = await answer;
    assert.equal(done.status, 200, done.text);
    before.close();
  });
});
