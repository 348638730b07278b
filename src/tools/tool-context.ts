import type { ArmsClient } from '../clients/arms-client.ts';
import type { CmsClient } from '../clients/cms-client.ts';
import type { CsClient } from '../clients/cs-client.ts';
import type { SlsClient } from '../clients/sls-client.ts';
import type { StsClient } from '../clients/sts-client.ts';
import type { AccessMode, Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import type { ServerServices } from '../services.ts';
import type { RetryPolicy } from '../upstream/call-upstream.ts';

/**
 * One cluster's call: its id (already on the request's log line), its region (checked, resolved once) and SDK clients
 * for that region. Handlers get it from `ctx.forCluster(args)`; nothing is sent until a method needs it.
 */
export interface ClusterScope {
  readonly id: string;
  /** Where a caller-named region came from ("the region argument", "the X-Aliyun-Region header"); undefined: looked up. */
  readonly regionClaim: string | undefined;
  /** The region calls go to: the `region` argument, else `X-Aliyun-Region`, else the cluster's own (looked up, cached per identity). */
  region(): Promise<string>;
  /**
   * The region to report as the cluster's, confirmed by ACK: `reported` are the region ids ACK's answer carried. A
   * region the caller named that is not the cluster's is a `ClusterRegionMismatch` (checked before any change).
   */
  confirmRegion(reported?: readonly string[]): Promise<string>;
  cs(): Promise<CsClient>;
  sls(): Promise<SlsClient>;
  cms(): Promise<CmsClient>;
  arms(): Promise<ArmsClient>;
}

/** What a tool handler gets for one call. Everything request-scoped lives here; per-process state is in `services`. */
export interface ToolContext {
  config: Config;
  /** The server's per-process services (kubectl proxy and run slots, caches), created once in `server.ts`. */
  services: ServerServices;
  /** The effective mode: read-only when the server or the caller's token is read-only. */
  accessMode: AccessMode;
  /** This request's Alibaba Cloud credentials (resolved on first use). */
  credentials(): Promise<AliyunCredentials>;
  /** `X-Aliyun-Region` when the caller sent one. */
  callerRegion: string | undefined;
  /** Where calls that name no cluster and no region go: `X-Aliyun-Region`, else `DEFAULT_REGION`; undefined: the central endpoint. */
  fallbackRegion: string | undefined;
  /**
   * The cluster a call works on: records it on the log line, then resolves and checks its region and hands out its
   * clients on first need. A handler's first line: `const cluster = ctx.forCluster(args);`.
   */
  forCluster(args: { cluster_id: string; region?: string | undefined }): ClusterScope;
  /** A CS client for a region (checked), or for the central endpoint when `region` is undefined. */
  cs(region?: string): Promise<CsClient>;
  /** An STS client at `fallbackRegion` (GetCallerIdentity). */
  sts(): Promise<StsClient>;
  retry: RetryPolicy;
  signal: AbortSignal;
  /** Sends a progress notification when the client asked for them; otherwise does nothing. */
  progress(progress: number, total: number | undefined, message: string): Promise<void>;
  /** The signed-in user (AUTH_MODE oauth/both), named in audit lines; absent for static-token callers. */
  user?: { subject: string; name: string | undefined };
  /** Adds fields to this request's log line (cluster id, upstream request id…). */
  note(fields: Record<string, string | number | boolean | undefined>): void;
}
