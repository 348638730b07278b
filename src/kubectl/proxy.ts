/**
 * The enforcing loopback proxy kubectl talks to (docs/kubectl-safety.md). One HTTPS listener per process on
 * 127.0.0.1 (self-signed, started on first use, then the same port, so kubectl's discovery cache stays valid). Each call opens a
 * session: a random bearer token mapped to the caller's upstream cluster, credential and policy. kubectl's kubeconfig
 * holds only `https://127.0.0.1:<port>`, the proxy's own certificate and that token. Per request the proxy:
 * 1. answers 401 to an unknown or closed token;
 * 2. judges the real REST request with `checkRestRequest` and answers a refusal as a Kubernetes `Status`; a write that
 *    creates or changes a pod or pod template is read first and checked against the Pod Security Standards baseline
 *    profile (pod-admission.ts) unless the operator allows privileged workloads;
 * 3. forwards exactly the path and query it judged over a keep-alive TLS connection pooled per (identity, cluster,
 *    credential), without hop-by-hop, `Authorization` or `Impersonate-*` headers, adding the upstream credential itself;
 * 4. masks Secret values in responses about Secrets (JSON only, uncompressed: see secret-masking.ts) before kubectl
 *    sees them, and refuses upgrades (WebSocket watches) on Secrets, which it could not mask;
 * 5. counts the request in the call's audit line (audit.ts), written when the session closes.
 * A session may open before its grant is known (`open` takes a promise): kubectl then starts while the caller's
 * kubeconfig is still being fetched, and its requests wait for the grant; if the grant fails they get 401.
 * Closing a session (the call ended) forgets the token and cuts its requests still in flight. Every connection, stream
 * and upstream request has an error path: a reset at any stage ends that request alone, never the process.
 * Plain requests: forward-request.ts; upgrades: upgrade-tunnel.ts; upstream agents: upstream-pool.ts.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createLogger, type Logger } from '../log.ts';
import { sha256 } from '../values.ts';
import { KubectlCallAudit } from './audit.ts';
import { loopbackCertificate } from './loopback-tls.ts';
import { forwardRequest } from './forward-request.ts';
import { bearer } from './proxy-headers.ts';
import { type ProxyGrant, type Session, trackInflight } from './proxy-session.ts';
import { admitPodWrite } from './pod-admission-gate.ts';
import { checkRestRequest, statusBody, type RestAllowed, type RestRule } from './rest-policy.ts';
import { refuseUpgrade, relayUpgrade } from './upgrade-tunnel.ts';
import { UpstreamPool } from './upstream-pool.ts';
import { openUpstreamRequest } from './upstream-request.ts';

export { jsonOnlyAccept, upstreamHeaders } from './proxy-headers.ts';
export type { ProxyGrant } from './proxy-session.ts';

export interface ProxySession {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** The proxy's self-signed certificate, for kubectl's kubeconfig (kubectl sends tokens only over TLS). */
  caPem: string;
  /** The bearer token for kubectl's kubeconfig; dies with `close()`. */
  token: string;
  /** Requests forwarded upstream so far. */
  readonly upstreamRequests: number;
  /** Requests the policy refused so far. */
  readonly refusedRequests: number;
  /** Forget the token, cut its requests still in flight, and write the call's audit line. */
  close(): void;
}

export interface KubectlProxyOptions {
  /** Upstream agents kept while idle (default 64). */
  maxPools?: number;
  /** Where each call's audit line goes (default: a logger on stdout). */
  auditLogger?: Logger;
}

/** The request target's path, for the audit of a refused request (nothing was forwarded). */
const refusedPath = (url: string): string => url.split('?')[0] ?? '';

/** A bad request line or headers, a timeout, or a connection cut before a request was read: answer if possible, close. */
function onClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code !== 'ECONNRESET' && socket.writable) {
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.write(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  }
  socket.destroy(); // as Node's own handler does: the connection is never reused after a client error
}

/**
 * Events: `connection-closed` (the client's port) once a connection to the listener is closed, whatever ended it;
 * `awaiting-grant` when a request (or upgrade) starts waiting for its session's grant.
 */
export class KubectlProxy extends EventEmitter {
  private server: Server | undefined;
  private listening: Promise<{ url: string; caPem: string }> | undefined;
  /** Sessions by their token's digest; a promise while the session's grant is not known yet. */
  private readonly sessions = new Map<string, Session | Promise<Session | undefined>>();
  private readonly pool: UpstreamPool;
  /** Every connection to the listener, upgraded ones included (which `closeAllConnections` does not see). */
  private readonly connections = new Set<Socket>();

  private readonly auditLogger: Logger;

  constructor(options: KubectlProxyOptions = {}) {
    super();
    this.pool = new UpstreamPool(options.maxPools);
    this.auditLogger = options.auditLogger ?? createLogger();
  }

  /** Start listening (once) and return `https://127.0.0.1:<port>` and the certificate to trust. */
  endpoint(): Promise<{ url: string; caPem: string }> {
    this.listening ??= new Promise((resolve, reject) => {
      const { certPem, keyPem } = loopbackCertificate();
      const server = createServer({ cert: certPem, key: keyPem }, (req, res) => this.onRequest(req, res));
      server.on('connection', (raw: Socket) => this.onConnection(raw));
      // A handshake that fails or is cut (a reset before TLS completes): drop the connection.
      server.on('tlsClientError', (_error: Error, socket: Duplex) => socket.destroy());
      server.on('clientError', onClientError);
      // Node stops watching a socket's errors once it hands it to 'upgrade': the tunnel adds its own at once.
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
      server.keepAliveTimeout = 5_000;
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        this.server = server;
        resolve({ url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, caPem: certPem });
      });
      server.unref();
    });
    return this.listening;
  }

  /**
   * Open a session for one kubectl call. With a promise of the grant, the session's token is valid at once and its
   * requests wait for the grant (a grant that fails leaves them unauthorized: 401, nothing forwarded).
   */
  async open(grant: ProxyGrant | Promise<ProxyGrant>): Promise<ProxySession> {
    const { url, caPem } = await this.endpoint();
    const token = randomBytes(32).toString('base64url');
    const key = sha256(token).toString('hex');
    let session: Session | undefined;
    let closed = false;
    const start = (granted: ProxyGrant): Session | undefined => {
      if (closed) return undefined;
      session = {
        grant: granted,
        upstreamRequests: 0,
        refusedRequests: 0,
        inflight: new Set(),
        audit: new KubectlCallAudit(granted.audit, this.auditLogger),
        closed: false,
      };
      this.sessions.set(key, session);
      // The upstream agent and its TLS context are made now: kubectl, started before the grant, usually asks later.
      this.pool.lease(granted.poolKey, granted.upstream).release();
      return session;
    };
    // Waiting requests go on when the grant comes, fails (401) or the session closes first (401).
    let settle: (session: Session | undefined) => void = () => undefined;
    if (grant instanceof Promise) {
      this.sessions.set(key, new Promise<Session | undefined>((resolve) => (settle = resolve)));
      grant.then(
        (granted) => settle(start(granted)),
        () => settle(undefined),
      );
    } else start(grant);
    return {
      url,
      caPem,
      token,
      get upstreamRequests() {
        return session?.upstreamRequests ?? 0;
      },
      get refusedRequests() {
        return session?.refusedRequests ?? 0;
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.sessions.delete(key);
        settle(undefined);
        if (!session) return;
        session.closed = true;
        for (const cut of [...session.inflight]) cut();
        session.inflight.clear();
        session.audit.flush();
      },
    };
  }

  /** Number of open sessions (tests: every call closes its own). */
  get openSessions(): number {
    return this.sessions.size;
  }

  /** Upstream agents kept now (bounded while idle; tests). */
  get pooledUpstreams(): number {
    return this.pool.size;
  }

  /** Stop listening and drop the pooled connections and every open connection, tunnels included. */
  async close(): Promise<void> {
    this.pool.destroy();
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    for (const socket of this.connections) socket.destroy();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private onConnection(raw: Socket): void {
    const port = raw.remotePort;
    this.connections.add(raw);
    raw.on('error', () => raw.destroy());
    raw.on('close', () => {
      this.connections.delete(raw);
      this.emit('connection-closed', port);
    });
  }

  /**
   * Calls `serve` with the session of the request's token (undefined: unknown, closed or failed): at once, or once the
   * session's grant is known. A request that waited is served only if its client is still connected (not `gone()`), and
   * is cut if serving it throws.
   */
  private withSession(req: IncomingMessage, serve: (session: Session | undefined) => void, gone: () => boolean, cut: () => void): void {
    const token = bearer(req.headers);
    const found = token ? this.sessions.get(sha256(token).toString('hex')) : undefined;
    const open = (session: Session | undefined) => (session && !session.closed ? session : undefined);
    if (!(found instanceof Promise)) {
      serve(open(found));
      return;
    }
    found.then((granted) => gone() || serve(open(granted))).catch(cut);
    this.emit('awaiting-grant');
  }

  /** The upstream request for a judged request, on a leased pooled agent (returned when the request closes). */
  private upstreamRequest(session: Session, req: IncomingMessage, allowed: RestAllowed, keepUpgrade: boolean) {
    return openUpstreamRequest(this.pool, session, req, allowed, keepUpgrade);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    req.on('error', () => res.destroy());
    res.on('error', () => res.destroy());
    this.withSession(
      req,
      (session) => this.serveRequest(session, req, res),
      () => req.socket.destroyed,
      () => res.destroy(),
    );
  }

  private serveRequest(session: Session | undefined, req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (!session) {
      req.resume();
      reply(401, statusBody({ status: 401, reason: 'Unauthorized', message: 'Unauthorized: unknown or expired kubectl session token.' }));
      return;
    }
    const refuse = (refusal: { rule: RestRule; status: number; reason: string; message: string }) => {
      req.resume();
      session.refusedRequests += 1;
      session.audit.request(method, refusedPath(url));
      session.audit.refusal(method, refusedPath(url), refusal.rule, refusal.status);
      reply(refusal.status, statusBody(refusal));
    };
    const decision = checkRestRequest(method, url, session.grant.policy);
    if (!decision.ok) {
      refuse(decision);
      return;
    }
    const forward = (body?: Buffer) => {
      session.audit.request(method, decision.pathname);
      forwardRequest({
        session,
        req,
        res,
        allowed: decision,
        started,
        body,
        upstream: () => this.upstreamRequest(session, req, decision, false),
      });
    };
    if (!decision.admission) {
      forward();
      return;
    }
    // A pod or pod template is created or changed: read the body and check it before anything goes upstream.
    admitPodWrite({
      req,
      res,
      session,
      method,
      shape: decision.admission,
      forward,
      refuse: (refusal) => refuse({ rule: 'admission', ...refusal }),
    });
  }

  /** exec/attach/port-forward use HTTP upgrades (WebSocket or SPDY): same checks, then a raw tunnel. */
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.withSession(
      req,
      (session) => this.serveUpgrade(session, req, socket, head),
      () => socket.destroyed,
      () => socket.destroy(),
    );
  }

  private serveUpgrade(session: Session | undefined, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    if (!session) {
      refuseUpgrade(socket, 401, 'Unauthorized', 'Unauthorized: unknown or expired kubectl session token.');
      return;
    }
    const decision = checkRestRequest(method, url, session.grant.policy, { upgrade: true });
    if (!decision.ok) {
      session.refusedRequests += 1;
      session.audit.request(method, refusedPath(url));
      session.audit.refusal(method, refusedPath(url), decision.rule, decision.status);
      refuseUpgrade(socket, decision.status, decision.reason, decision.message);
      return;
    }
    session.audit.request(method, decision.pathname);
    relayUpgrade({
      socket,
      head,
      upstream: this.upstreamRequest(session, req, decision, true),
      onAnswer: (status) => session.audit.answer(status, performance.now() - started),
      track: (cut) => trackInflight(session, cut),
    });
  }
}
