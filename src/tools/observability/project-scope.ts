/**
 * What a call about one cluster may read in Log Service: the cluster's own projects (its log project, the
 * control-plane and audit projects ACK names for it, its region's Prometheus workspace) and, in them, no store
 * named for another cluster; in the workspace, which the account's clusters of a region share, only the cluster's
 * own metricstore. Projects the operator lists in SLS_ALLOWED_PROJECTS (names or `*` patterns) are open to every
 * cluster's calls, with any store. The one check every tool taking `project`, `logstore` or `metricstore` runs.
 */
import { ToolFailure } from '../../errors/tool-failure.ts';
import type { ToolContext } from '../tool-context.ts';
import { defaultLogProject, findProject } from './discovery.ts';

export interface ScopeTarget {
  project: string;
  /** The caller named the project (else it was discovered for this cluster). */
  explicitProject: boolean;
  store: string;
  storeKind: 'logstore' | 'metricstore';
}

const SETTING_HINT =
  "Omit `project` and the server uses the cluster's own (list_log_stores shows them). To let calls read other projects, " +
  'the operator lists them in SLS_ALLOWED_PROJECTS (project names or * patterns, comma-separated).';

/** Store names ACK gives per cluster: `{kind}-{cluster_id}`. */
const PER_CLUSTER_STORE = /^(?:audit|apiserver|kcm|scheduler|ccm|aliyun-prom)-(.+)$/;

function workspacePattern(region: string): RegExp {
  return new RegExp(`^workspace-default-cms-\\d+-${region.replace(/-/g, '\\-')}$`);
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'))
      .join('[a-z0-9-]*')}$`,
  );
}

/** Whether SLS_ALLOWED_PROJECTS opens `project` to every cluster's calls. */
export function allowedByOperator(allowed: readonly string[], project: string): boolean {
  return allowed.some((pattern) => globToRegExp(pattern).test(project));
}

function outOfScope(code: 'ProjectOutOfScope' | 'LogstoreOutOfScope', message: string, allowed: readonly string[]): ToolFailure {
  const listed = allowed.length ? ` SLS_ALLOWED_PROJECTS allows: ${allowed.join(', ')}.` : '';
  return new ToolFailure(code, `${message}${listed} Nothing was sent.`, { hint: SETTING_HINT });
}

/**
 * Refuses a project or store that is not the cluster's (see the module comment).
 * @throws ToolFailure ProjectOutOfScope, LogstoreOutOfScope
 */
export async function assertInClusterScope(ctx: ToolContext, clusterId: string, region: string, target: ScopeTarget): Promise<void> {
  const allowed = ctx.config.slsAllowedProjects;
  if (allowedByOperator(allowed, target.project)) return;
  const namedFor = PER_CLUSTER_STORE.exec(target.store)?.[1];
  if (namedFor !== undefined && namedFor !== clusterId) {
    throw outOfScope('LogstoreOutOfScope', `${target.storeKind} ${target.store} is named for another cluster, not ${clusterId}.`, allowed);
  }
  const ownMetricstore = `aliyun-prom-${clusterId}`;
  if (workspacePattern(region).test(target.project)) {
    if (target.store === ownMetricstore) return;
    throw outOfScope(
      'LogstoreOutOfScope',
      `${target.storeKind} ${target.store} is not cluster ${clusterId}'s: the Prometheus workspace ${target.project} is shared by the account's clusters in ${region}; only ${ownMetricstore} is this cluster's.`,
      allowed,
    );
  }
  if (!target.explicitProject || target.project === defaultLogProject(clusterId)) return;
  const discovered = await Promise.all((['control-plane', 'audit'] as const).map((role) => findProject(ctx, clusterId, region, role)));
  if (discovered.some((found) => found.value === target.project)) return;
  const own = [...new Set([defaultLogProject(clusterId), ...discovered.map((found) => found.value)])];
  throw outOfScope(
    'ProjectOutOfScope',
    `Log Service project ${target.project} is not one of cluster ${clusterId}'s projects (${own.join(', ')}, and workspace-default-cms-{account_id}-${region} for its metricstore ${ownMetricstore}).`,
    allowed,
  );
}
