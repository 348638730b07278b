/**
 * Where a cluster's observability data lives, found from the cluster id and cached per
 * (identity, cluster) within the credential's lifetime; explicit arguments always win. Every fallback and failure says what was tried.
 *
 * | logstores                                         | project                                                    |
 * |---------------------------------------------------|------------------------------------------------------------|
 * | events, container and ingress logs (the rest)     | `k8s-log-{clusterId}` (naming rule, no call)               |
 * | control plane: `apiserver-*`, `kcm-*`, `scheduler-*`, `ccm-*` | CheckControlPlaneLogEnable `log_project`       |
 * | API-server audit: `audit-*`                       | GetClusterAuditProject `sls_project_name`                  |
 * | Prometheus metricstore `aliyun-prom-{clusterId}`  | `workspace-default-cms-{accountId}-{region}`               |
 *
 * When an ACK lookup fails for a reason other than the cluster or the credentials (RAM denial, a
 * 5xx…), discovery falls back to `k8s-log-{clusterId}` and says so in `source`; a fallback after a
 * transient failure (5xx, throttling, network) is not cached, so the next call asks ACK again.
 * The account id comes from FC (`FC_ACCOUNT_ID`, only with the function's own role) or STS GetCallerIdentity.
 */
import { createArmsClient } from '../../clients/arms-client.ts';
import { credentialCacheTtlMs } from '../../credentials/aliyun-credentials.ts';
import { toToolFailure } from '../../errors/map-error.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { callRead } from '../../upstream/call-upstream.ts';
import type { ToolContext } from '../tool-context.ts';

export interface Found<T> {
  value: T;
  /** How it was found, for the agent: "argument", "CheckControlPlaneLogEnable", "default … (… failed: Forbidden.RAM)"… */
  source: string;
  /** Set when the lookup failed and a default was used: `{code}: {message}`. */
  failure?: string;
  /** ACK said the feature is off (GetClusterAuditProject `audit_enabled: false`). */
  disabled?: boolean;
}

/** Which of the cluster's projects holds a logstore. */
export type LogstoreRole = 'cluster' | 'control-plane' | 'audit';

export const ROLE_PURPOSE: Record<LogstoreRole, string> = {
  cluster: 'Kubernetes events, container and ingress logs',
  'control-plane': 'control-plane logs (apiserver, kcm, scheduler, ccm)',
  audit: 'API-server audit log',
};

export function roleOf(logstore: string): LogstoreRole {
  if (logstore.startsWith('audit-')) return 'audit';
  if (/^(apiserver|kcm|scheduler|ccm)-/.test(logstore)) return 'control-plane';
  return 'cluster';
}

export function defaultLogProject(clusterId: string): string {
  return `k8s-log-${clusterId}`;
}

function isNotFound(error: unknown): boolean {
  const failure = toToolFailure(error);
  return failure.details.httpStatus === 404 || /NotFound|NotExist/i.test(failure.code);
}

/** Failures that no default can get past: the cluster is not there, or the credentials do not work. */
function isFatal(failure: ToolFailure): boolean {
  return (
    failure.code === 'ErrorClusterNotFound' ||
    failure.code === 'NoCredentials' ||
    /^(InvalidAccessKeyId|InvalidSecurityToken|SignatureDoesNotMatch|IncompleteSignature)/.test(failure.code)
  );
}

/** Asks ACK once per (identity, cluster, role); on a survivable failure answers the default with a note. */
async function lookup(
  ctx: ToolContext,
  clusterId: string,
  role: 'control-plane' | 'audit',
  operation: string,
  read: () => Promise<{ value: string | undefined; note?: string; disabled?: boolean }>,
): Promise<Found<string>> {
  const identity = await ctx.credentials();
  const ttlMs = credentialCacheTtlMs(identity, ctx.config.clusterRegionTtlMs, ctx.config.stsCacheMaxMs);
  const fallback = `default k8s-log-{cluster_id}`;
  return ctx.services.caches.logProjects.getOrLoad(`${identity.identityKey}:${clusterId}:${role}`, async () => {
    try {
      const { value, note, disabled } = await read();
      const off = disabled ? { disabled: true } : {};
      if (value) return { value: { value, source: note ? `${operation} (${note})` : operation, ...off }, ttlMs };
      return {
        value: {
          value: defaultLogProject(clusterId),
          source: `${fallback} (${operation} named no project${note ? `; ${note}` : ''})`,
          ...off,
        },
        ttlMs,
      };
    } catch (error) {
      const failure = toToolFailure(error);
      if (isFatal(failure)) throw error;
      const message = failure.message.startsWith(`${failure.code}: `) ? failure.message.slice(failure.code.length + 2) : failure.message;
      return {
        value: {
          value: defaultLogProject(clusterId),
          source: `${fallback} (${operation} failed: ${failure.code})`,
          failure: `${failure.code}: ${message}`,
        },
        // A transient failure may be gone on the next call: ask again then.
        ttlMs: failure.details.retryable ? 0 : ttlMs,
      };
    }
  });
}

/** The project holding a logstore of the cluster, by the table above. */
export async function findProject(
  ctx: ToolContext,
  clusterId: string,
  region: string,
  role: LogstoreRole,
  explicit?: string,
): Promise<Found<string>> {
  if (explicit) return { value: explicit, source: 'argument' };
  if (role === 'cluster') return { value: defaultLogProject(clusterId), source: 'naming rule k8s-log-{cluster_id}' };
  const client = () => ctx.cs(region);
  if (role === 'control-plane') {
    return lookup(ctx, clusterId, role, 'CheckControlPlaneLogEnable', async () => {
      const cs = await client();
      const { body } = await callRead(ctx.retry, () => cs.checkControlPlaneLogEnable(clusterId), ctx.signal);
      const project = body?.logProject?.trim();
      return project ? { value: project } : { value: undefined, note: 'is control-plane logging enabled?' };
    });
  }
  return lookup(ctx, clusterId, role, 'GetClusterAuditProject', async () => {
    const cs = await client();
    const { body } = await callRead(ctx.retry, () => cs.getClusterAuditProject(clusterId), ctx.signal);
    const project = body?.slsProjectName?.trim() || undefined;
    return body?.auditEnabled === false ? { value: project, note: 'audit_enabled is false', disabled: true } : { value: project };
  });
}

/** The Alibaba Cloud account id of these credentials. */
export async function findAccountId(ctx: ToolContext): Promise<Found<string>> {
  const identity = await ctx.credentials();
  if (identity.source === 'function' && ctx.config.fcAccountId) return { value: ctx.config.fcAccountId, source: 'FC_ACCOUNT_ID' };
  return ctx.services.caches.accountIds.getOrLoad(identity.identityKey, async () => {
    const client = await ctx.sts();
    try {
      const { body } = await callRead(ctx.retry, () => client.getCallerIdentity(), ctx.signal);
      if (!body?.accountId) throw new Error('no AccountId in the answer');
      return {
        value: { value: body.accountId, source: 'STS GetCallerIdentity' },
        ttlMs: credentialCacheTtlMs(identity, ctx.config.clusterRegionTtlMs, ctx.config.stsCacheMaxMs),
      };
    } catch (error) {
      const failure = toToolFailure(error);
      throw new ToolFailure(
        'AccountIdUnknown',
        `Could not find the account id for the Prometheus project name: STS GetCallerIdentity failed (${failure.code}: ${failure.message}).`,
        {
          hint: 'Pass `project` explicitly (workspace-default-cms-{accountId}-{region}).',
          requestId: failure.details.requestId,
        },
      );
    }
  });
}

export interface PrometheusTarget {
  region: string;
  project: Found<string>;
  metricstore: Found<string>;
}

/** The cluster's Prometheus project and metricstore; the account id is looked up only when `project` is not given. */
export async function findPrometheus(
  ctx: ToolContext,
  clusterId: string,
  region: string,
  explicit: { project?: string | undefined; metricstore?: string | undefined } = {},
): Promise<PrometheusTarget> {
  const metricstore = explicit.metricstore
    ? { value: explicit.metricstore, source: 'argument' }
    : { value: `aliyun-prom-${clusterId}`, source: 'naming rule aliyun-prom-{cluster_id}' };
  if (explicit.project) return { region, project: { value: explicit.project, source: 'argument' }, metricstore };
  const account = await findAccountId(ctx);
  return {
    region,
    project: { value: `workspace-default-cms-${account.value}-${region}`, source: `naming rule with account id from ${account.source}` },
    metricstore,
  };
}

/** An ARMS-hosted Prometheus instance of the cluster, or why none was found. */
export type ArmsPrometheus = { url: string; authToken: string | undefined; source: string } | { missing: string };

/**
 * Asks ARMS GetPrometheusInstance for the cluster's instance (for ACK the instance id is the
 * cluster id), as Alibaba's ack-mcp-server does: for clusters whose Prometheus is not the
 * `aliyun-prom-{cluster_id}` metricstore (older ARMS instances). Any failure or empty answer is
 * reported as `missing`, never thrown: the caller keeps its own, clearer error.
 */
export async function findArmsPrometheus(ctx: ToolContext, clusterId: string, region: string): Promise<ArmsPrometheus> {
  try {
    const client = await createArmsClient(ctx.config, await ctx.credentials(), region);
    const body = await callRead(ctx.retry, () => client.getPrometheusInstance(region, clusterId), ctx.signal);
    const data = body.Data;
    const url = data?.HttpApiInterUrl || data?.HttpApiIntraUrl;
    if (!url)
      return {
        missing: `ARMS GetPrometheusInstance found no instance (Code ${body.Code ?? '?'}${body.Message ? `: ${body.Message}` : ''})`,
      };
    const tokenOn = String(data?.EnableAuthToken ?? '').toLowerCase() === 'true';
    return {
      url,
      authToken: tokenOn ? data?.AuthToken : undefined,
      source: `ARMS GetPrometheusInstance (${data?.ClusterType ?? 'instance'} ${data?.ClusterId ?? clusterId})`,
    };
  } catch (error) {
    if (error instanceof ToolFailure && error.code === 'NoCredentials') throw error;
    const failure = toToolFailure(error);
    return { missing: `ARMS GetPrometheusInstance failed: ${failure.code}: ${failure.message}` };
  }
}

export { isNotFound };
