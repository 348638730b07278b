/**
 * The loopback proxy on its own, against the fake API server: the proxy alone refuses what the mode and the settings
 * forbid, even when the argument policy is bypassed (raw requests with a session token, and real kubectl run with
 * arguments the validator never saw).
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ensureKubectl } from '../../layers/kubectl/kubectl-binary.ts';
import { findResourceType } from '../../test/emulator/kube/resources.ts';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../../test/emulator/kube/server.ts';
import { createLogger } from '../log.ts';
import { setKubectlAuditLogger } from './audit.ts';
import { executeKubectl } from './execute.ts';
import { parseKubeconfig } from './kubeconfig.ts';
import { KubectlProxy, upstreamHeaders, type ProxyGrant, type ProxySession } from './proxy.ts';
import type { RestPolicy } from './rest-policy.ts';

let kube: FakeKubeApiServer;
let proxy: KubectlProxy;
let kubectlPath: string;
const audit: string[] = [];

/** What the writes below would change: web's replicas, the default namespace's pods and config maps, a node's labels. */
function clusterState(): string {
  const type = (group: string, resource: string) => findResourceType(group, 'v1', resource)!;
  return JSON.stringify([
    kube.store.get(type('apps', 'deployments'), 'default', 'web')?.spec?.replicas,
    kube.store.list(type('', 'pods'), 'default').map((pod) => pod.metadata.name),
    kube.store.list(type('', 'configmaps'), 'default').map((cm) => cm.metadata.name),
    kube.store.get(type('', 'nodes'), undefined, 'cn-hangzhou.10.0.1.12')?.metadata?.labels,
  ]);
}

const READ_ONLY: RestPolicy = { mode: 'read-only', allowSecrets: false, allowExec: false };

function grant(policy: RestPolicy, user = 'alice'): ProxyGrant {
  return { upstream: parseKubeconfig(kube.kubeconfig(user)), policy, poolKey: `id-${user}\0cluster`, audit: { cluster: 'c-test', identity: `id-${user}` } };
}

function send(session: Pick<ProxySession, 'url' | 'caPem'>, method: string, path: string, token: string | undefined, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${session.url}${path}`, { method, ca: session.caPem, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  kubectlPath = await ensureKubectl();
  kube = await startFakeKubeApiServer();
  proxy = new KubectlProxy();
  setKubectlAuditLogger(createLogger((line) => audit.push(line)));
});
after(async () => {
  await proxy.close();
  await kube.close();
});
beforeEach(() => {
  kube.requests.length = 0;
  audit.length = 0;
});

describe('proxy: sessions', () => {
  test('an unknown, missing or closed token gets 401 and nothing reaches the API server', async () => {
    const session = await proxy.open(grant(READ_ONLY));
    assert.equal((await send(session, 'GET', '/api/v1/pods', session.token)).status, 200);
    session.close();
    for (const token of [session.token, undefined, 'not-a-session']) {
      const answer = await send(session, 'GET', '/api/v1/pods', token);
      assert.equal(answer.status, 401);
      assert.equal(answer.body.reason, 'Unauthorized');
    }
    assert.equal(kube.requests.length, 1);
    assert.equal(proxy.openSessions, 0);
  });

  test('requests go upstream with the session\'s client certificate; audit lines carry no token or credential', async () => {
    const session = await proxy.open(grant(READ_ONLY, 'bob'));
    await send(session, 'GET', '/api/v1/namespaces/default/pods?limit=1', session.token);
    session.close();
    assert.deepEqual(kube.requests.map((r) => [r.method, r.path, r.user]), [['GET', '/api/v1/namespaces/default/pods?limit=1', 'bob']]);
    const line = JSON.parse(audit[0]!);
    assert.deepEqual(
      { event: line.event, cluster: line.cluster, identity: line.identity, method: line.method, path: line.path, status: line.status },
      { event: 'kubectl_api_request', cluster: 'c-test', identity: 'id-bob', method: 'GET', path: '/api/v1/namespaces/default/pods', status: 200 },
    );
    assert.ok(!audit.join('\n').includes(session.token));
  });

  test('hop-by-hop, caller Authorization and impersonation headers never go upstream', () => {
    const out = upstreamHeaders(
      {
        authorization: 'Bearer caller', connection: 'keep-alive, x-drop', 'x-drop': '1', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked',
        'impersonate-user': 'admin', 'impersonate-group': 'system:masters', 'Impersonate-Extra-scopes': 'x', 'proxy-authorization': 'Basic x',
        accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'kubectl/v1.33.9',
      },
      false,
    );
    assert.deepEqual(Object.keys(out).sort(), ['accept', 'content-type', 'user-agent']);
  });
});

describe('proxy: the policy holds on its own (argument check bypassed)', () => {
  test('read-only: raw writes with a valid token are refused with a Status and never reach the API server', async () => {
    const session = await proxy.open(grant(READ_ONLY));
    const before = clusterState();
    const writes: Array<[string, string, string]> = [
      ['PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', '{"spec":{"replicas":9}}'],
      ['DELETE', '/api/v1/namespaces/default/pods/web-5d8f7c9b6-h2xq9', ''],
      ['POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}'],
    ];
    for (const [method, path, body] of writes) {
      const answer = await send(session, method, path, session.token, { 'content-type': 'application/merge-patch+json' }, body);
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(answer.body.kind, 'Status');
      assert.match(answer.body.message, /read-only/);
    }
    // the access reviews kubectl needs still pass
    const review = await send(session, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', session.token, { 'content-type': 'application/json' },
      JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }));
    assert.equal(review.status, 201);
    session.close();
    assert.deepEqual(kube.requests.map((r) => r.method), ['POST']);
    assert.equal(clusterState(), before);
    assert.equal(audit.filter((line) => JSON.parse(line).refused === 'mode').length, 3);
  });

  test('read-only: real kubectl run with write arguments the validator never saw is refused by the proxy', async () => {
    const before = clusterState();
    for (const args of [['scale', 'deployment', 'web', '--replicas=5'], ['delete', 'pod', 'web-5d8f7c9b6-h2xq9'], ['label', 'node', 'cn-hangzhou.10.0.1.12', 'x=y']]) {
      const run = await executeKubectl({ kubectlPath, args, timeoutSeconds: 20, maxOutputBytes: 20_000, grant: grant(READ_ONLY), cacheKey: 'proxy-test\0alice', proxy });
      assert.equal(run.exitCode, 1, args.join(' '));
      assert.match(run.stderr, /Error from server \(Forbidden\): .*the MCP server's kubectl policy refused this request: (PATCH|DELETE) changes the cluster/, run.stderr);
      assert.ok(run.refusedRequests >= 1);
    }
    assert.ok(kube.requests.every((r) => r.method === 'GET'), JSON.stringify(kube.requests.map((r) => r.method)));
    assert.equal(clusterState(), before);
  });

  test('Secrets: get, list and watch are refused by the proxy unless allowed', async () => {
    for (const args of [['get', 'secrets', '-A'], ['get', 'secret', 'db-credentials', '-o', 'yaml'], ['get', 'secrets', '-n', 'default', '--watch-only', '--request-timeout=1s']]) {
      const run = await executeKubectl({ kubectlPath, args, timeoutSeconds: 20, maxOutputBytes: 20_000, grant: grant(READ_ONLY), cacheKey: 'proxy-test\0alice', proxy });
      assert.equal(run.exitCode, 1, args.join(' '));
      assert.match(run.stderr, /Forbidden.*Secrets are not readable through this server/);
    }
    assert.ok(!kube.requests.some((r) => r.path.includes('secrets')));
    const allowed = await executeKubectl({ kubectlPath, args: ['get', 'secret', 'db-credentials', '-o', 'yaml'], timeoutSeconds: 20, maxOutputBytes: 20_000, grant: grant({ ...READ_ONLY, allowSecrets: true }), cacheKey: 'proxy-test\0alice', proxy });
    assert.equal(allowed.exitCode, 0, allowed.stderr);
    assert.match(allowed.stdout, /password: <masked>/);
  });

  test('exec, attach, port-forward and proxy subresources are refused (upgrade requests included)', async () => {
    const session = await proxy.open(grant({ mode: 'read-write', allowSecrets: false, allowExec: false }));
    const exec = await send(session, 'POST', '/api/v1/namespaces/default/pods/web-5d8f7c9b6-h2xq9/exec?command=sh&stdin=true', session.token, { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' });
    assert.equal(exec.status, 403);
    assert.match(exec.body.message, /exec subresource/);
    for (const path of ['/api/v1/namespaces/default/pods/p/portforward', '/api/v1/namespaces/default/services/web:80/proxy/', '/api/v1/nodes/cn-hangzhou.10.0.1.12/proxy/configz']) {
      assert.equal((await send(session, 'GET', path, session.token)).status, 403, path);
    }
    session.close();
    assert.equal(kube.requests.length, 0);
  });
});
