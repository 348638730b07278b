import type { AccessMode, Config } from '../config.ts';
import type { CsClient } from '../clients/cs-client.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import type { RetryPolicy } from '../upstream/call-upstream.ts';

/** What a tool handler gets for one call. Everything request-scoped lives here, nowhere global. */
export interface ToolContext {
  config: Config;
  /** The effective mode: read-only when the server or the caller's token is read-only. */
  accessMode: AccessMode;
  /** This request's Alibaba Cloud credentials (resolved on first use). */
  credentials(): Promise<AliyunCredentials>;
  /** `X-Aliyun-Region` when the caller sent one. */
  callerRegion: string | undefined;
  /** Where calls that name no cluster and no region go: `X-Aliyun-Region`, else `DEFAULT_REGION`; undefined: the central endpoint. */
  fallbackRegion: string | undefined;
  /** A CS client for a region, or for the central endpoint when `region` is undefined. */
  cs(region?: string): Promise<CsClient>;
  /** The cluster's region: explicit argument, else `X-Aliyun-Region`, else looked up (cached). */
  clusterRegion(clusterId: string, explicitRegion?: string): Promise<string>;
  retry: RetryPolicy;
  signal: AbortSignal;
  /** Sends a progress notification when the client asked for them; otherwise does nothing. */
  progress(progress: number, total: number | undefined, message: string): Promise<void>;
  /** The signed-in user (AUTH_MODE oauth/both), named in audit lines; absent for static-token callers. */
  user?: { subject: string; name: string | undefined };
  /** Adds fields to this request's log line (cluster id, upstream request id…). */
  note(fields: Record<string, string | number | boolean | undefined>): void;
}
