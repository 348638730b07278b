/**
 * Connections cut at every stage of the loopback proxy never end the process: before TLS completes, after the request
 * line, after a 401 or 403, while an upgrade waits for the API server, after a 101 (either side), in the middle of a
 * response, and a real `kubectl exec` the API server refuses. After each, the proxy still answers and no per-call
 * kubeconfig directory is left behind. The test runner catches what would have ended the process (an unhandled
 * 'error' event): the test records those too and fails on any.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { ensureKubectl } from '../../layers/kubectl/kubectl-binary.ts';
import { createCertificateAuthority } from '../../test/emulator/kube/certs.ts';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../../test/emulator/kube/server.ts';
import { createLogger } from '../log.ts';
import { executeKubectl } from './execute.ts';
import { parseKubeconfig, type UpstreamCluster } from './kubeconfig.ts';
import { KubectlProxy, type ProxyGrant, type ProxySession } from './proxy.ts';
import { findPrlimit } from './resource-limits.ts';
import type { RestPolicy } from './rest-policy.ts';

const EXEC: RestPolicy = { mode: 'read-write', allowSecrets: false, allowExec: true };
const READ_ONLY: RestPolicy = { mode: 'read-only', allowSecrets: false, allowExec: false };
const EXEC_PATH = '/api/v1/namespaces/default/pods/web/exec?command=sh&stdout=true';
const UPGRADE_HEADERS = 'Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n';

let kube: FakeKubeApiServer;
let proxy: KubectlProxy;
let kubectlPath: string;
let tempRoot: string;
let previousTmpdir: string | undefined;
/** Errors nobody handled: each would have ended the server's process. */
const unhandled: Error[] = [];
const recordUnhandled = (error: Error) => unhandled.push(error);

/** An API server that upgrades exec requests (101, then echoes), or holds them, and can cut its side of a tunnel. */
let tunnel: Server;
let tunnelUpstream: UpstreamCluster;
const tunnelSockets: Socket[] = [];
let holdUpgrades = false;
const heldUpgrades: Socket[] = [];

function grant(policy: RestPolicy, upstream: UpstreamCluster, poolKey = 'resets'): ProxyGrant {
  return { upstream, policy, poolKey, audit: { cluster: 'c-resets', identity: 'id-resets' } };
}

const localPorts = new WeakMap<Socket, number>();

/** A TCP connection to the proxy (the test can reset it at any moment). */
async function tcp(session: Pick<ProxySession, 'url'>): Promise<Socket> {
  const { port } = new URL(session.url);
  const socket = tcpConnect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined); // a reset is what this test does
  await once(socket, 'connect');
  localPorts.set(socket, socket.localPort!);
  return socket;
}

/** TLS over `raw`, handshake done. */
async function tls(raw: Socket, session: Pick<ProxySession, 'caPem'>): Promise<TLSSocket> {
  const secure = tlsConnect({ socket: raw, ca: session.caPem, host: '127.0.0.1' });
  secure.on('error', () => undefined);
  await once(secure, 'secureConnect');
  return secure;
}

/** Resolves when the proxy has closed its side of the connection that `raw` is the client end of. */
function closedByProxy(raw: Socket): Promise<void> {
  const port = localPorts.get(raw);
  return new Promise((resolve) => {
    const on = (remotePort: number) => {
      if (remotePort !== port) return;
      proxy.off('connection-closed', on);
      resolve();
    };
    proxy.on('connection-closed', on);
  });
}

/** Resolves when `socket` has closed (whether or not with an error). */
const closed = (socket: Socket): Promise<void> =>
  new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

/** Reset (RST) the connection and wait until the proxy has dealt with it. */
async function reset(raw: Socket): Promise<void> {
  const closed = closedByProxy(raw);
  raw.resetAndDestroy();
  await closed;
}

function get(session: ProxySession, path: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(session.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: '127.0.0.1', port, path, ca: session.caPem, agent: false, headers: { authorization: `Bearer ${session.token}` } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Per-call kubeconfig directories left in this file's temporary directory. */
async function leftoverCallDirectories(): Promise<string[]> {
  return (await readdir(tempRoot)).filter((name) => name.startsWith('ack-mcp-kubectl-') && name !== 'ack-mcp-kubectl-cache');
}

/** Nothing went unhandled, the proxy still serves a fresh session, and no per-call directory is left. */
async function stillServing(): Promise<void> {
  assert.deepEqual(unhandled.map(String), []);
  const session = await proxy.open(grant(READ_ONLY, parseKubeconfig(kube.kubeconfig('alice'))));
  const answer = await get(session, '/api/v1/namespaces/default/pods');
  session.close();
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(await leftoverCallDirectories(), []);
}

/** Resolves with the first response head the client reads (the socket stays open). */
function responseHead(secure: TLSSocket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += String(chunk);
      if (!text.includes('\r\n\r\n')) return;
      secure.off('data', onData);
      secure.pause();
      resolve(text);
    };
    secure.on('data', onData);
    secure.once('close', () => resolve(text));
  });
}

before(async () => {
  process.on('uncaughtException', recordUnhandled);
  previousTmpdir = process.env.TMPDIR;
  tempRoot = await mkdtemp(join(tmpdir(), 'proxy-resets-'));
  process.env.TMPDIR = tempRoot; // per-call directories of this file only
  kubectlPath = await ensureKubectl();
  kube = await startFakeKubeApiServer();
  proxy = new KubectlProxy({ auditLogger: createLogger(() => undefined) });

  const ca = createCertificateAuthority();
  const cert = ca.issue({ commonName: '127.0.0.1', server: true });
  tunnel = createServer({ key: cert.keyPem, cert: cert.certPem }, (_req: IncomingMessage, res) => {
    // A response cut in the middle of its body.
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"kind":"PodList","items":[');
    res.socket?.destroy();
  });
  tunnel.on('connection', (socket: Socket) => socket.on('error', () => undefined));
  tunnel.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => undefined);
    tunnelSockets.push(socket);
    if (holdUpgrades) {
      heldUpgrades.push(socket);
      return;
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n',
    );
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => tunnel.listen(0, '127.0.0.1', resolve));
  tunnelUpstream = {
    server: `https://127.0.0.1:${(tunnel.address() as AddressInfo).port}`,
    caPem: ca.certPem,
    tlsServerName: undefined,
    clientCertPem: undefined,
    clientKeyPem: undefined,
    token: 'tunnel-token',
    fingerprint: 'tunnel',
  };
});

after(async () => {
  process.off('uncaughtException', recordUnhandled);
  await proxy.close();
  await kube.close();
  for (const socket of tunnelSockets) socket.destroy();
  tunnel.closeAllConnections();
  await new Promise<void>((resolve) => tunnel.close(() => resolve()));
  if (previousTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmpdir;
  await rm(tempRoot, { recursive: true, force: true });
});

describe('proxy: a reset connection never ends the process', () => {
  test('before TLS completes: a connection reset at once, and one reset in the middle of its ClientHello', {
    timeout: 60_000,
  }, async () => {
    const session = await proxy.open(grant(READ_ONLY, tunnelUpstream));
    await reset(await tcp(session));
    const partial = await tcp(session);
    partial.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    await reset(partial);
    const garbage = await tcp(session);
    const refused = closedByProxy(garbage);
    garbage.write('GET / HTTP/1.1\r\n\r\n'); // plain HTTP to a TLS port
    await refused;
    session.close();
    await stillServing();
  });

  test('after the request line, and in the middle of the headers', { timeout: 60_000 }, async () => {
    const session = await proxy.open(grant(READ_ONLY, tunnelUpstream));
    for (const sent of [
      'GET /api/v1/pods HTTP/1.1\r\n',
      `GET /api/v1/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${session.token}\r\n`,
      `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${session.token}\r\nContent-Length: 100\r\n\r\n{"kind":`,
    ]) {
      const raw = await tcp(session);
      const secure = await tls(raw, session);
      secure.write(sent);
      await reset(raw);
    }
    session.close();
    await stillServing();
  });

  test('after a 401 or a 403 answer to a plain request and to an upgrade, the client resets instead of reading', {
    timeout: 60_000,
  }, async () => {
    const session = await proxy.open(grant(READ_ONLY, tunnelUpstream));
    const requests = [
      'GET /api/v1/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer not-a-session\r\n\r\n',
      `DELETE /api/v1/namespaces/default/pods/web HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${session.token}\r\n\r\n`,
      `POST ${EXEC_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer not-a-session\r\n${UPGRADE_HEADERS}\r\n`,
      `POST ${EXEC_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${session.token}\r\n${UPGRADE_HEADERS}\r\n`,
    ];
    for (const sent of requests) {
      const raw = await tcp(session);
      const secure = await tls(raw, session);
      secure.write(sent);
      assert.match(await responseHead(secure), /^HTTP\/1\.1 40[13] /);
      await reset(raw);
    }
    session.close();
    await stillServing();
  });

  test('while an upgrade waits for the API server, the client resets; the API server answers afterwards', { timeout: 60_000 }, async () => {
    const session = await proxy.open(grant(EXEC, tunnelUpstream));
    holdUpgrades = true;
    try {
      const raw = await tcp(session);
      const secure = await tls(raw, session);
      const arrived = once(tunnel, 'upgrade');
      secure.write(`POST ${EXEC_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${session.token}\r\n${UPGRADE_HEADERS}\r\n`);
      await arrived;
      await reset(raw);
      const held = heldUpgrades.shift()!;
      held.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\nlate bytes');
      await closed(held); // the proxy drops the API server's side too
    } finally {
      holdUpgrades = false;
    }
    session.close();
    await stillServing();
  });

  test('while a request and an upgrade wait for their grant, the client resets; the grant comes afterwards', {
    timeout: 60_000,
  }, async () => {
    let grantNow!: (granted: ProxyGrant) => void;
    const session = await proxy.open(new Promise<ProxyGrant>((resolve) => (grantNow = resolve)));
    const before = kube.requests.length;
    for (const sent of [
      `GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${session.token}\r\n\r\n`,
      `POST ${EXEC_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${session.token}\r\n${UPGRADE_HEADERS}\r\n`,
    ]) {
      const raw = await tcp(session);
      const secure = await tls(raw, session);
      const waiting = once(proxy, 'awaiting-grant');
      secure.write(sent);
      await waiting;
      await reset(raw);
    }
    grantNow(grant(EXEC, parseKubeconfig(kube.kubeconfig('alice'))));
    assert.equal((await get(session, '/api/v1/namespaces/default/pods')).status, 200, 'the session serves once granted');
    assert.equal(session.upstreamRequests, 1, 'the requests whose client had gone were never forwarded');
    assert.equal(kube.requests.length, before + 1);
    session.close();
    await stillServing();
  });

  test('after a 101: the client resets the tunnel, then the API server cuts its side of another', { timeout: 60_000 }, async () => {
    const session = await proxy.open(grant(EXEC, tunnelUpstream));
    const open = async () => {
      const raw = await tcp(session);
      const secure = await tls(raw, session);
      secure.write(`POST ${EXEC_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${session.token}\r\n${UPGRADE_HEADERS}\r\n`);
      const head = await responseHead(secure);
      assert.match(head, /^HTTP\/1\.1 101 /);
      secure.write('ping');
      return { raw, secure, upstream: tunnelSockets.at(-1)! };
    };
    const first = await open();
    const upstreamClosed = closed(first.upstream);
    await reset(first.raw);
    await upstreamClosed;

    const second = await open();
    const clientClosed = closed(second.secure);
    second.upstream.destroy();
    await clientClosed;
    session.close();
    await stillServing();
  });

  test('an API server that cuts a response in the middle of its body', { timeout: 60_000 }, async () => {
    const session = await proxy.open(grant(READ_ONLY, tunnelUpstream));
    const answer = await get(session, '/api/v1/namespaces/default/pods').catch((error: NodeJS.ErrnoException) => ({
      status: -1,
      text: String(error.code),
    }));
    assert.notEqual(answer.status, 200, 'a cut body must not look complete');
    session.close();
    await stillServing();
  });

  test('kubectl exec that the API server refuses (no upgrade), and exec of a missing pod', { timeout: 60_000 }, async () => {
    const upstream = parseKubeconfig(kube.kubeconfig('alice'));
    for (const [args, message] of [
      [['exec', 'web-5d8f7c9b6-h2xq9', '--', 'ls'], /NotFound/],
      [['exec', 'no-such-pod', '--', 'ls'], /pods "no-such-pod" not found/],
      [['exec', '-i', 'web-5d8f7c9b6-h2xq9', '--', 'cat'], /NotFound/],
    ] as Array<[string[], RegExp]>) {
      const run = await executeKubectl({
        kubectlPath,
        args,
        manifest: args.includes('-i') ? 'x'.repeat(1 << 20) : undefined,
        timeoutSeconds: 20,
        maxOutputBytes: 20_000,
        limits: { memoryMb: 128, cpuSeconds: 30, prlimitPath: findPrlimit() },
        grant: grant(EXEC, upstream),
        cacheKey: 'resets',
        proxy,
      });
      assert.equal(run.exitCode, 1, args.join(' '));
      assert.match(run.stderr, message);
      await stillServing();
    }
  });

  test('no error went unhandled at any stage', async () => {
    await stillServing();
  });
});
