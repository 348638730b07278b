/**
 * A fake Kubernetes API server for tests and the sandbox: HTTPS on 127.0.0.1 with a CA made at start, client
 * certificates required (CN = user, O = groups), legacy discovery, core/v1 and apps/v1 objects seeded like an ACK
 * cluster, RBAC refusals on demand (rbac.ts). Enough for real kubectl 1.33 to get, describe, logs, events, apply,
 * delete, scale, rollout and auth.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority, type KeyPairPem } from './certs.ts';
import { KubeApiHandlers, status, type ApiReply } from './handlers.ts';
import { FakeRbac } from './rbac.ts';
import { seedCluster } from './seed.ts';
import { ObjectStore } from './store.ts';

export interface FakeKubeRequest {
  method: string;
  /** Path with query string, e.g. `/api/v1/namespaces/default/pods?limit=500`. */
  path: string;
  /** Client certificate CN, or '' when unauthenticated. */
  user: string;
  /** The Accept and Accept-Encoding headers ('' when absent). */
  accept: string;
  acceptEncoding: string;
  /** `Date.now()` when the request arrived. */
  time: number;
}

/** Holds requests to a path prefix until the test lets them through (to see how many arrive at once). */
export interface RequestGate {
  /** Requests held right now. */
  readonly held: number;
  /** The most requests held at the same time since the gate was set. */
  readonly maxHeld: number;
  /** Requests that reached the gate so far. */
  readonly arrived: number;
  /** Resolves once `count` requests are held at the same time (at once if they already are). */
  whenHeld(count: number): Promise<void>;
  /** Answer the request held longest. */
  releaseOne(): void;
  /** Answer every held request and hold no more. */
  open(): void;
}

export interface FakeKubeApiServer {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** The CA that signed the server and client certificates. */
  caPem: string;
  /** A client certificate for `user` (CN) and `groups` (O), signed by the CA. */
  issueClientCredentials(user: string, groups?: string[]): KeyPairPem;
  /** A kubeconfig (YAML) for `user` with the CA, certificate and key embedded. */
  kubeconfig(user: string, groups?: string[]): string;
  /** Every request, in arrival order. */
  requests: FakeKubeRequest[];
  /** Requests whose path starts with `pathPrefix` (all when omitted) are never answered from now on. */
  setHang(pathPrefix?: string): void;
  /** Answer every request again. */
  clearHang(): void;
  /**
   * Answer requests to an aggregated API group (e.g. `metrics.k8s.io`) as kube-aggregator does when its backing
   * service is down: 503 ServiceUnavailable. `null` serves it again.
   */
  setGroupUnavailable(group: string | null): void;
  /** Hold requests whose path starts with `pathPrefix` (after recording them) until released. */
  gate(pathPrefix: string): RequestGate;
  /** The object store, for tests that assert on cluster state. */
  store: ObjectStore;
  /** Who may not do what (`rbac.forbid(user, verbs)`): refused requests get Kubernetes' 403 Forbidden Status. */
  rbac: FakeRbac;
  close(): Promise<void>;
}

export interface FakeKubeApiServerOptions {
  /** Seed the realistic ACK objects (default true). */
  seed?: boolean;
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
}

function send(res: ServerResponse, reply: ApiReply): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Start the fake API server. @example const kube = await startFakeKubeApiServer(); … await kube.close(); */
export async function startFakeKubeApiServer(opts: FakeKubeApiServerOptions = {}): Promise<FakeKubeApiServer> {
  const ca = createCertificateAuthority();
  const serverCert = ca.issue({ commonName: 'kube-apiserver', server: true });
  const store = new ObjectStore();
  const logs = opts.seed === false ? new Map<string, string>() : seedCluster(store);
  const rbac = new FakeRbac();
  const handlers = new KubeApiHandlers(store, logs, rbac);
  const requests: FakeKubeRequest[] = [];
  const hung = new Set<ServerResponse>();
  let hangPrefix: string | undefined | null = null; // null: no hang
  let unavailableGroup: string | null = null;
  let activeGate: { prefix: string; hold(answer: () => void, res: ServerResponse): void } | undefined;

  const gate = (prefix: string): RequestGate => {
    const held: Array<{ answer: () => void; res: ServerResponse }> = [];
    const waiters: Array<{ count: number; resolve: () => void }> = [];
    let maxHeld = 0;
    let arrived = 0;
    const changed = () => {
      maxHeld = Math.max(maxHeld, held.length);
      for (const waiter of [...waiters]) {
        if (held.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    };
    let holding = true;
    activeGate = {
      prefix,
      hold(answer, res) {
        if (!holding) return answer();
        arrived += 1;
        const entry = { answer, res };
        held.push(entry);
        res.on('close', () => {
          const at = held.indexOf(entry);
          if (at >= 0) held.splice(at, 1); // the client went away
        });
        changed();
      },
    };
    return {
      get held() {
        return held.length;
      },
      get maxHeld() {
        return maxHeld;
      },
      get arrived() {
        return arrived;
      },
      whenHeld: (count) =>
        new Promise<void>((resolve) => {
          waiters.push({ count, resolve });
          changed();
        }),
      releaseOne() {
        held.shift()?.answer();
      },
      open() {
        holding = false;
        activeGate = undefined;
        for (const entry of held.splice(0)) entry.answer();
      },
    };
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const socket = req.socket as TLSSocket;
    const peer = socket.authorized ? socket.getPeerCertificate() : undefined;
    const user = peer?.subject?.CN ? String(peer.subject.CN) : '';
    const orgs = peer?.subject?.O;
    const groups = orgs === undefined ? [] : Array.isArray(orgs) ? orgs.map(String) : [String(orgs)];
    const path = req.url ?? '/';
    requests.push({
      method: req.method ?? 'GET',
      path,
      user,
      accept: req.headers.accept ?? '',
      acceptEncoding: String(req.headers['accept-encoding'] ?? ''),
      time: Date.now(),
    });
    if (hangPrefix !== null && (hangPrefix === undefined || path.startsWith(hangPrefix))) {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    if (activeGate && path.startsWith(activeGate.prefix)) {
      activeGate.hold(() => answer(req, res, path, user, groups), res);
      return;
    }
    answer(req, res, path, user, groups);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, path: string, user: string, groups: string[]): void => {
    if (!user) {
      send(res, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (unavailableGroup !== null && path.startsWith(`/apis/${unavailableGroup}/`)) {
      send(res, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let reply: ApiReply;
      try {
        reply = handlers.handle({
          method: req.method ?? 'GET',
          url: new URL(path, 'https://127.0.0.1'),
          accept: req.headers.accept ?? '',
          contentType: req.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
          user,
          groups,
        });
      } catch (err) {
        reply = status(400, 'BadRequest', `fake API server: ${err instanceof Error ? err.message : String(err)}`);
      }
      send(res, reply);
    });
  };

  const server: Server = createServer(
    { key: serverCert.keyPem, cert: serverCert.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: false },
    onRequest,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  return {
    url,
    caPem: ca.certPem,
    requests,
    store,
    rbac,
    issueClientCredentials: (user, groups = []) => ca.issue({ commonName: user, organizations: groups }),
    kubeconfig(user, groups = []) {
      const cred = ca.issue({ commonName: user, organizations: groups });
      return [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: fake',
        '  cluster:',
        `    server: ${url}`,
        `    certificate-authority-data: ${b64(ca.certPem)}`,
        'users:',
        `- name: ${JSON.stringify(user)}`,
        '  user:',
        `    client-certificate-data: ${b64(cred.certPem)}`,
        `    client-key-data: ${b64(cred.keyPem)}`,
        'contexts:',
        '- name: fake',
        '  context:',
        '    cluster: fake',
        `    user: ${JSON.stringify(user)}`,
        'current-context: fake',
        '',
      ].join('\n');
    },
    setHang(pathPrefix) {
      hangPrefix = pathPrefix;
    },
    clearHang() {
      hangPrefix = null;
    },
    setGroupUnavailable(group) {
      unavailableGroup = group;
    },
    gate,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
