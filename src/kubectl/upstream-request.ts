/**
 * The proxy's request to the cluster's API server for a request the REST policy allowed: the target under the
 * kubeconfig's server URL, the forwarded headers (the caller's credential added, never kubectl's), on an agent leased
 * from the upstream pool and returned when the request closes.
 */
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { jsonOnlyAccept, upstreamHeaders } from './proxy-headers.ts';
import type { Session } from './proxy-session.ts';
import type { RestAllowed } from './rest-policy.ts';
import type { UpstreamPool } from './upstream-pool.ts';

function upstreamTarget(server: string, allowed: RestAllowed): { hostname: string; port: number | undefined; host: string; path: string } {
  const base = new URL(server);
  const prefix = base.pathname.replace(/\/+$/, '');
  // urlToHttpOptions: the host name without the brackets of an IPv6 address.
  return {
    hostname: String(urlToHttpOptions(base).hostname),
    port: base.port ? Number(base.port) : undefined,
    host: base.host,
    path: `${prefix}${allowed.path}`,
  };
}

export function openUpstreamRequest(
  pool: UpstreamPool,
  session: Session,
  req: IncomingMessage,
  allowed: RestAllowed,
  keepUpgrade: boolean,
) {
  const target = upstreamTarget(session.grant.upstream.server, allowed);
  const headers = upstreamHeaders(req.headers, keepUpgrade);
  headers.host = target.host;
  if (session.grant.upstream.token) headers.authorization = `Bearer ${session.grant.upstream.token}`;
  if (allowed.secrets) {
    headers.accept = jsonOnlyAccept(req.headers.accept);
    delete headers['accept-encoding'];
  }
  session.upstreamRequests += 1;
  const lease = pool.lease(session.grant.poolKey, session.grant.upstream);
  const upstream = httpsRequest({
    protocol: 'https:',
    hostname: target.hostname,
    ...(target.port ? { port: target.port } : {}),
    path: target.path,
    method: req.method ?? 'GET',
    headers,
    agent: lease.agent,
  });
  upstream.on('close', lease.release);
  upstream.on('upgrade', lease.release); // the tunnel's socket has left the agent
  return upstream;
}
