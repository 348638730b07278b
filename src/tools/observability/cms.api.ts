/**
 * CloudMonitor (CMS 1.0) DescribeMetricList for the ECS instances behind a cluster's nodes,
 * namespace `acs_ecs_dashboard`. Metrics (the `metric` argument → CloudMonitor name, unit):
 *   cpu → CPUUtilization (%), memory → memory_usedutilization (%, needs the CloudMonitor agent),
 *   disk → diskusage_utilization (%, agent), load → load_5m (agent),
 *   network_in → networkin_rate, network_out → networkout_rate (bit/s, hypervisor).
 */
import { loadCmsSdk, type CmsClient } from '../../clients/cms-client.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';

export const NODE_METRICS = {
  cpu: { name: 'CPUUtilization', unit: '%' },
  memory: { name: 'memory_usedutilization', unit: '%' },
  disk: { name: 'diskusage_utilization', unit: '%' },
  load: { name: 'load_5m', unit: '' },
  network_in: { name: 'networkin_rate', unit: 'bit/s' },
  network_out: { name: 'networkout_rate', unit: 'bit/s' },
} as const;
export type NodeMetric = keyof typeof NODE_METRICS;

export const ECS_NAMESPACE = 'acs_ecs_dashboard';
/** Instances per DescribeMetricList call, and pages followed per batch. */
const BATCH = 20;
const MAX_PAGES = 10;

export interface Datapoint {
  timestamp: number;
  instanceId: string;
  Average?: number;
  Maximum?: number;
  Minimum?: number;
}

export interface InstanceSeries {
  instance_id: string;
  points: number;
  latest: number | null;
  latest_at: string | null;
  min: number | null;
  max: number | null;
  avg: number | null;
}

function summarise(instanceId: string, points: Datapoint[]): InstanceSeries {
  const sorted = points.filter((p) => typeof p.Average === 'number').sort((a, b) => a.timestamp - b.timestamp);
  if (sorted.length === 0) return { instance_id: instanceId, points: 0, latest: null, latest_at: null, min: null, max: null, avg: null };
  const round = (n: number) => Math.round(n * 100) / 100;
  const last = sorted[sorted.length - 1]!;
  return {
    instance_id: instanceId,
    points: sorted.length,
    latest: round(last.Average!),
    latest_at: new Date(last.timestamp).toISOString(),
    min: round(Math.min(...sorted.map((p) => p.Minimum ?? p.Average!))),
    max: round(Math.max(...sorted.map((p) => p.Maximum ?? p.Average!))),
    avg: round(sorted.reduce((sum, p) => sum + p.Average!, 0) / sorted.length),
  };
}

export async function describeNodeMetrics(
  client: CmsClient,
  retry: RetryPolicy,
  query: { instanceIds: string[]; metric: NodeMetric; period: number; startMs: number; endMs: number },
  signal?: AbortSignal,
): Promise<{ series: InstanceSeries[]; complete: boolean }> {
  const { models } = await loadCmsSdk();
  const byInstance = new Map<string, Datapoint[]>(query.instanceIds.map((id) => [id, []]));
  let complete = true;
  for (let i = 0; i < query.instanceIds.length; i += BATCH) {
    const batch = query.instanceIds.slice(i, i + BATCH);
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const request = new models.DescribeMetricListRequest({
        namespace: ECS_NAMESPACE,
        metricName: NODE_METRICS[query.metric].name,
        period: String(query.period),
        startTime: String(query.startMs),
        endTime: String(query.endMs),
        dimensions: JSON.stringify(batch.map((instanceId) => ({ instanceId }))),
        length: '1440',
        ...(nextToken ? { nextToken } : {}),
      });
      const { body } = await callRead(retry, () => client.describeMetricList(request), signal);
      if (body?.success === false || (body?.code && body.code !== '200')) {
        throw new ToolFailure(`CloudMonitor.${body.code ?? 'Error'}`, body.message ?? 'CloudMonitor DescribeMetricList failed.', { requestId: body.requestId });
      }
      const points = JSON.parse(body?.datapoints || '[]') as Datapoint[];
      for (const point of points) byInstance.get(point.instanceId)?.push(point);
      nextToken = body?.nextToken || undefined;
      if (!nextToken) break;
    }
    if (nextToken) complete = false;
  }
  return { series: [...byInstance].map(([id, points]) => summarise(id, points)), complete };
}
