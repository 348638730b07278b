/**
 * Keep-alive TLS agents to the clusters' API servers, one per (identity, cluster, credential). Each request leases its
 * agent until it closes, so that an agent is only ever destroyed while no request uses it: past `maxPools` the least
 * recently used idle agents go, and when every agent is busy the pool grows past its bound until one is idle again.
 * A new credential for the same identity and cluster retires the old agent: no new request gets it, and it is
 * destroyed once its last request ends (a long call with the old credential is never cut).
 */
import { Agent } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { UpstreamCluster } from './kubeconfig.ts';

/** How many agents are kept (bounded while they are idle). */
export const MAX_POOLS = 64;

interface PoolEntry {
  agent: Agent;
  leases: number;
  retired: boolean;
}

/** An agent lent to one request: call `release()` once the request has closed (calling it again does nothing). */
export interface AgentLease {
  agent: Agent;
  release(): void;
}

/**
 * One TLS context per agent, made once: without it every new connection parses the CA, certificate and key again and
 * builds a new trust store (measured: the largest share of the proxy's own CPU on a cold kubectl call, which opens
 * several connections at once for discovery).
 */
function newAgent(upstream: UpstreamCluster): Agent {
  const secureContext = createSecureContext({
    ...(upstream.caPem ? { ca: upstream.caPem } : {}),
    ...(upstream.clientCertPem ? { cert: upstream.clientCertPem, key: upstream.clientKeyPem } : {}),
  });
  return new Agent({
    keepAlive: true,
    maxSockets: 16,
    maxFreeSockets: 4,
    timeout: 60_000,
    secureContext,
    ...(upstream.tlsServerName ? { servername: upstream.tlsServerName } : {}),
  });
}

export class UpstreamPool {
  /** Current agents, least recently used first. */
  private readonly entries = new Map<string, PoolEntry>();

  constructor(private readonly maxPools = MAX_POOLS) {}

  /** Agents kept now (retired ones still finishing their requests are not counted). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The agent for `poolKey` (identity and cluster) and this upstream credential, leased to one request.
   * @example const lease = pool.lease(grant.poolKey, grant.upstream); const req = https.request({ agent: lease.agent, ... }); req.on('close', lease.release);
   */
  lease(poolKey: string, upstream: UpstreamCluster): AgentLease {
    const key = `${poolKey}\0${upstream.fingerprint}`;
    const found = this.entries.get(key);
    if (found)
      this.entries.delete(key); // re-inserted below: most recently used last
    else {
      for (const [other, old] of this.entries) {
        if (other.startsWith(`${poolKey}\0`)) this.retire(other, old);
      }
    }
    const leased = found ?? { agent: newAgent(upstream), leases: 0, retired: false };
    leased.leases += 1;
    this.entries.set(key, leased);
    if (!found) this.evictIdle();
    let released = false;
    return {
      agent: leased.agent,
      release: () => {
        if (released) return;
        released = true;
        leased.leases -= 1;
        if (leased.leases > 0) return;
        if (leased.retired) leased.agent.destroy();
        else this.evictIdle();
      },
    };
  }

  /** Destroy every agent (the proxy is closing). */
  destroy(): void {
    for (const entry of this.entries.values()) entry.agent.destroy();
    this.entries.clear();
  }

  private retire(key: string, entry: PoolEntry): void {
    this.entries.delete(key);
    entry.retired = true;
    if (entry.leases === 0) entry.agent.destroy();
  }

  /** Drop least recently used idle agents while over the bound; busy ones are never cut. */
  private evictIdle(): void {
    if (this.entries.size <= this.maxPools) return;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxPools) return;
      if (entry.leases === 0) this.retire(key, entry);
    }
  }
}
