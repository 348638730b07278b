/**
 * analyze_workload_cost: is a workload sized right? Requests and limits of each container (from the API server, as the
 * caller) against its usage: the last day from the cluster's managed Prometheus when it has one, else metrics-server's
 * current sample (metrics.k8s.io). Over- and under-provisioning per container and resource, and a suggested request.
 * The official ACK MCP server's name and parameters.
 */
import { z } from 'zod';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { PROMETHEUS_DISCOVERY } from '../ram.ts';
import { boundText } from '../../text.ts';
import { table } from '../render.ts';
import { namespaceArg, objectNameArg } from './k8s-args.ts';
import { readWorkload, WORKLOAD_TYPES, type WorkloadType } from './workload-cost.api.ts';
import { prometheusUsage, USAGE_WINDOW_SECONDS } from './workload-prometheus.api.ts';
import {
  HEADROOM,
  NEAR_LIMIT_FROM,
  OVER_PROVISIONED_BELOW,
  overallVerdict,
  sizeContainers,
  type ContainerSizing,
} from './workload-sizing.ts';

const VERDICTS = ['no_request', 'over_provisioned', 'under_provisioned', 'near_limit', 'fits', 'no_usage'] as const;

const resourceShape = z.object({
  request: z.string().nullable(),
  limit: z.string().nullable(),
  usage_avg: z.string().nullable().describe('Average over the measured pods'),
  usage_max: z.string().nullable().describe('Highest of the measured pods'),
  utilisation: z.number().nullable().describe('usage_avg / request; 1 = uses what it requests'),
  verdict: z.enum(VERDICTS),
  suggested_request: z.string().nullable().describe(`usage_max × ${HEADROOM}, rounded up; null when the request fits`),
});

const ADVICE: Record<(typeof VERDICTS)[number], string> = {
  over_provisioned: `uses less than ${OVER_PROVISIONED_BELOW * 100}% of its request: lower the request (the node capacity it reserves is paid for but idle)`,
  under_provisioned: 'uses more than it requests: raise the request, or the node may run short and this pod be evicted or throttled first',
  near_limit: `uses ${NEAR_LIMIT_FROM * 100}% of its limit or more: raise the limit, or expect CPU throttling or an OOM kill`,
  no_request: 'requests nothing: the scheduler reserves nothing for it (BestEffort-like); set a request',
  fits: 'fits its request',
  no_usage: 'has no usage measured (no running pod measured by metrics-server)',
};

function describeContainer(container: ContainerSizing): string[] {
  const line = (resource: 'cpu' | 'memory') => {
    const r = container[resource];
    return (
      `  ${resource}: request ${r.request ?? 'none'}, limit ${r.limit ?? 'none'}, usage avg ${r.usage_avg ?? '-'} / max ${r.usage_max ?? '-'}` +
      `${r.utilisation !== null ? ` (${Math.round(r.utilisation * 100)}% of request)` : ''}: ${ADVICE[r.verdict]}${r.suggested_request ? `; suggested request ${r.suggested_request}` : ''}.`
    );
  };
  return [`Container ${container.name} (${container.pods_measured} pod(s) measured):`, line('cpu'), line('memory')];
}

export const analyzeWorkloadCostTool = defineTool({
  name: 'analyze_workload_cost',
  title: 'Analyze workload sizing and cost',
  description:
    "Is this workload sized right? For a Deployment, StatefulSet or DaemonSet: each container's CPU and memory requests and limits " +
    "against its usage (the last 24 h from the cluster's managed Prometheus when it has one, else metrics-server's current sample), averaged and maxed over its pods; verdicts over_provisioned (usage below 30% of " +
    'the request: idle capacity paid for), under_provisioned (above the request), near_limit, no_request, fits; and a suggested ' +
    'request (highest usage × 1.3). metrics_source says which usage was used. Reads the API server as the caller; changes nothing.',
  input: {
    cluster_id: clusterIdArg,
    namespace: namespaceArg.describe('Namespace of the workload, e.g. default'),
    workload_type: z
      .enum(Object.keys(WORKLOAD_TYPES) as [WorkloadType, ...WorkloadType[]])
      .describe('deployment, statefulset or daemonset'),
    workload_name: objectNameArg.describe('Name of the workload, e.g. web'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    namespace: z.string(),
    workload_type: z.string(),
    workload_name: z.string(),
    replicas: z.number().nullable(),
    pods: z.number().describe("Pods matching the workload's selector"),
    metrics_source: z
      .string()
      .describe('Where usage came from: managed Prometheus (last 24 h, 5-minute points) or metrics-server (current sample)'),
    prometheus_note: z.string().optional().describe('Why the day of Prometheus data was not used, when it was not'),
    verdict: z.enum(VERDICTS).describe('The most pressing verdict among the containers'),
    containers: z.array(z.object({ name: z.string(), pods_measured: z.number(), cpu: resourceShape, memory: resourceShape })),
  },
  annotations: readOnlyTool,
  toolsets: ['metrics'],
  // The workload, its pods and their metrics come from the API server (the cluster's RBAC decides what may be read).
  // Usage over a day: the managed Prometheus metricstore (Log Service), or an ARMS-hosted instance.
  ramActions: [...PROMETHEUS_DISCOVERY, 'cs:DescribeClusterUserKubeconfig', 'log:GetLogStoreLogs', 'arms:GetPrometheusInstance'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const what = `${args.workload_type} ${args.namespace}/${args.workload_name}`;
    const reading = await readWorkload(ctx, cluster, { namespace: args.namespace, type: args.workload_type, name: args.workload_name });
    const requests = reading.containers
      .map(
        (c) =>
          `${c.name}: cpu ${String(c.requests.cpu ?? 'none')}/${String(c.limits.cpu ?? 'none')}, memory ${String(c.requests.memory ?? 'none')}/${String(c.limits.memory ?? 'none')}`,
      )
      .join('; ');
    if (reading.pods.length === 0) {
      throw new ToolFailure(
        'NoPodsToMeasure',
        `${what} has no pods (selector ${reading.selector}); there is no usage to compare. Requests/limits: ${requests}.`,
        {
          hint: 'Scale it up or check why its pods are missing (the kubectl tool: "describe <type> <name> -n <namespace>").',
        },
      );
    }
    const prom = await prometheusUsage(
      ctx,
      cluster,
      args.namespace,
      reading.pods.map((pod) => pod.name),
    );
    const promHasData = 'usage' in prom && [...prom.usage.values()].some((samples) => samples.length > 0);
    const promNote = !('usage' in prom)
      ? prom.missing
      : promHasData
        ? undefined
        : `${prom.source} has no samples for these pods in the last ${USAGE_WINDOW_SECONDS / 3600} h`;
    let usage = reading.usage;
    let podCounts: Map<string, number> | undefined;
    let source = 'metrics.k8s.io (metrics-server, current sample)';
    if ('usage' in prom && promHasData) {
      usage = prom.usage;
      podCounts = prom.podCounts;
      source = `${prom.source}, last ${USAGE_WINDOW_SECONDS / 3600} h, 5-minute points${prom.pods_queried < reading.pods.length ? ` (first ${prom.pods_queried} pods)` : ''}`;
    }
    if (!usage) {
      throw new ToolFailure(
        'MetricsUnavailable',
        `No usage for ${what} in cluster ${args.cluster_id}: ${reading.metrics_problem}; ${promNote}. Requests/limits: ${requests}.`,
        {
          hint: 'Install or repair metrics-server (the ACK console: Add-ons) so that `kubectl top pods` works, or enable Managed Service for Prometheus for the cluster.',
        },
      );
    }
    const containers = sizeContainers(reading.containers, usage, podCounts);
    const verdict = overallVerdict(containers);
    const lines = [
      `${what} in cluster ${args.cluster_id}: ${reading.pods.length} pod(s)${reading.replicas !== null ? ` of ${reading.replicas} desired` : ''}; overall ${verdict}. ` +
        `Usage from ${source}.${podCounts === undefined && promNote ? ` A current sample only, not a day's profile: ${promNote}.` : ''}`,
      table(
        ['CONTAINER', 'CPU REQ', 'CPU USE', 'CPU VERDICT', 'MEM REQ', 'MEM USE', 'MEM VERDICT'],
        containers.map((c) => [
          c.name,
          c.cpu.request ?? 'none',
          c.cpu.usage_max ?? '-',
          c.cpu.verdict,
          c.memory.request ?? 'none',
          c.memory.usage_max ?? '-',
          c.memory.verdict,
        ]),
      ),
      ...containers.flatMap(describeContainer),
    ];
    return {
      structured: {
        cluster_id: args.cluster_id,
        namespace: args.namespace,
        workload_type: args.workload_type,
        workload_name: args.workload_name,
        replicas: reading.replicas,
        pods: reading.pods.length,
        metrics_source: source,
        ...(promNote ? { prometheus_note: promNote } : {}),
        verdict,
        containers,
      },
      text: boundText(lines.join('\n'), 12_000, 'see structuredContent.containers'),
    };
  },
});
