/**
 * What `analyze_workload_cost` reads from the cluster's API server, as the caller: the workload (apps/v1 Deployment,
 * StatefulSet or DaemonSet), its pods (by the workload's selector) and their usage from the resource metrics API
 * (metrics.k8s.io/v1beta1 PodMetrics, served by metrics-server). No MCP here.
 */
import { ToolFailure } from '../../errors/tool-failure.ts';
import type { ClusterScope, ToolContext } from '../tool-context.ts';
import { isOk, kubeGet, unexpectedStatus } from './kube-api.ts';
import type { ContainerSpec, UsageSamples } from './workload-sizing.ts';

export const WORKLOAD_TYPES = { deployment: 'deployments', statefulset: 'statefulsets', daemonset: 'daemonsets' } as const;
export type WorkloadType = keyof typeof WORKLOAD_TYPES;

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are free-form JSON, read field by field with fallbacks.
type Json = Record<string, any>;

export interface WorkloadReading {
  containers: ContainerSpec[];
  selector: string;
  replicas: number | null;
  pods: Array<{ name: string; phase: string }>;
  /** Per container name: one usage sample per measured pod; undefined when the metrics API is not available. */
  usage: UsageSamples | undefined;
  /** Why there is no usage (metrics API missing or failing), when there is none. */
  metrics_problem?: string;
}

/** `matchLabels` and `matchExpressions` as a label selector string. */
export function labelSelectorOf(selector: Json | undefined): string {
  const parts = Object.entries((selector?.matchLabels ?? {}) as Record<string, string>).map(([key, value]) => `${key}=${value}`);
  for (const expression of (selector?.matchExpressions ?? []) as Json[]) {
    const values = ((expression.values ?? []) as string[]).join(',');
    if (expression.operator === 'In') parts.push(`${expression.key} in (${values})`);
    else if (expression.operator === 'NotIn') parts.push(`${expression.key} notin (${values})`);
    else if (expression.operator === 'Exists') parts.push(String(expression.key));
    else if (expression.operator === 'DoesNotExist') parts.push(`!${expression.key}`);
  }
  return parts.join(',');
}

function containersOf(workload: Json): ContainerSpec[] {
  return ((workload.spec?.template?.spec?.containers ?? []) as Json[]).map((container) => ({
    name: String(container.name ?? ''),
    requests: (container.resources?.requests ?? {}) as Record<string, unknown>,
    limits: (container.resources?.limits ?? {}) as Record<string, unknown>,
  }));
}

export async function readWorkload(
  ctx: ToolContext,
  cluster: ClusterScope,
  target: { namespace: string; type: WorkloadType; name: string },
): Promise<WorkloadReading> {
  const { namespace, type, name } = target;
  const clusterId = cluster.id;
  const workloadPath = `/apis/apps/v1/namespaces/${namespace}/${WORKLOAD_TYPES[type]}/${name}`;
  const workload = await kubeGet(ctx, cluster, workloadPath);
  if (workload.status === 404) {
    throw new ToolFailure('WorkloadNotFound', `There is no ${type} "${name}" in namespace "${namespace}" of cluster ${clusterId}.`, {
      hint: `List them with the kubectl tool: "get ${WORKLOAD_TYPES[type]} -n ${namespace}" (or "get deploy,sts,ds -A" to find the namespace).`,
    });
  }
  if (!isOk(workload)) throw unexpectedStatus(workloadPath, workload);
  const body = workload.body as Json;
  const selector = labelSelectorOf(body.spec?.selector);
  if (!selector) throw new ToolFailure('WorkloadHasNoSelector', `The ${type} "${name}" has no pod selector, so its pods cannot be found.`);
  const query = `labelSelector=${encodeURIComponent(selector)}`;

  const podsPath = `/api/v1/namespaces/${namespace}/pods?${query}`;
  const pods = await kubeGet(ctx, cluster, podsPath);
  if (!isOk(pods)) throw unexpectedStatus(podsPath, pods);
  const podItems = ((pods.body as Json).items ?? []) as Json[];

  const reading: WorkloadReading = {
    containers: containersOf(body),
    selector,
    replicas:
      typeof body.spec?.replicas === 'number'
        ? body.spec.replicas
        : typeof body.status?.desiredNumberScheduled === 'number'
          ? body.status.desiredNumberScheduled
          : null,
    pods: podItems.map((pod) => ({ name: String(pod.metadata?.name ?? ''), phase: String(pod.status?.phase ?? '') })),
    usage: undefined,
  };

  const metricsPath = `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods?${query}`;
  const metrics = await kubeGet(ctx, cluster, metricsPath);
  if (metrics.status === 404) {
    reading.metrics_problem = 'the resource metrics API (metrics.k8s.io) is not served: metrics-server is not installed';
  } else if (!isOk(metrics)) {
    reading.metrics_problem = `the resource metrics API answered HTTP ${metrics.status} (metrics-server unavailable)`;
  } else {
    const podNames = new Set(reading.pods.map((pod) => pod.name));
    const usage: UsageSamples = new Map();
    for (const item of ((metrics.body as Json).items ?? []) as Json[]) {
      if (!podNames.has(String(item.metadata?.name ?? ''))) continue;
      for (const container of (item.containers ?? []) as Json[]) {
        const samples = usage.get(String(container.name)) ?? [];
        samples.push({ cpu: container.usage?.cpu, memory: container.usage?.memory });
        usage.set(String(container.name), samples);
      }
    }
    reading.usage = usage;
  }
  return reading;
}
