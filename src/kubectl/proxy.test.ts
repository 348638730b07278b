/**
 * The loopback proxy on its own, against the fake API server: the proxy alone refuses what the mode and the settings
 * forbid, even when the argument policy is bypassed (raw requests with a session token, and real kubectl run with
 * arguments the validator never saw).
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { after, before, beforeEach, describe, test } from 'node:test';
import { connect } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { ensureKubectl } from '../../layers/kubectl/kubectl-binary.ts';
import { createCertificateAuthority } from '../../test/emulator/kube/certs.ts';
import { findResourceType } from '../../test/emulator/kube/resources.ts';
import { SECRET_PLAINTEXT_PASSWORD } from '../../test/emulator/kube/seed.ts';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../../test/emulator/kube/server.ts';
import { createLogger } from '../log.ts';
import { executeKubectl } from './execute.ts';
import { parseKubeconfig, type UpstreamCluster } from './kubeconfig.ts';
import { MASKED_DATA } from './masking.ts';
import { findPrlimit } from './resource-limits.ts';
import { jsonOnlyAccept, KubectlProxy, upstreamHeaders, type ProxyGrant, type ProxySession } from './proxy.ts';
import { ALLOWED, REFUSED, REFUSED_UPGRADES } from './rest-policy.cases.ts';
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

const upstreams = new Map<string, UpstreamCluster>(); // one client certificate per user (each costs an RSA key)

function grant(policy: RestPolicy, user = 'alice'): ProxyGrant {
  let upstream = upstreams.get(user);
  if (!upstream) upstreams.set(user, (upstream = parseKubeconfig(kube.kubeconfig(user))));
  return { upstream, policy, poolKey: `id-${user}\0cluster`, audit: { cluster: 'c-test', identity: `id-${user}` } };
}

/** A request to the proxy with `path` sent as written (no URL parsing on this side: a `#` stays in it). */
function send(
  session: Pick<ProxySession, 'url' | 'caPem'>,
  method: string,
  path: string,
  token: string | undefined,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: any; text: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(session.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method, ca: session.caPem, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } },
      (res) => {
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
          resolve({ status: res.statusCode ?? 0, body: parsed, text, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The request line and headers written byte for byte over TLS (for targets an HTTP client would refuse to send). */
function sendRaw(
  session: Pick<ProxySession, 'url' | 'caPem'>,
  method: string,
  target: string,
  token: string,
  extra = '',
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(session.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca: session.caPem, servername: undefined }, () => {
      socket.write(
        `${method} ${target} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`,
      );
    });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

before(async () => {
  kubectlPath = await ensureKubectl();
  kube = await startFakeKubeApiServer();
  proxy = new KubectlProxy({ auditLogger: createLogger((line) => audit.push(line)) });
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

  test('a session opened before its grant: requests wait for it, then go upstream with it', async () => {
    let grantNow!: (granted: ProxyGrant) => void;
    const session = await proxy.open(new Promise<ProxyGrant>((resolve) => (grantNow = resolve)));
    const waiting = once(proxy, 'awaiting-grant');
    const answer = send(session, 'GET', '/api/v1/namespaces/default/pods?limit=1', session.token);
    await waiting;
    assert.equal(kube.requests.length, 0, 'nothing goes upstream before the grant');
    grantNow(grant(READ_ONLY, 'bob'));
    const answered = await answer;
    assert.equal(answered.status, 200);
    assert.equal(answered.body.kind, 'PodList');
    assert.equal(session.upstreamRequests, 1);
    session.close();
    assert.deepEqual(
      kube.requests.map((r) => [r.method, r.path, r.user]),
      [['GET', '/api/v1/namespaces/default/pods?limit=1', 'bob']],
    );
    assert.equal(JSON.parse(audit[0]!).cluster, 'c-test');
    assert.equal(proxy.openSessions, 0);
  });

  test('a grant that fails, or a session closed before its grant: waiting requests get 401 and nothing goes upstream', async () => {
    let failNow!: (error: Error) => void;
    const failing = await proxy.open(new Promise<ProxyGrant>((_resolve, reject) => (failNow = reject)));
    let grantLate!: (granted: ProxyGrant) => void;
    const closing = await proxy.open(new Promise<ProxyGrant>((resolve) => (grantLate = resolve)));
    for (const [session, end] of [
      [failing, () => failNow(new Error('ErrorClusterNotFound'))],
      [closing, () => closing.close()],
    ] as const) {
      const waiting = once(proxy, 'awaiting-grant');
      const answer = send(session, 'GET', '/api/v1/pods', session.token);
      await waiting;
      end();
      const refused = await answer;
      assert.equal(refused.status, 401);
      assert.equal(refused.body.reason, 'Unauthorized');
    }
    grantLate(grant(READ_ONLY)); // too late: the session is closed
    assert.equal((await send(closing, 'GET', '/api/v1/pods', closing.token)).status, 401);
    assert.equal(failing.upstreamRequests, 0);
    failing.close();
    assert.equal(kube.requests.length, 0);
    assert.deepEqual(audit, [], 'no audit line: nothing was judged or forwarded');
    assert.equal(proxy.openSessions, 0);
  });

  test('real kubectl is started before the work of its grant begins, and runs with the grant once it comes', async () => {
    let grantNow!: (granted: ProxyGrant) => void;
    let asked = false;
    const waiting = once(proxy, 'awaiting-grant');
    const run = executeKubectl({
      kubectlPath,
      args: ['get', 'pods', '-n', 'default', '-o', 'name'],
      timeoutSeconds: 20,
      maxOutputBytes: 20_000,
      limits: { memoryMb: 128, cpuSeconds: 30, prlimitPath: findPrlimit() },
      grant: () => {
        asked = true;
        return new Promise<ProxyGrant>((resolve) => (grantNow = resolve));
      },
      cacheKey: 'proxy-test\0late',
      proxy,
    });
    await waiting; // kubectl is running and its first request waits
    assert.equal(asked, true, "the grant's work began once kubectl was started");
    assert.equal(kube.requests.length, 0);
    grantNow(grant(READ_ONLY));
    const done = await run;
    assert.equal(done.exitCode, 0, done.stderr);
    assert.match(done.stdout, /^pod\//m);
    assert.ok(kube.requests.length >= 1 && kube.requests.every((r) => r.user === 'alice'));
    assert.equal(proxy.openSessions, 0);
  });

  test("real kubectl started before its grant: the grant's failure stops it and is the call's error", async () => {
    let failNow!: (error: Error) => void;
    const fetched = new Promise<ProxyGrant>((_resolve, reject) => (failNow = reject));
    const waiting = once(proxy, 'awaiting-grant');
    const run = executeKubectl({
      kubectlPath,
      args: ['get', 'pods'],
      timeoutSeconds: 20,
      maxOutputBytes: 20_000,
      limits: { memoryMb: 128, cpuSeconds: 30, prlimitPath: findPrlimit() },
      grant: () => fetched,
      cacheKey: 'proxy-test\0pending',
      proxy,
    });
    await waiting; // kubectl is running and its first request waits
    failNow(new Error('the kubeconfig could not be fetched'));
    await assert.rejects(run, /the kubeconfig could not be fetched/);
    assert.equal(kube.requests.length, 0);
    assert.equal(proxy.openSessions, 0);
  });

  test("requests go upstream with the session's client certificate; audit lines carry no token or credential", async () => {
    const session = await proxy.open(grant(READ_ONLY, 'bob'));
    await send(session, 'GET', '/api/v1/namespaces/default/pods?limit=1', session.token);
    session.close();
    assert.deepEqual(
      kube.requests.map((r) => [r.method, r.path, r.user]),
      [['GET', '/api/v1/namespaces/default/pods?limit=1', 'bob']],
    );
    assert.equal(audit.length, 1);
    const line = JSON.parse(audit[0]!);
    assert.deepEqual(
      {
        event: line.event,
        cluster: line.cluster,
        identity: line.identity,
        requests: line.requests,
        counts: line.counts,
        statuses: line.statuses,
        first: line.first,
      },
      {
        event: 'kubectl_api_requests',
        cluster: 'c-test',
        identity: 'id-bob',
        requests: 1,
        counts: { 'GET pods': 1 },
        statuses: { 200: 1 },
        first: ['GET /api/v1/namespaces/default/pods'],
      },
    );
    assert.ok(!audit.join('\n').includes(session.token));
  });

  test('hop-by-hop, caller Authorization and impersonation headers never go upstream', () => {
    const out = upstreamHeaders(
      {
        authorization: 'Bearer caller',
        connection: 'keep-alive, x-drop',
        'x-drop': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'impersonate-user': 'admin',
        'impersonate-group': 'system:masters',
        'Impersonate-Extra-scopes': 'x',
        'proxy-authorization': 'Basic x',
        accept: 'application/json',
        'content-type': 'application/json',
        'user-agent': 'kubectl/v1.33.9',
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
    const review = await send(
      session,
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      session.token,
      { 'content-type': 'application/json' },
      JSON.stringify({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
      }),
    );
    assert.equal(review.status, 201);
    session.close();
    assert.deepEqual(
      kube.requests.map((r) => r.method),
      ['POST'],
    );
    assert.equal(clusterState(), before);
    const line = JSON.parse(audit.at(-1)!);
    assert.deepEqual([line.requests, line.refused, line.refusals.map((r: { rule: string }) => r.rule)], [4, 3, ['mode', 'mode', 'mode']]);
  });

  test('read-only: real kubectl run with write arguments the validator never saw is refused by the proxy', async () => {
    const before = clusterState();
    for (const args of [
      ['scale', 'deployment', 'web', '--replicas=5'],
      ['delete', 'pod', 'web-5d8f7c9b6-h2xq9'],
      ['label', 'node', 'cn-hangzhou.10.0.1.12', 'x=y'],
    ]) {
      const run = await executeKubectl({
        kubectlPath,
        args,
        timeoutSeconds: 20,
        maxOutputBytes: 20_000,
        limits: { memoryMb: 128, cpuSeconds: 30, prlimitPath: findPrlimit() },
        grant: grant(READ_ONLY),
        cacheKey: 'proxy-test\0alice',
        proxy,
      });
      assert.equal(run.exitCode, 1, args.join(' '));
      assert.match(
        run.stderr,
        /Error from server \(Forbidden\): .*the MCP server's kubectl policy refused this request: (PATCH|DELETE) changes the cluster/,
        run.stderr,
      );
      assert.ok(run.refusedRequests >= 1);
    }
    assert.ok(
      kube.requests.every((r) => r.method === 'GET'),
      JSON.stringify(kube.requests.map((r) => r.method)),
    );
    assert.equal(clusterState(), before);
  });

  test('Secrets: get, list and watch are refused by the proxy unless allowed', async () => {
    for (const args of [
      ['get', 'secrets', '-A'],
      ['get', 'secret', 'db-credentials', '-o', 'yaml'],
      ['get', 'secrets', '-n', 'default', '--watch-only', '--request-timeout=1s'],
    ]) {
      const run = await executeKubectl({
        kubectlPath,
        args,
        timeoutSeconds: 20,
        maxOutputBytes: 20_000,
        limits: { memoryMb: 128, cpuSeconds: 30, prlimitPath: findPrlimit() },
        grant: grant(READ_ONLY),
        cacheKey: 'proxy-test\0alice',
        proxy,
      });
      assert.equal(run.exitCode, 1, args.join(' '));
      assert.match(run.stderr, /Forbidden.*Secrets are not readable through this server/);
    }
    assert.ok(!kube.requests.some((r) => r.path.includes('secrets')));
    const allowed = await executeKubectl({
      kubectlPath,
      args: ['get', 'secret', 'db-credentials', '-o', 'yaml'],
      timeoutSeconds: 20,
      maxOutputBytes: 20_000,
      limits: { memoryMb: 128, cpuSeconds: 30, prlimitPath: findPrlimit() },
      grant: grant({ ...READ_ONLY, allowSecrets: true }),
      cacheKey: 'proxy-test\0alice',
      proxy,
    });
    assert.equal(allowed.exitCode, 0, allowed.stderr);
    assert.match(allowed.stdout, /password: <masked>/);
  });

  test('every refused case of the REST table, sent raw with a valid token, is refused and never reaches the API server', async () => {
    // Node's own HTTP parser answers 400 to these before the proxy sees them: a lower-case method, a space, no "/".
    const parserRejects = (method: string, path: string) =>
      method !== method.toUpperCase() || /\s/.test(path) || !/^(\/|\*|https?:)/.test(path);
    for (const [method, path, policy, rule] of REFUSED) {
      const session = await proxy.open(grant(policy));
      const answer = await sendRaw(session, method, path, session.token);
      session.close();
      assert.equal(kube.requests.length, 0, `${method} ${path} reached the API server`);
      if (parserRejects(method, path)) {
        assert.equal(answer.status, 400, `${method} ${path}: ${answer.text}`);
        continue;
      }
      assert.equal(answer.status, rule === 'path' ? 400 : 403, `${method} ${path}: ${answer.text}`);
      if (method !== 'HEAD') assert.match(JSON.parse(answer.text).message, /^the MCP server's kubectl policy refused/, `${method} ${path}`);
      const { refusals } = JSON.parse(audit.at(-1)!);
      assert.deepEqual([refusals[0].method, refusals[0].rule], [method, rule], `${method} ${path}`);
    }
    for (const [method, path, policy, rule] of REFUSED_UPGRADES) {
      const session = await proxy.open(grant(policy));
      const answer = await sendRaw(
        session,
        method,
        path,
        session.token,
        'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n',
      );
      session.close();
      assert.equal(answer.status, rule === 'path' ? 400 : 403, `upgrade ${method} ${path}: ${answer.text}`);
      assert.equal(JSON.parse(answer.text).code, answer.status);
      assert.equal(kube.requests.length, 0, `upgrade ${method} ${path} reached the API server`);
    }
  });

  test('a "#" no longer hides Secrets, tokens, proxies or exec from the policy (read-only session)', async () => {
    const session = await proxy.open(grant(READ_ONLY));
    for (const [method, path] of [
      ['GET', '/api/v1/namespaces/default/secrets#'],
      ['POST', '/api/v1/namespaces/default/serviceaccounts/default/token#'],
      ['GET', '/api/v1/namespaces/default/services/web:80/proxy#'],
      ['POST', '/api/v1/namespaces/default/pods/web-5d8f7c9b6-h2xq9/exec#'],
    ] as const) {
      const answer = await send(session, method, path, session.token);
      assert.equal(answer.status, 400, `${method} ${path}: ${answer.text}`);
      assert.match(answer.body.message, /a "#" has no place in an API request/);
      assert.ok(!answer.text.includes(Buffer.from(SECRET_PLAINTEXT_PASSWORD).toString('base64')));
    }
    session.close();
    assert.equal(kube.requests.length, 0);
  });

  test('allowed requests reach the API server with exactly the judged path and query, and the audit line names that path', async () => {
    for (const [method, path, policy] of ALLOWED.filter(([m]) => m === 'GET' || m === 'HEAD')) {
      kube.requests.length = 0;
      audit.length = 0;
      const session = await proxy.open(grant(policy));
      await send(session, method, path, session.token);
      session.close();
      assert.deepEqual(
        kube.requests.map((r) => [r.method, r.path]),
        [[method, path]],
        path,
      );
      assert.deepEqual(JSON.parse(audit[0]!).first, [`${method} ${path.split('?')[0]}`]);
    }
  });

  test('exec, attach, port-forward and proxy subresources are refused (upgrade requests included)', async () => {
    const session = await proxy.open(grant({ mode: 'read-write', allowSecrets: false, allowExec: false }));
    const exec = await send(
      session,
      'POST',
      '/api/v1/namespaces/default/pods/web-5d8f7c9b6-h2xq9/exec?command=sh&stdin=true',
      session.token,
      { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    );
    assert.equal(exec.status, 403);
    assert.match(exec.body.message, /exec subresource/);
    for (const path of [
      '/api/v1/namespaces/default/pods/p/portforward',
      '/api/v1/namespaces/default/services/web:80/proxy/',
      '/api/v1/nodes/cn-hangzhou.10.0.1.12/proxy/configz',
    ]) {
      assert.equal((await send(session, 'GET', path, session.token)).status, 403, path);
    }
    session.close();
    assert.equal(kube.requests.length, 0);
  });
});

describe('proxy: Secret values are masked before kubectl sees them', () => {
  const SECRETS: RestPolicy = { mode: 'read-only', allowSecrets: true, allowExec: false };
  const B64 = Buffer.from(SECRET_PLAINTEXT_PASSWORD).toString('base64');
  const leaks = (text: string) => text.includes(SECRET_PLAINTEXT_PASSWORD) || text.includes(B64);

  test('get, list, Table and watch answers carry masked values; protobuf and compression are never asked for', async () => {
    const session = await proxy.open(grant(SECRETS));
    const cases: Array<[string, Record<string, string>]> = [
      [
        '/api/v1/namespaces/default/secrets/db-credentials',
        { accept: 'application/vnd.kubernetes.protobuf,application/json', 'accept-encoding': 'gzip' },
      ],
      ['/api/v1/namespaces/default/secrets', { accept: 'application/yaml' }],
      ['/api/v1/secrets?limit=500', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' }],
      ['/api/v1/namespaces/default/secrets?watch=true', {}],
      ['/api/v1/namespaces/default/secrets?fieldSelector=metadata.name%3Ddb-credentials&watch=1', {}],
    ];
    for (const [path, headers] of cases) {
      const answer = await send(session, 'GET', path, session.token, headers);
      assert.equal(answer.status, 200, `${path}: ${answer.text}`);
      assert.ok(!leaks(answer.text), `${path} leaked: ${answer.text}`);
      assert.ok(answer.text.includes(MASKED_DATA) || answer.text.includes('\\"<masked>\\"'), `${path}: ${answer.text}`);
      assert.equal(answer.headers['content-length'], undefined);
    }
    session.close();
    assert.deepEqual(
      kube.requests.map((r) => r.accept),
      [
        'application/json',
        'application/json',
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
        'application/json',
        'application/json',
      ],
    );
    assert.ok(
      kube.requests.every((r) => r.acceptEncoding === ''),
      JSON.stringify(kube.requests),
    );
  });

  test('jsonOnlyAccept keeps only JSON media types', () => {
    assert.equal(jsonOnlyAccept('application/vnd.kubernetes.protobuf, application/json'), 'application/json');
    assert.equal(
      jsonOnlyAccept('application/json;as=Table;v=v1;g=meta.k8s.io, application/json'),
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    );
    assert.equal(jsonOnlyAccept('*/*'), 'application/json');
    assert.equal(jsonOnlyAccept(undefined), 'application/json');
    assert.equal(jsonOnlyAccept('application/jsonx'), 'application/json');
  });

  describe('an API server that answers in a form the proxy cannot mask', () => {
    let odd: Server;
    let upstream: UpstreamCluster;
    before(async () => {
      const ca = createCertificateAuthority();
      const cert = ca.issue({ commonName: '127.0.0.1', server: true });
      odd = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
        const secret = JSON.stringify({ kind: 'Secret', data: { password: B64 } });
        if (req.url!.includes('protobuf'))
          res.writeHead(200, { 'content-type': 'application/vnd.kubernetes.protobuf' }).end(`k8s\0${secret}`);
        else if (req.url!.includes('gzip'))
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(secret));
        else if (req.url!.includes('yaml'))
          res.writeHead(200, { 'content-type': 'application/yaml' }).end(`kind: Secret\ndata:\n  password: ${B64}\n`);
        else res.writeHead(200, { 'content-type': 'application/json' }).end(`${secret.slice(0, -3)}, "broken`);
      });
      await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
      upstream = {
        server: `https://127.0.0.1:${(odd.address() as AddressInfo).port}`,
        caPem: ca.certPem,
        tlsServerName: undefined,
        clientCertPem: undefined,
        clientKeyPem: undefined,
        token: 'odd-token',
        fingerprint: 'odd',
      };
    });
    after(() => new Promise<void>((resolve) => odd.close(() => resolve())));

    test('protobuf, YAML or compressed Secrets become a 502 Status; malformed JSON is cut; nothing unmasked passes', async () => {
      const session = await proxy.open({
        upstream,
        policy: SECRETS,
        poolKey: 'odd\0cluster',
        audit: { cluster: 'c-odd', identity: 'id-odd' },
      });
      for (const name of ['protobuf', 'gzip', 'yaml']) {
        const answer = await send(session, 'GET', `/api/v1/namespaces/default/secrets/${name}`, session.token);
        assert.equal(answer.status, 502, name);
        assert.match(answer.body.message, /only passes Secret responses it can mask/);
        assert.ok(!leaks(answer.text) && !answer.text.includes('H4sI'), name);
      }
      const broken = await send(session, 'GET', '/api/v1/namespaces/default/secrets/broken', session.token).catch((error: Error) => ({
        status: -1,
        text: error.message,
      }));
      assert.ok(!leaks(broken.text), broken.text);
      session.close();
    });
  });
});
