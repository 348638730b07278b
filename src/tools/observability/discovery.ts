/**
 * Where a cluster's observability data lives, found from the cluster id and cached per
 * (identity, cluster); explicit arguments always win. Every failure says what was tried.
 *
 * - log project: CheckControlPlaneLogEnable `log_project`, else `k8s-log-{clusterId}`;
 * - audit project: GetClusterAuditProject `sls_project_name`, else the log project;
 * - Prometheus: project `workspace-default-cms-{accountId}-{region}`, metricstore `aliyun-prom-{clusterId}`,
 *   the account id from FC (`FC_ACCOUNT_ID`, only with the function's own role) or STS GetCallerIdentity.
 */
import { TtlCache } from '../../cache/ttl-cache.ts';
import { loadStsSdk, createStsClient } from '../../clients/sts-client.ts';
import { toToolFailure } from '../../errors/map-error.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { callRead } from '../../upstream/call-upstream.ts';
import type { ToolContext } from '../tool-context.ts';

export interface Found<T> {
  value: T;
  /** How it was found, for the agent: "argument", "CheckControlPlaneLogEnable", "default"… */
  source: string;
}

const projects = new TtlCache<Found<string>>(2000);
const accounts = new TtlCache<Found<string>>(2000);

export function defaultLogProject(clusterId: string): string {
  return `k8s-log-${clusterId}`;
}

function isNotFound(error: unknown): boolean {
  const failure = toToolFailure(error);
  return failure.details.httpStatus === 404 || /NotFound|NotExist/i.test(failure.code);
}

/** The project holding the cluster's events, container logs and control-plane logs. */
export async function findLogProject(ctx: ToolContext, clusterId: string, region: string, explicit?: string): Promise<Found<string>> {
  if (explicit) return { value: explicit, source: 'argument' };
  const identity = await ctx.credentials();
  const ttlMs = ctx.config.clusterRegionTtlMs;
  return projects.getOrLoad(`${identity.identityKey}:${clusterId}:log`, async () => {
    const client = await ctx.cs(region);
    try {
      const { body } = await callRead(ctx.retry, () => client.checkControlPlaneLogEnable(clusterId), ctx.signal);
      const value = body?.logProject?.trim();
      const source = value ? 'CheckControlPlaneLogEnable' : 'default k8s-log-{cluster_id} (CheckControlPlaneLogEnable named no project)';
      return { value: { value: value || defaultLogProject(clusterId), source }, ttlMs };
    } catch (error) {
      const failure = toToolFailure(error);
      if (failure.code === 'ErrorClusterNotFound' || failure.code.startsWith('Forbidden') || failure.code.startsWith('InvalidAccessKey')) throw error;
      return { value: { value: defaultLogProject(clusterId), source: `default k8s-log-{cluster_id} (CheckControlPlaneLogEnable failed: ${failure.code})` }, ttlMs };
    }
  });
}

/** The project holding the API-server audit log. */
export async function findAuditProject(ctx: ToolContext, clusterId: string, region: string, explicit?: string): Promise<Found<string>> {
  if (explicit) return { value: explicit, source: 'argument' };
  const identity = await ctx.credentials();
  return projects.getOrLoad(`${identity.identityKey}:${clusterId}:audit`, async () => {
    const client = await ctx.cs(region);
    try {
      const { body } = await callRead(ctx.retry, () => client.getClusterAuditProject(clusterId), ctx.signal);
      const value = body?.slsProjectName?.trim();
      if (value) return { value: { value, source: 'GetClusterAuditProject' }, ttlMs: ctx.config.clusterRegionTtlMs };
    } catch (error) {
      if (toToolFailure(error).code === 'ErrorClusterNotFound') throw error;
    }
    const log = await findLogProject(ctx, clusterId, region);
    return { value: { value: log.value, source: `log project (GetClusterAuditProject named no audit project)` }, ttlMs: ctx.config.clusterRegionTtlMs };
  });
}

/** The Alibaba Cloud account id of these credentials. */
export async function findAccountId(ctx: ToolContext): Promise<Found<string>> {
  const identity = await ctx.credentials();
  if (identity.source === 'function' && ctx.config.fcAccountId) return { value: ctx.config.fcAccountId, source: 'FC_ACCOUNT_ID' };
  return accounts.getOrLoad(identity.identityKey, async () => {
    await loadStsSdk();
    const client = await createStsClient(ctx.config, identity, ctx.callerRegion);
    try {
      const { body } = await callRead(ctx.retry, () => client.getCallerIdentity(), ctx.signal);
      if (!body?.accountId) throw new Error('no AccountId in the answer');
      return { value: { value: body.accountId, source: 'STS GetCallerIdentity' }, ttlMs: ctx.config.clusterRegionTtlMs };
    } catch (error) {
      const failure = toToolFailure(error);
      throw new ToolFailure('AccountIdUnknown', `Could not find the account id for the Prometheus project name: STS GetCallerIdentity failed (${failure.code}: ${failure.message}).`, {
        hint: 'Pass `project` explicitly (workspace-default-cms-{accountId}-{region}), or grant sts:GetCallerIdentity.',
        requestId: failure.details.requestId,
      });
    }
  });
}

export interface PrometheusTarget {
  region: string;
  project: Found<string>;
  metricstore: Found<string>;
}

export async function findPrometheus(ctx: ToolContext, clusterId: string, region: string): Promise<PrometheusTarget> {
  const account = await findAccountId(ctx);
  return {
    region,
    project: { value: `workspace-default-cms-${account.value}-${region}`, source: `naming rule with account id from ${account.source}` },
    metricstore: { value: `aliyun-prom-${clusterId}`, source: 'naming rule' },
  };
}

export { isNotFound };
