/**
 * What the loopback proxy knows about one kubectl call: the grant it serves (upstream, policy, pool and audit keys),
 * its counters, the cuts of its requests in flight (closing the session calls them) and its audit line.
 */
import type { KubectlCallAudit } from './audit.ts';
import type { UpstreamCluster } from './kubeconfig.ts';
import type { RestPolicy } from './rest-policy.ts';

/** What one kubectl call may reach, and as whom. */
export interface ProxyGrant {
  upstream: UpstreamCluster;
  policy: RestPolicy;
  /** Pool key: the caller's identity key and the cluster id (the credential fingerprint is added here). */
  poolKey: string;
  audit: { cluster: string; identity: string };
}

/** One open session (keyed by its token's digest in the proxy). */
export interface Session {
  grant: ProxyGrant;
  upstreamRequests: number;
  refusedRequests: number;
  inflight: Set<() => void>;
  audit: KubectlCallAudit;
  closed: boolean;
}

/** Keep `cut` while a request is in flight (closing the session calls it); returns its removal. */
export function trackInflight(session: Session, cut: () => void): () => void {
  session.inflight.add(cut);
  return () => session.inflight.delete(cut);
}
