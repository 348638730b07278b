/**
 * The cluster's API-server audit log (the `audit-{cluster_id}` logstore in the project GetClusterAuditProject
 * names): filtered records, and the calls the API server marked deprecated (`k8s.io/deprecated` audit annotation).
 * Shared by query_audit_log and check_upgrade_readiness.
 */
import { ToolFailure } from '../../errors/tool-failure.ts';
import type { ClusterScope, ToolContext } from '../tool-context.ts';
import { auditSearch, exactMatch, type AuditFilters } from './audit-query.ts';
import { findProject, type Found } from './discovery.ts';
import type { TimeRange } from './query-args.ts';
import { getLogs, type LogQueryResult } from './sls.api.ts';

export interface AuditEntry {
  time: string;
  verb: string;
  user: string;
  resource: string;
  namespace: string;
  name: string;
  api_group: string;
  api_version: string;
  code: string;
  user_agent: string;
  source_ips: string;
  request_uri: string;
  deprecated: boolean;
  removed_release: string;
}

export interface AuditLocation {
  region: string;
  project: Found<string>;
  logstore: string;
}

const ENABLE_HINT =
  'Enable cluster auditing for the cluster (ACK console: the cluster → Security → Cluster Auditing, or at creation), then query again; list_log_stores shows where the cluster logs.';

/** Where the audit log lives; refuses when ACK says auditing is off. */
export async function auditLocation(ctx: ToolContext, clusterId: string, region: string): Promise<AuditLocation> {
  const project = await findProject(ctx, clusterId, region, 'audit');
  if (project.disabled) {
    throw new ToolFailure(
      'AuditLogNotEnabled',
      `API-server auditing is not enabled for cluster ${clusterId} (GetClusterAuditProject: audit_enabled is false).`,
      { hint: ENABLE_HINT },
    );
  }
  return { region, project, logstore: `audit-${clusterId}` };
}

/** A missing audit project or logstore means auditing is off (or logs elsewhere): say how to turn it on. */
function explainMissing(error: unknown, location: AuditLocation): never {
  if (error instanceof ToolFailure && (error.code === 'ProjectNotExist' || error.code === 'LogStoreNotExist')) {
    throw new ToolFailure(
      'AuditLogNotFound',
      `${error.message} The API-server audit log of this cluster was not found: is cluster auditing enabled?`,
      {
        requestId: error.details.requestId,
        hint: ENABLE_HINT,
      },
    );
  }
  void location;
  throw error;
}

const annotation = (row: Record<string, string>, key: string) => row[`annotations.${key}`] ?? '';

export function toAuditEntry(row: Record<string, string>): AuditEntry {
  const seconds = Number(row.__time__);
  return {
    time: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : (row.requestReceivedTimestamp ?? ''),
    verb: row.verb ?? '',
    user: row['user.username'] ?? '',
    resource: row['objectRef.resource'] ?? '',
    namespace: row['objectRef.namespace'] ?? '',
    name: row['objectRef.name'] ?? '',
    api_group: row['objectRef.apiGroup'] ?? '',
    api_version: row['objectRef.apiVersion'] ?? '',
    code: row['responseStatus.code'] ?? '',
    user_agent: row.userAgent ?? '',
    source_ips: row.sourceIPs ?? '',
    request_uri: row.requestURI ?? '',
    deprecated: annotation(row, 'k8s.io/deprecated') === 'true',
    removed_release: annotation(row, 'k8s.io/removed-release'),
  };
}

export interface AuditQueryResult {
  location: AuditLocation;
  query: string;
  entries: AuditEntry[];
  /** Rows Log Service returned before the exact match. */
  scanned: number;
  /** More rows may match than were returned (Log Service returned all it was asked for). */
  more: boolean;
  complete: boolean;
}

/** One search of the cluster's audit logstore; a missing project or logstore is explained (auditing off). */
async function readAuditLogstore(
  ctx: ToolContext,
  cluster: ClusterScope,
  region: string,
  location: AuditLocation,
  query: string,
  range: TimeRange,
  limit: number,
): Promise<LogQueryResult> {
  const client = await cluster.sls();
  try {
    return await getLogs(
      client,
      ctx.retry,
      { project: location.project.value, logstore: location.logstore, query, from: range.from, to: range.to, limit },
      { region, project: location.project.value, projectSource: location.project.source, logstore: location.logstore },
      ctx.signal,
    );
  } catch (error) {
    explainMissing(error, location);
  }
}

/** Records matching the filters, newest first, at most `limit`. */
export async function queryAuditLog(
  ctx: ToolContext,
  cluster: ClusterScope,
  filters: AuditFilters,
  range: TimeRange,
  limit: number,
): Promise<AuditQueryResult> {
  const region = await cluster.region();
  const location = await auditLocation(ctx, cluster.id, region);
  const query = auditSearch(filters);
  const result = await readAuditLogstore(ctx, cluster, region, location, query, range, limit);
  const matching = result.rows.filter((row) => exactMatch(filters, row));
  return {
    location,
    query,
    entries: matching.slice(0, limit).map(toAuditEntry),
    scanned: result.rows.length,
    more: matching.length > limit || result.rows.length > limit,
    complete: result.complete,
  };
}

export interface DeprecatedApiCall {
  api: string;
  resource: string;
  removed_release: string;
  user: string;
  user_agent: string;
  calls: number;
  last_seen: string;
}

/** Calls the API server marked deprecated, grouped by API, resource and client; `sampled` when 100 rows came back. */
export async function deprecatedApiCalls(
  ctx: ToolContext,
  cluster: ClusterScope,
  range: TimeRange,
): Promise<{ location: AuditLocation; calls: DeprecatedApiCall[]; sampled: boolean }> {
  const region = await cluster.region();
  const location = await auditLocation(ctx, cluster.id, region);
  const result = await readAuditLogstore(ctx, cluster, region, location, 'annotations.k8s.io/deprecated: "true"', range, 99);
  const groups = new Map<string, DeprecatedApiCall>();
  for (const entry of result.rows.map(toAuditEntry).filter((candidate) => candidate.deprecated)) {
    const api = entry.api_group ? `${entry.api_group}/${entry.api_version}` : entry.api_version;
    const key = [api, entry.resource, entry.user, entry.user_agent].join('\u0000');
    const group = groups.get(key) ?? {
      api,
      resource: entry.resource,
      removed_release: entry.removed_release,
      user: entry.user,
      user_agent: entry.user_agent,
      calls: 0,
      last_seen: entry.time,
    };
    group.calls += 1;
    if (entry.time > group.last_seen) group.last_seen = entry.time;
    groups.set(key, group);
  }
  return { location, calls: [...groups.values()].sort((a, b) => b.calls - a.calls), sampled: result.rows.length >= 100 };
}
