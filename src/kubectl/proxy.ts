/**
 * The enforcing loopback proxy kubectl talks to (shared/docs/kubectl-safety.md). One HTTPS listener per process on
 * 127.0.0.1 (self-signed, started on first use, then the same port, so kubectl's discovery cache stays valid). Each call opens a
 * session: a random bearer token mapped to the caller's upstream cluster, credential and policy. kubectl's kubeconfig
 * holds only `https://127.0.0.1:<port>`, the proxy's own certificate and that token. Per request the proxy:
 * 1. answers 401 to an unknown or closed token;
 * 2. judges the real REST request with `checkRestRequest` and answers a refusal as a Kubernetes `Status`;
 * 3. forwards exactly the path and query it judged over a keep-alive TLS connection pooled per (identity, cluster,
 *    credential), without hop-by-hop, `Authorization` or `Impersonate-*` headers, adding the upstream credential itself;
 * 4. masks Secret values in responses about Secrets (JSON only, uncompressed: see secret-masking.ts) before kubectl
 *    sees them, and refuses upgrades (WebSocket watches) on Secrets, which it could not mask;
 * 5. writes an audit line with the path it forwarded.
 * Closing a session (the call ended) forgets the token and cuts its requests still in flight.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline, type Duplex } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import { auditKubectlRequest } from './audit.ts';
import type { UpstreamCluster } from './kubeconfig.ts';
import { loopbackCertificate } from './loopback-tls.ts';
import { checkRestRequest, statusBody, type RestAllowed, type RestPolicy, type RestRefusal } from './rest-policy.ts';
import { SecretMaskingStream } from './secret-masking.ts';

export interface ProxyGrant {
  upstream: UpstreamCluster;
  policy: RestPolicy;
  /** Pool key: the caller's identity key and the cluster id (the credential fingerprint is added here). */
  poolKey: string;
  audit: { cluster: string; identity: string };
}

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
  close(): void;
}

interface Session {
  grant: ProxyGrant;
  upstreamRequests: number;
  refusedRequests: number;
  inflight: Set<{ destroy(): void }>;
  closed: boolean;
}

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host', 'authorization',
]);
const MAX_POOLS = 64;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Headers to send upstream: hop-by-hop, caller auth and impersonation removed. */
export function upstreamHeaders(headers: IncomingHttpHeaders, keepUpgrade: boolean): Record<string, string | string[]> {
  const listed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith('impersonate-') || lower.startsWith('proxy-')) continue;
    if (HOP_BY_HOP.has(lower) || listed.has(lower)) {
      if (!(keepUpgrade && (lower === 'upgrade' || lower === 'connection'))) continue;
    }
    out[lower] = value;
  }
  return out;
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const listed = new Set(String(headers.connection ?? '').split(',').map((n) => n.trim().toLowerCase()));
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Accept for a Secret request: its JSON media types only (a Table too), never protobuf or YAML, which are not masked. */
export function jsonOnlyAccept(accept: string | string[] | undefined): string {
  const kept = String(accept ?? '')
    .split(',')
    .map((type) => type.trim())
    .filter((type) => /^application\/json(?:\s*;|$)/i.test(type));
  return kept.length ? kept.join(',') : 'application/json';
}

/** Whether a response to a Secret request is one the masking stream can read: JSON, not compressed. */
function maskable(headers: IncomingHttpHeaders): boolean {
  const encoding = String(headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  return /^application\/json(?:\s*;|$)/i.test(String(headers['content-type'] ?? '')) && encoding === 'identity';
}

/** The request target's path, for an audit line about a refused request (nothing was forwarded). */
const refusedPath = (url: string): string => url.split('?')[0] ?? '';

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

export class KubectlProxy {
  private server: Server | undefined;
  private listening: Promise<{ url: string; caPem: string }> | undefined;
  private readonly sessions = new Map<string, Session>();
  private readonly pools = new Map<string, Agent>();

  /** Start listening (once) and return `https://127.0.0.1:<port>` and the certificate to trust. */
  endpoint(): Promise<{ url: string; caPem: string }> {
    this.listening ??= new Promise((resolve, reject) => {
      const { certPem, keyPem } = loopbackCertificate();
      const server = createServer({ cert: certPem, key: keyPem }, (req, res) => this.onRequest(req, res));
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket as Socket, head));
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

  /** Open a session for one kubectl call. */
  async open(grant: ProxyGrant): Promise<ProxySession> {
    const { url, caPem } = await this.endpoint();
    const token = randomBytes(32).toString('base64url');
    const key = digest(token);
    const session: Session = { grant, upstreamRequests: 0, refusedRequests: 0, inflight: new Set(), closed: false };
    this.sessions.set(key, session);
    return {
      url,
      caPem,
      token,
      get upstreamRequests() {
        return session.upstreamRequests;
      },
      get refusedRequests() {
        return session.refusedRequests;
      },
      close: () => {
        session.closed = true;
        this.sessions.delete(key);
        for (const inflight of session.inflight) inflight.destroy();
        session.inflight.clear();
      },
    };
  }

  /** Number of open sessions (tests: every call closes its own). */
  get openSessions(): number {
    return this.sessions.size;
  }

  /** Stop listening and drop the pooled connections. */
  async close(): Promise<void> {
    for (const agent of this.pools.values()) agent.destroy();
    this.pools.clear();
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private agentFor(grant: ProxyGrant): Agent {
    const key = `${grant.poolKey}\0${grant.upstream.fingerprint}`;
    let agent = this.pools.get(key);
    if (agent) {
      this.pools.delete(key);
      this.pools.set(key, agent); // most recently used last
      return agent;
    }
    // A new credential for the same identity and cluster replaces the old pool.
    for (const [other, old] of this.pools) {
      if (other.startsWith(`${grant.poolKey}\0`)) {
        old.destroy();
        this.pools.delete(other);
      }
    }
    const { upstream } = grant;
    agent = new Agent({
      keepAlive: true,
      maxSockets: 16,
      maxFreeSockets: 4,
      timeout: 60_000,
      ...(upstream.caPem ? { ca: upstream.caPem } : {}),
      ...(upstream.clientCertPem ? { cert: upstream.clientCertPem, key: upstream.clientKeyPem } : {}),
      ...(upstream.tlsServerName ? { servername: upstream.tlsServerName } : {}),
    });
    this.pools.set(key, agent);
    while (this.pools.size > MAX_POOLS) {
      const [oldestKey, oldest] = this.pools.entries().next().value as [string, Agent];
      oldest.destroy();
      this.pools.delete(oldestKey);
    }
    return agent;
  }

  private session(req: IncomingMessage): Session | undefined {
    const token = bearer(req.headers);
    const session = token ? this.sessions.get(digest(token)) : undefined;
    return session && !session.closed ? session : undefined;
  }

  /** `path`: what was forwarded (without the query), or for a refusal what was asked. */
  private audit(session: Session, method: string, path: string, status: number, started: number, refusal?: RestRefusal): void {
    auditKubectlRequest({
      ...session.grant.audit,
      method,
      path: path.slice(0, 512),
      status,
      ...(refusal ? { refused: refusal.rule } : {}),
      durationMs: Math.round(performance.now() - started),
    });
  }

  /** Where to send the judged request: the API server's host, its path prefix, then exactly the judged path. */
  private target(session: Session, allowed: RestAllowed): { hostname: string; port: number | undefined; host: string; path: string } {
    const base = new URL(session.grant.upstream.server);
    const prefix = base.pathname.replace(/\/+$/, '');
    // urlToHttpOptions: the host name without the brackets of an IPv6 address.
    return { hostname: String(urlToHttpOptions(base).hostname), port: base.port ? Number(base.port) : undefined, host: base.host, path: `${prefix}${allowed.path}` };
  }

  private upstreamRequest(session: Session, req: IncomingMessage, allowed: RestAllowed, keepUpgrade: boolean) {
    const target = this.target(session, allowed);
    const headers = upstreamHeaders(req.headers, keepUpgrade);
    headers.host = target.host;
    if (session.grant.upstream.token) headers.authorization = `Bearer ${session.grant.upstream.token}`;
    if (allowed.secrets) {
      headers.accept = jsonOnlyAccept(req.headers.accept);
      delete headers['accept-encoding'];
    }
    session.upstreamRequests += 1;
    return httpsRequest({
      protocol: 'https:',
      hostname: target.hostname,
      ...(target.port ? { port: target.port } : {}),
      path: target.path,
      method: req.method ?? 'GET',
      headers,
      agent: this.agentFor(session.grant),
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const session = this.session(req);
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (!session) {
      req.resume();
      reply(401, statusBody({ status: 401, reason: 'Unauthorized', message: 'Unauthorized: unknown or expired kubectl session token.' }));
      return;
    }
    const decision = checkRestRequest(method, url, session.grant.policy);
    if (!decision.ok) {
      req.resume();
      session.refusedRequests += 1;
      reply(decision.status, statusBody(decision));
      this.audit(session, method, refusedPath(url), decision.status, started, decision);
      return;
    }
    this.forward(session, req, res, decision, started, true);
  }

  private forward(session: Session, req: IncomingMessage, res: ServerResponse, allowed: RestAllowed, started: number, mayRetry: boolean): void {
    const method = req.method ?? 'GET';
    const path = allowed.pathname;
    const upstream = this.upstreamRequest(session, req, allowed, false);
    const tracked = { destroy: () => upstream.destroy() };
    session.inflight.add(tracked);
    const done = () => session.inflight.delete(tracked);
    upstream.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      const finished = (failed = false) => {
        done();
        this.audit(session, method, path, failed ? 502 : status, started);
      };
      if (allowed.secrets && method !== 'HEAD') {
        if (!maskable(answer.headers)) {
          // Fail closed: a Secret in a form the masking stream cannot read (protobuf, YAML, compressed) is not passed on.
          answer.resume();
          done();
          const body = statusBody({ status: 502, reason: 'BadGateway', message: "the MCP server's kubectl policy only passes Secret responses it can mask (uncompressed JSON); the API server sent another form, and nothing of it was passed on." });
          res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
          this.audit(session, method, path, 502, started);
          return;
        }
        const headers = responseHeaders(answer.headers);
        delete headers['content-length']; // masking changes the length
        res.writeHead(status, headers);
        pipeline(answer, new SecretMaskingStream(), res, (error) => {
          if (error) res.destroy(); // cut, never passed on unmasked
          finished(Boolean(error));
        });
        return;
      }
      res.writeHead(status, responseHeaders(answer.headers));
      answer.pipe(res);
      answer.on('end', () => finished());
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      done();
      // A kept-alive socket the far end closed while idle (e.g. after the instance was frozen): a read is safe to resend.
      if (mayRetry && upstream.reusedSocket && error.code === 'ECONNRESET' && (method === 'GET' || method === 'HEAD') && !session.closed) {
        session.upstreamRequests -= 1;
        this.forward(session, req, res, allowed, started, false);
        return;
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = statusBody({
        status: 502,
        reason: 'ServiceUnavailable',
        message: session.closed ? 'the kubectl call ended' : `the MCP server could not reach the cluster's API server (${error.code ?? 'connection failed'})`,
      });
      res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      this.audit(session, method, path, 502, started);
    });
    // kubectl went away (killed at its deadline): stop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (method === 'GET' || method === 'HEAD') {
      // No body to stream for reads: end now so a retry does not need to replay it.
      req.resume();
      upstream.end();
    } else {
      req.pipe(upstream);
    }
  }

  /** exec/attach/port-forward use HTTP upgrades (WebSocket or SPDY): same checks, then a raw tunnel. */
  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const session = this.session(req);
    const fail = (status: number, reason: string, message: string) => {
      const body = statusBody({ status, reason, message });
      socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    };
    if (!session) {
      fail(401, 'Unauthorized', 'Unauthorized: unknown or expired kubectl session token.');
      return;
    }
    const decision = checkRestRequest(method, url, session.grant.policy, { upgrade: true });
    if (!decision.ok) {
      session.refusedRequests += 1;
      fail(decision.status, decision.reason, decision.message);
      this.audit(session, method, refusedPath(url), decision.status, started, decision);
      return;
    }
    const path = decision.pathname;
    const upstream = this.upstreamRequest(session, req, decision, true);
    const tracked = { destroy: () => (upstream.destroy(), socket.destroy()) };
    session.inflight.add(tracked);
    socket.on('close', () => session.inflight.delete(tracked));
    upstream.on('upgrade', (answer, upSocket, upHead) => {
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (upHead.length) socket.write(upHead);
      if (head.length) upSocket.write(head);
      upSocket.pipe(socket).pipe(upSocket);
      upSocket.on('error', () => socket.destroy());
      socket.on('error', () => upSocket.destroy());
      this.audit(session, method, path, answer.statusCode ?? 101, started);
    });
    upstream.on('response', (answer) => {
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}`];
      for (const [name, value] of Object.entries(responseHeaders(answer.headers))) lines.push(`${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
      socket.write(`${lines.join('\r\n')}\r\nconnection: close\r\n\r\n`);
      answer.pipe(socket);
      this.audit(session, method, path, answer.statusCode ?? 502, started);
    });
    upstream.on('error', () => {
      fail(502, 'Bad Gateway', "the MCP server could not reach the cluster's API server");
      this.audit(session, method, path, 502, started);
    });
    upstream.end();
  }
}

let shared: KubectlProxy | undefined;

/** The process-wide proxy (one listener, a stable port). */
export function kubectlProxy(): KubectlProxy {
  shared ??= new KubectlProxy();
  return shared;
}
