/**
 * Where a cluster's control-plane component logs are, and whether a component's are collected at all:
 * CheckControlPlaneLogEnable (`log_project`, `components`). Each component logs to `{component}-{cluster_id}`.
 */
import { toToolFailure } from '../../errors/map-error.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { callRead } from '../../upstream/call-upstream.ts';
import type { ClusterScope, ToolContext } from '../tool-context.ts';
import { defaultLogProject, type Found } from './discovery.ts';

export interface ControlPlaneLogs {
  project: Found<string>;
  /** Components whose logs ACK collects; undefined when CheckControlPlaneLogEnable could not be read. */
  components: string[] | undefined;
  ttlDays: string;
}

export const ENABLE_CONTROL_PLANE_HINT =
  'Enable control-plane component logs (ACK console: the cluster → Operations → Log Center → Control Plane Component Logs; or the UpdateControlPlaneLog API with the components), then query again.';

export async function controlPlaneLogs(ctx: ToolContext, cluster: ClusterScope): Promise<ControlPlaneLogs> {
  const clusterId = cluster.id;
  const cs = await cluster.cs();
  try {
    const { body } = await callRead(ctx.retry, () => cs.checkControlPlaneLogEnable(clusterId), ctx.signal);
    const project = body?.logProject?.trim();
    return {
      project: project
        ? { value: project, source: 'CheckControlPlaneLogEnable' }
        : { value: defaultLogProject(clusterId), source: 'default k8s-log-{cluster_id} (CheckControlPlaneLogEnable named no project)' },
      components: (body?.components ?? []).map((component) => component.trim()).filter(Boolean),
      ttlDays: body?.logTtl ?? '',
    };
  } catch (error) {
    const failure = toToolFailure(error);
    if (failure.code === 'ErrorClusterNotFound' || failure.code === 'NoCredentials' || failure.details.httpStatus === 401) throw error;
    return {
      project: {
        value: defaultLogProject(clusterId),
        source: `default k8s-log-{cluster_id} (CheckControlPlaneLogEnable failed: ${failure.code})`,
        failure: `${failure.code}: ${failure.message}`,
      },
      components: undefined,
      ttlDays: '',
    };
  }
}

/** Refuses a component whose logs ACK does not collect, naming those it does and how to turn collection on. */
export function assertComponentEnabled(clusterId: string, component: string, logs: ControlPlaneLogs): void {
  if (logs.components === undefined) return;
  if (logs.components.length === 0) {
    throw new ToolFailure(
      'ControlPlaneLogNotEnabled',
      `Control-plane logs are not enabled for cluster ${clusterId} (CheckControlPlaneLogEnable lists no components).`,
      { hint: ENABLE_CONTROL_PLANE_HINT },
    );
  }
  if (!logs.components.includes(component)) {
    throw new ToolFailure(
      'ComponentLogNotEnabled',
      `${component} logs are not collected for cluster ${clusterId}; collected: ${logs.components.join(', ')}.`,
      {
        hint: `Query one of ${logs.components.join(', ')}, or add ${component}: ${ENABLE_CONTROL_PLANE_HINT}`,
      },
    );
  }
}
