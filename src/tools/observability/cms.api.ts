/**
 * CloudMonitor (CMS 1.0) DescribeMetricList for the ECS instances behind a cluster's nodes,
 * namespace `acs_ecs_dashboard`. Metrics (the `metric` argument → CloudMonitor name):
 *   cpu → CPUUtilization (%, ECS basic metric, no agent needed);
 *   intranet_in / intranet_out → IntranetInRate / IntranetOutRate (bit/s, ECS basic metric measured at the
 *     hypervisor for the instance; billing-grade, so it leaves out some traffic such as to SLB);
 *   memory → memory_usedutilization (%), load → load_5m: CloudMonitor agent (OS) metrics;
 *   disk → diskusage_utilization (%, agent, one series per disk: dimension `device`);
 *   network_in / network_out → networkin_rate / networkout_rate (bit/s, agent, one series per NIC: `device`).
 * For per-device metrics each node is summarised by its busiest device (highest latest value), named.
 */
import { loadCmsSdk, type CmsClient } from '../../clients/cms-client.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';

export interface NodeMetricSpec {
  name: string;
  unit: string;
  /** Collected by the CloudMonitor agent inside the node (absent without it). */
  agent: boolean;
  /** One series per device (disk or NIC), not per instance. */
  perDevice: boolean;
}

export const NODE_METRICS = {
  cpu: { name: 'CPUUtilization', unit: '%', agent: false, perDevice: false },
  memory: { name: 'memory_usedutilization', unit: '%', agent: true, perDevice: false },
  disk: { name: 'diskusage_utilization', unit: '%', agent: true, perDevice: true },
  load: { name: 'load_5m', unit: '', agent: true, perDevice: false },
  network_in: { name: 'networkin_rate', unit: 'bit/s', agent: true, perDevice: true },
  network_out: { name: 'networkout_rate', unit: 'bit/s', agent: true, perDevice: true },
  intranet_in: { name: 'IntranetInRate', unit: 'bit/s', agent: false, perDevice: false },
  intranet_out: { name: 'IntranetOutRate', unit: 'bit/s', agent: false, perDevice: false },
} as const satisfies Record<string, NodeMetricSpec>;
export type NodeMetric = keyof typeof NODE_METRICS;

export const ECS_NAMESPACE = 'acs_ecs_dashboard';
/** Instances per DescribeMetricList call, datapoints per page, and pages followed per batch. */
const BATCH = 20;
const PAGE_LENGTH = 1440;
const MAX_PAGES = 10;

export interface Datapoint {
  timestamp: number;
  instanceId: string;
  device?: string;
  Average?: number;
  Maximum?: number;
  Minimum?: number;
}

export interface InstanceSeries {
  instance_id: string;
  /** The device summarised (per-device metrics: the busiest one); null for per-instance metrics. */
  device: string | null;
  /** Devices the instance reported (1 for per-instance metrics with data, 0 without). */
  devices: number;
  points: number;
  latest: number | null;
  latest_at: string | null;
  min: number | null;
  max: number | null;
  avg: number | null;
}

const round = (n: number) => Math.round(n * 100) / 100;

function summariseSeries(instanceId: string, device: string | null, points: Datapoint[]): InstanceSeries {
  const sorted = points.filter((p) => typeof p.Average === 'number').sort((a, b) => a.timestamp - b.timestamp);
  if (sorted.length === 0)
    return { instance_id: instanceId, device, devices: 0, points: 0, latest: null, latest_at: null, min: null, max: null, avg: null };
  const last = sorted[sorted.length - 1]!;
  return {
    instance_id: instanceId,
    device,
    devices: 1,
    points: sorted.length,
    latest: round(last.Average!),
    latest_at: new Date(last.timestamp).toISOString(),
    min: round(Math.min(...sorted.map((p) => p.Minimum ?? p.Average!))),
    max: round(Math.max(...sorted.map((p) => p.Maximum ?? p.Average!))),
    avg: round(sorted.reduce((sum, p) => sum + p.Average!, 0) / sorted.length),
  };
}

/**
 * One summary per instance. Datapoints of different devices are never mixed: for per-device
 * metrics each device is summarised alone and the instance shows its busiest device (highest latest value).
 */
export function summariseInstance(instanceId: string, points: Datapoint[], perDevice: boolean): InstanceSeries {
  if (!perDevice) return summariseSeries(instanceId, null, points);
  const byDevice = new Map<string, Datapoint[]>();
  for (const point of points) {
    const device = point.device ?? '(no device)';
    const list = byDevice.get(device);
    if (list) list.push(point);
    else byDevice.set(device, [point]);
  }
  const summaries = [...byDevice].map(([device, list]) => summariseSeries(instanceId, device, list)).filter((s) => s.points > 0);
  if (summaries.length === 0) return summariseSeries(instanceId, null, []);
  const busiest = summaries.reduce((a, b) => ((b.latest ?? -Infinity) > (a.latest ?? -Infinity) ? b : a));
  return { ...busiest, devices: summaries.length };
}

/**
 * CloudMonitor may answer HTTP 200 with `Success: false` and a `Code` (a status number such as
 * "500", or a name): raised as an SDK-like error carrying that status, so a 5xx or throttling code
 * is retried like any other and the rest is reported with its code.
 */
function failedInBody<T extends { body?: { success?: boolean; code?: string; message?: string; requestId?: string } }>(answer: T): T {
  const body = answer.body;
  if (body?.success !== false && (!body?.code || body.code === '200')) return answer;
  const numeric = Number(body.code);
  const statusCode = Number.isInteger(numeric) && numeric >= 400 && numeric <= 599 ? numeric : /Throttl/i.test(body.code ?? '') ? 429 : 400;
  throw Object.assign(new Error(body.message ?? 'CloudMonitor DescribeMetricList failed.'), {
    code: `CloudMonitor.${body.code ?? 'Error'}`,
    statusCode,
    data: { message: body.message, requestId: body.requestId },
  });
}

export async function describeNodeMetrics(
  client: CmsClient,
  retry: RetryPolicy,
  query: { instanceIds: string[]; metric: NodeMetric; period: number; startMs: number; endMs: number },
  signal?: AbortSignal,
): Promise<{ series: InstanceSeries[]; complete: boolean }> {
  const { models } = await loadCmsSdk();
  const spec: NodeMetricSpec = NODE_METRICS[query.metric];
  const byInstance = new Map<string, Datapoint[]>(query.instanceIds.map((id) => [id, []]));
  let complete = true;
  for (let i = 0; i < query.instanceIds.length; i += BATCH) {
    const batch = query.instanceIds.slice(i, i + BATCH);
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const request = new models.DescribeMetricListRequest({
        namespace: ECS_NAMESPACE,
        metricName: spec.name,
        period: String(query.period),
        startTime: String(query.startMs),
        endTime: String(query.endMs),
        dimensions: JSON.stringify(batch.map((instanceId) => ({ instanceId }))),
        length: String(PAGE_LENGTH),
        ...(nextToken ? { nextToken } : {}),
      });
      const { body } = await callRead(retry, async () => failedInBody(await client.describeMetricList(request)), signal);
      const points = JSON.parse(body?.datapoints || '[]') as Datapoint[];
      for (const point of points) byInstance.get(point.instanceId)?.push(point);
      nextToken = body?.nextToken || undefined;
      if (!nextToken) break;
    }
    if (nextToken) complete = false;
  }
  return { series: [...byInstance].map(([id, points]) => summariseInstance(id, points, spec.perDevice)), complete };
}
