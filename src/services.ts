/**
 * The server's per-process services: what outlives a request (the kubectl proxy and its audit log, the kubectl run
 * slots, the per-identity caches). `server.ts` creates one set per server and the tool context hands it to the
 * handlers, so two servers in one process (a test) share nothing. Cheap to create: the kubectl proxy module is loaded
 * with the first kubectl call, not at start.
 */
import { TtlCache } from './cache/ttl-cache.ts';
import type { ClusterSummary } from './cluster/cluster-region.ts';
import type { UpstreamCluster } from './kubectl/kubeconfig.ts';
import type { KubectlProxy } from './kubectl/proxy.ts';
import { RunSlots } from './kubectl/run-slots.ts';
import type { Logger } from './log.ts';

/** A lookup found by a rule, an argument or a call, with how (the observability discovery's `Found`). */
export interface FoundValue {
  value: string;
  source: string;
  failure?: string;
}

export interface ServerCaches {
  /** Cluster id → region, name, state, per identity (DescribeClusterDetail). */
  clusterSummaries: TtlCache<ClusterSummary>;
  /** Parsed kubeconfigs per (identity, cluster, endpoint settings), until shortly before they expire. */
  kubeconfigs: TtlCache<UpstreamCluster>;
  /** A cluster's control-plane and audit log projects, per identity. */
  logProjects: TtlCache<FoundValue>;
  /** The account id of each identity (for the Prometheus project's name). */
  accountIds: TtlCache<FoundValue>;
}

export interface ServerServices {
  /** The loopback kubectl proxy (one listener), created on first use; its audit lines go to the server's logger. */
  kubectlProxy(): Promise<KubectlProxy>;
  /** The limiter of kubectl processes run at once (`KUBECTL_MAX_CONCURRENT`). */
  kubectlRunSlots: RunSlots;
  caches: ServerCaches;
  /** Stops the kubectl proxy (if it was started): its listener, pooled upstream connections and tunnels. */
  close(): Promise<void>;
}

export function createServerServices(options: { auditLogger: Logger }): ServerServices {
  let proxy: Promise<KubectlProxy> | undefined;
  return {
    kubectlProxy() {
      proxy ??= import('./kubectl/proxy.ts').then(({ KubectlProxy }) => new KubectlProxy({ auditLogger: options.auditLogger }));
      return proxy;
    },
    kubectlRunSlots: new RunSlots(),
    caches: {
      clusterSummaries: new TtlCache(5000),
      kubeconfigs: new TtlCache(500),
      logProjects: new TtlCache(2000),
      accountIds: new TtlCache(2000),
    },
    async close() {
      if (proxy) await (await proxy).close();
    },
  };
}
