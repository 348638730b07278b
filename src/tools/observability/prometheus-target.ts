/**
 * Runs a Prometheus HTTP API request on the cluster's managed Prometheus: the `aliyun-prom-{cluster_id}` metricstore
 * (checked by project-scope.ts), else, when Log Service has no such project or metricstore and nothing was named
 * explicitly, the ARMS-hosted instance ARMS reports for the cluster. Without either: `MetricstoreNotFound` with a hint.
 * Shared by cms_execute_promql_query and cms_list_metrics.
 */
import { ToolFailure } from '../../errors/tool-failure.ts';
import type { ToolContext } from '../tool-context.ts';
import { findArmsPrometheus, findPrometheus, type Found } from './discovery.ts';
import { assertInClusterScope } from './project-scope.ts';
import { armsPrometheusEndpoint, slsPrometheusEndpoint, type PromEndpoint } from './promql.api.ts';

export interface PrometheusRun<T> {
  value: T;
  /** The Log Service project, or the URL of an ARMS-hosted instance. */
  project: Found<string>;
  /** Empty for an ARMS-hosted instance. */
  metricstore: Found<string>;
}

export async function withClusterPrometheus<T>(
  ctx: ToolContext,
  clusterId: string,
  region: string,
  explicit: { project?: string | undefined; metricstore?: string | undefined },
  run: (endpoint: PromEndpoint) => Promise<T>,
): Promise<PrometheusRun<T>> {
  const found = await findPrometheus(ctx, clusterId, region, explicit);
  const { project, metricstore } = found;
  await assertInClusterScope(ctx, clusterId, region, {
    project: project.value,
    explicitProject: explicit.project !== undefined,
    store: metricstore.value,
    storeKind: 'metricstore',
  });
  try {
    const value = await run(
      slsPrometheusEndpoint(ctx.config, await ctx.credentials(), { region, project: project.value, metricstore: metricstore.value }),
    );
    return { value, project, metricstore };
  } catch (error) {
    if (!(error instanceof ToolFailure && /ProjectNotExist|LogStoreNotExist|MetricStoreNotExist/.test(error.code))) throw error;
    // Not where the naming rule says: an older, ARMS-hosted instance? (only when nothing was named explicitly)
    const arms =
      explicit.project || explicit.metricstore
        ? { missing: 'not asked: project or metricstore was given' }
        : await findArmsPrometheus(ctx, clusterId, region);
    if ('url' in arms) {
      const value = await run(armsPrometheusEndpoint(arms.url, arms.authToken));
      return { value, project: { value: arms.url, source: arms.source }, metricstore: { value: '', source: arms.source } };
    }
    const missing =
      error.code === 'ProjectNotExist' ? `project ${project.value}` : `metricstore ${metricstore.value} in project ${project.value}`;
    throw new ToolFailure(
      'MetricstoreNotFound',
      `No managed Prometheus data for cluster ${clusterId}: ${missing} not found in ${region} (tried project from ${project.source}, metricstore from ${metricstore.source}; Log Service said ${error.code}: ${error.message}; ${arms.missing}).`,
      {
        requestId: error.details.requestId,
        hint: 'Is Managed Service for Prometheus enabled for this cluster? For node CPU, memory, disk and network use cms_get_node_metrics (CloudMonitor) instead.',
      },
    );
  }
}
