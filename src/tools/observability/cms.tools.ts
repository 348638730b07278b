/** cms_get_node_metrics: CloudMonitor metrics of the ECS instances behind a cluster's nodes. */
import { z } from 'zod';
import { truncationNote } from '../../text.ts';
import { listNodes } from '../clusters/clusters.api.ts';
import { clusterIdArg, nodePoolIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { table } from '../render.ts';
import { describeNodeMetrics, ECS_NAMESPACE as ECS_NS, NODE_METRICS, type NodeMetric, type NodeMetricSpec } from './cms.api.ts';
import { timeRange, unixSecondsArg } from './query-args.ts';

const MAX_NODES = 100;
const MAX_SPAN_SECONDS = 7 * 86_400;

export const cmsGetNodeMetricsTool = defineTool({
  name: 'cms_get_node_metrics',
  title: 'Node metrics from CloudMonitor',
  description:
    "CloudMonitor metrics of the cluster's nodes (their ECS instances), optionally of one node pool: per node the latest, min, max and average, 100 nodes a page. " +
    'Metrics: cpu (CPUUtilization %), intranet_in / intranet_out (IntranetInRate / IntranetOutRate bit/s, measured at the hypervisor), ' +
    'memory (memory_usedutilization %), load (load_5m), disk (diskusage_utilization %, per disk) and network_in / network_out (networkin_rate / networkout_rate bit/s, per NIC). ' +
    'memory, load, disk and network_* come from the CloudMonitor agent on the nodes; for the per-disk and per-NIC metrics each node shows its busiest device. ' +
    'Works without managed Prometheus: use it to answer "are my nodes saturated?".',
  input: {
    cluster_id: clusterIdArg,
    nodepool_id: nodePoolIdArg.optional(),
    metric: z
      .enum(Object.keys(NODE_METRICS) as [NodeMetric, ...NodeMetric[]])
      .default('cpu')
      .describe('cpu, memory, disk, load, network_in, network_out, intranet_in or intranet_out (default cpu)'),
    // CloudMonitor documents 15/60/900/3600 (request) and 60/300/900 (response); ECS metrics start at 60 s.
    period: z
      .number()
      .int()
      .refine((value) => [60, 300, 900, 3600].includes(value), 'must be 60, 300, 900 or 3600')
      .default(60)
      .describe('Seconds per datapoint: 60, 300, 900 or 3600 (default 60)'),
    from_timestamp: unixSecondsArg.optional().describe('Start, unix seconds (default: an hour before to_timestamp)'),
    to_timestamp: unixSecondsArg.optional().describe('End, unix seconds (default now)'),
    page_number: z.number().int().min(1).max(100).default(1).describe('Page of 100 nodes (default 1)'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    region_id: z.string(),
    namespace: z.string(),
    metric: z.string(),
    metric_name: z.string(),
    unit: z.string(),
    period: z.number(),
    from_timestamp: z.number(),
    to_timestamp: z.number(),
    page_number: z.number(),
    total_nodes: z.number(),
    nodes: z.array(
      z.object({
        instance_id: z.string(),
        node_name: z.string(),
        nodepool_id: z.string(),
        device: z.string().nullable(),
        devices: z.number(),
        points: z.number(),
        latest: z.number().nullable(),
        latest_at: z.string().nullable(),
        min: z.number().nullable(),
        max: z.number().nullable(),
        avg: z.number().nullable(),
      }),
    ),
    complete: z.boolean(),
    truncation: z.string().nullable(),
  },
  annotations: readOnlyTool,
  toolsets: ['metrics'],
  ramActions: [CLUSTER_REGION, 'cs:DescribeClusterNodes', 'cms:DescribeMetricList'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const range = timeRange(args.from_timestamp, args.to_timestamp, { defaultSeconds: 3600, maxSeconds: MAX_SPAN_SECONDS });
    const region = await cluster.region();
    const { nodes, page } = await listNodes(
      await cluster.cs(),
      ctx.retry,
      args.cluster_id,
      { nodepoolId: args.nodepool_id, pageNumber: args.page_number, pageSize: MAX_NODES },
      ctx.signal,
    );
    const withInstance = nodes.filter((node) => node.instance_id);
    const metric: NodeMetricSpec = NODE_METRICS[args.metric];
    const { series, complete } = withInstance.length
      ? await describeNodeMetrics(
          await cluster.cms(),
          ctx.retry,
          {
            instanceIds: withInstance.map((n) => n.instance_id),
            metric: args.metric,
            period: args.period,
            startMs: range.from * 1000,
            endMs: range.to * 1000,
          },
          ctx.signal,
        )
      : { series: [], complete: true };
    const byId = new Map(withInstance.map((node) => [node.instance_id, node]));
    const rows = series.map((s) => ({
      ...s,
      node_name: byId.get(s.instance_id)?.node_name ?? '',
      nodepool_id: byId.get(s.instance_id)?.nodepool_id ?? '',
    }));
    const first = (args.page_number - 1) * MAX_NODES;
    const more = page.total_count > first + nodes.length;
    const notes = [
      more
        ? `nodes ${first + 1}-${first + nodes.length} of ${page.total_count} shown; page_number ${args.page_number + 1} shows the next, or pass nodepool_id to narrow`
        : '',
      complete ? '' : 'CloudMonitor had more datapoints than were read; use a larger period or a shorter range',
    ].filter(Boolean);
    const truncation = notes.length ? truncationNote(notes.join('; ')) : null;
    const unit = metric.unit;
    const columns = metric.perDevice
      ? ['NODE', 'INSTANCE_ID', 'DEVICE', 'LATEST', 'MIN', 'MAX', 'AVG', 'POINTS']
      : ['NODE', 'INSTANCE_ID', 'LATEST', 'MIN', 'MAX', 'AVG', 'POINTS'];
    const cells = rows.map((r) => [
      r.node_name,
      r.instance_id,
      ...(metric.perDevice ? [r.device ? `${r.device}${r.devices > 1 ? ` (busiest of ${r.devices})` : ''}` : ''] : []),
      r.latest ?? 'no data',
      r.min ?? '',
      r.max ?? '',
      r.avg ?? '',
      r.points,
    ]);
    const text = [
      `${metric.name} (${ECS_NS}, period ${args.period}s${unit ? `, ${unit}` : ''}) for ${rows.length} nodes of ${args.cluster_id}${args.nodepool_id ? ` node pool ${args.nodepool_id}` : ''}, ` +
        `${new Date(range.from * 1000).toISOString()} .. ${new Date(range.to * 1000).toISOString()}`,
      metric.perDevice
        ? `${metric.name} is reported per ${args.metric === 'disk' ? 'disk' : 'network interface'}: each node shows its busiest device (highest latest value), not a sum or an average.`
        : '',
      rows.length ? table(columns, cells) : 'No nodes found.',
      rows.some((r) => r.points === 0)
        ? `Nodes with "no data": ${metric.agent ? 'the metric needs the CloudMonitor agent on the node, or' : ''} the instance reported nothing in this range.`
        : '',
      truncation ?? '',
    ]
      .filter(Boolean)
      .join('\n');
    return {
      structured: {
        cluster_id: args.cluster_id,
        region_id: region,
        namespace: ECS_NS,
        metric: args.metric,
        metric_name: metric.name,
        unit,
        period: args.period,
        from_timestamp: range.from,
        to_timestamp: range.to,
        page_number: args.page_number,
        total_nodes: page.total_count,
        nodes: rows,
        complete: complete && truncation === null,
        truncation,
      },
      text,
    };
  },
});
