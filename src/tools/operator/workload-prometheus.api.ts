/**
 * A workload's container usage over the last day from the cluster's managed Prometheus (cAdvisor's
 * `container_cpu_usage_seconds_total` and `container_memory_working_set_bytes`), as samples the sizing reads: every
 * 5-minute point of every pod. The Log Service metricstore first (`aliyun-prom-{cluster_id}`), then an ARMS-hosted
 * instance. Any failure is answered as `missing` with the reason, never thrown: Prometheus is optional here.
 */
import { toToolFailure } from '../../errors/map-error.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { findArmsPrometheus, findPrometheus } from '../observability/discovery.ts';
import {
  armsPrometheusEndpoint,
  queryPrometheus,
  slsPrometheusEndpoint,
  type PromEndpoint,
  type PromSeries,
} from '../observability/promql.api.ts';
import type { ClusterScope, ToolContext } from '../tool-context.ts';
import type { UsageSamples } from './workload-sizing.ts';

export const USAGE_WINDOW_SECONDS = 86_400;
export const USAGE_STEP_SECONDS = 300;
/** Pods named in one query at most (a regex alternation). */
export const MAX_PODS_QUERIED = 100;

export type PrometheusUsage =
  | { usage: UsageSamples; podCounts: Map<string, number>; source: string; pods_queried: number }
  | { missing: string };

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The two queries, per pod and container; pod and namespace names are Kubernetes names (checked before). */
export function usageQueries(namespace: string, pods: string[]): { cpu: string; memory: string } {
  const selector = `namespace="${namespace}",pod=~"${pods.map(escapeRegex).join('|')}",container!="",container!="POD"`;
  return {
    cpu: `sum by (pod, container) (rate(container_cpu_usage_seconds_total{${selector}}[5m]))`,
    memory: `sum by (pod, container) (container_memory_working_set_bytes{${selector}})`,
  };
}

function addSamples(usage: UsageSamples, pods: Map<string, Set<string>>, series: PromSeries[], pick: 'cpu' | 'memory'): void {
  for (const one of series) {
    const container = one.metric.container ?? '';
    const seen = pods.get(container) ?? new Set<string>();
    seen.add(one.metric.pod ?? '');
    pods.set(container, seen);
    const samples = usage.get(container) ?? [];
    for (const [, value] of one.values ?? []) {
      const number = Number(value);
      if (Number.isFinite(number)) samples.push(pick === 'cpu' ? { cpu: number, memory: undefined } : { cpu: undefined, memory: number });
    }
    usage.set(container, samples);
  }
}

export async function prometheusUsage(
  ctx: ToolContext,
  cluster: ClusterScope,
  namespace: string,
  pods: string[],
): Promise<PrometheusUsage> {
  if (pods.length === 0) return { missing: 'no pods to query' };
  const queried = pods.slice(0, MAX_PODS_QUERIED);
  const queries = usageQueries(namespace, queried);
  const end = Math.floor(Date.now() / 1000);
  const range = { start: end - USAGE_WINDOW_SECONDS, end, step: USAGE_STEP_SECONDS };
  const run = async (endpoint: PromEndpoint) => {
    const [cpu, memory] = await Promise.all([
      queryPrometheus(ctx.config, ctx.retry, endpoint, { query: queries.cpu, ...range }, ctx.signal),
      queryPrometheus(ctx.config, ctx.retry, endpoint, { query: queries.memory, ...range }, ctx.signal),
    ]);
    const usage: UsageSamples = new Map();
    const pods = new Map<string, Set<string>>();
    addSamples(usage, pods, cpu.data.result as PromSeries[], 'cpu');
    addSamples(usage, pods, memory.data.result as PromSeries[], 'memory');
    return { usage, podCounts: new Map([...pods].map(([container, names]) => [container, names.size])) };
  };
  try {
    const region = await cluster.region();
    const target = await findPrometheus(ctx, cluster.id, region);
    try {
      const found = await run(
        slsPrometheusEndpoint(ctx.config, await ctx.credentials(), {
          region,
          project: target.project.value,
          metricstore: target.metricstore.value,
        }),
      );
      return { ...found, source: `managed Prometheus ${target.project.value}/${target.metricstore.value}`, pods_queried: queried.length };
    } catch (error) {
      if (!(error instanceof ToolFailure && /ProjectNotExist|LogStoreNotExist|MetricStoreNotExist/.test(error.code))) throw error;
      const arms = await findArmsPrometheus(ctx, cluster.id, region);
      if (!('url' in arms)) return { missing: `no managed Prometheus for the cluster (${error.code}; ${arms.missing})` };
      return { ...(await run(armsPrometheusEndpoint(arms.url, arms.authToken))), source: arms.source, pods_queried: queried.length };
    }
  } catch (error) {
    if (error instanceof ToolFailure && error.code === 'Cancelled') throw error;
    const failure = toToolFailure(error);
    return { missing: `Prometheus could not be read (${failure.code}: ${failure.message})` };
  }
}
