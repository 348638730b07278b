/**
 * CloudMonitor (CMS 1.0, RPC over ACS3) as an emulated product: DescribeMetricList for the
 * `acs_ecs_dashboard` namespace, one series per ECS instance of the caller's account (per disk or NIC
 * `device` for the agent's disk and network metrics; other accounts' instances answer no datapoints, as
 * CloudMonitor does). Paging by Length/NextToken.
 */
import { serveAcs3Operation } from '../acs3-product.ts';
import { EmulatorError } from '../http-util.ts';
import type { EmulatedProduct } from '../index.ts';

type Metric = (nodeIndex: number, minute: number, device: string) => number;

/** Per-instance series; agent metrics of disks and NICs have one series per `device`, as CloudMonitor reports them. */
const METRICS: Record<string, { value: Metric; devices?: string[] }> = {
  CPUUtilization: { value: (i, m) => (i === 0 ? 91 + (m % 5) : 18 + i * 7 + (m % 3)) },
  memory_usedutilization: { value: (i, m) => (i === 0 ? 88 + (m % 2) : 40 + i * 3) },
  // The first node's data disk is nearly full; its system disk is not.
  diskusage_utilization: {
    value: (i, _m, d) => (d === '/dev/vdb' ? (i === 0 ? 93 : 20 + i) : 35 + i * 4),
    devices: ['/dev/vda1', '/dev/vdb'],
  },
  load_5m: { value: (i, m) => (i === 0 ? 7.5 + (m % 3) / 10 : 0.8 + i / 10) },
  networkin_rate: { value: (i, m, d) => (d === 'eth0' ? 2_000_000 + i * 250_000 + m * 1000 : 50_000), devices: ['eth0', 'eth1'] },
  networkout_rate: { value: (i, m, d) => (d === 'eth0' ? 1_500_000 + i * 200_000 + m * 1000 : 40_000), devices: ['eth0', 'eth1'] },
  IntranetInRate: { value: (i, m) => 1_800_000 + i * 200_000 + m * 1000 },
  IntranetOutRate: { value: (i, m) => 1_300_000 + i * 150_000 + m * 1000 },
};

function toMs(value: string | null, name: string): number {
  if (!value) throw new EmulatorError(400, 'InvalidParameter', `${name} is mandatory for this action.`);
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(`${value.replace(' ', 'T')}Z`);
  if (!Number.isFinite(n)) throw new EmulatorError(400, 'InvalidParameter', `${name} is not a valid time.`);
  return n;
}

/**
 * Periods CloudMonitor accepts: the request model lists 15, 60, 900 and 3600, the response model
 * 60, 300 and 900 (`@alicloud/cms20190101` DescribeMetricList); the emulator accepts either list.
 */
const PERIODS = new Set([15, 60, 300, 900, 3600]);
const MAX_RANGE_MS = 31 * 86_400_000;

export const cmsProduct: EmulatedProduct = {
  name: 'cms',
  matches(req) {
    return req.headers['x-acs-version'] === '2019-01-01';
  },
  async serve(ctx, request) {
    const action = String(request.req.headers['x-acs-action'] ?? '');
    await serveAcs3Operation(
      'cms',
      ctx,
      request,
      action === 'DescribeMetricList'
        ? {
            action,
            ramAction: 'cms:DescribeMetricList',
            run(caller, requestId) {
              const q = request.url.searchParams;
              const namespace = q.get('Namespace');
              const metric = q.get('MetricName') ?? '';
              if (namespace !== 'acs_ecs_dashboard')
                throw new EmulatorError(400, 'InvalidParameter', `The Namespace ${namespace} is not emulated.`);
              const spec = METRICS[metric];
              if (!spec) throw new EmulatorError(400, 'InvalidParameter', `The MetricName ${metric} is invalid.`);
              const period = Number(q.get('Period') ?? '60');
              if (!PERIODS.has(period))
                throw new EmulatorError(400, 'InvalidParameter', `The Period ${q.get('Period')} is invalid: use 15, 60, 300, 900 or 3600.`);
              const start = toMs(q.get('StartTime'), 'StartTime');
              const end = toMs(q.get('EndTime'), 'EndTime');
              if (start >= end || end - start > MAX_RANGE_MS)
                throw new EmulatorError(400, 'InvalidParameter', 'StartTime must be before EndTime, at most 31 days apart.');
              const length = Math.min(Number(q.get('Length') ?? '1000'), 1440);
              const offset = Number(q.get('NextToken') ?? '0');
              const wanted = (JSON.parse(q.get('Dimensions') ?? '[]') as Array<{ instanceId?: string }>).map((d) => d.instanceId);
              const points: Array<Record<string, unknown>> = [];
              for (const cluster of caller.account.clusters) {
                cluster.nodes.forEach((node, index) => {
                  if (wanted.length && !wanted.includes(node.instance_id)) return;
                  for (const device of spec.devices ?? [undefined]) {
                    // (StartTime, EndTime]: "left-open and right-closed" (DescribeMetricListRequest.startTime).
                    for (let t = (Math.floor(start / (period * 1000)) + 1) * period * 1000; t <= end; t += period * 1000) {
                      const v = spec.value(index, Math.floor(t / 60_000), device ?? '');
                      points.push({
                        timestamp: t,
                        userId: caller.account.accountId,
                        instanceId: node.instance_id,
                        ...(device ? { device } : {}),
                        Average: v,
                        Maximum: v * 1.05,
                        Minimum: v * 0.95,
                      });
                    }
                  }
                });
              }
              const page = points.slice(offset, offset + length);
              return {
                RequestId: requestId,
                Code: '200',
                Success: true,
                Period: String(period),
                Datapoints: JSON.stringify(page),
                ...(offset + length < points.length ? { NextToken: String(offset + length) } : {}),
              };
            },
          }
        : undefined,
    );
  },
};
