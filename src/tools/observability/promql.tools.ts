/** cms_execute_promql_query: PromQL on the cluster's managed Prometheus (SLS metricstore). */
import { z } from 'zod';
import { truncationNote } from '../../text.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { PROMETHEUS_DISCOVERY } from '../ram.ts';
import { withClusterPrometheus } from './prometheus-target.ts';
import { queryPrometheus, type PromSample, type PromSeries } from './promql.api.ts';
import { boundSeries, summarise } from './promql-render.ts';
import { timeRange, limitArg, metricstoreArg, projectArg, unixSecondsArg } from './query-args.ts';

const MAX_RANGE_SECONDS = 7 * 86_400;
const MAX_POINTS = 11_000;

/** A Prometheus sample `[unix seconds, "value"]` (an array, not a tuple: JSON Schema validators differ on tuples). */
const sample = z
  .array(z.union([z.number(), z.string()]))
  .min(2)
  .max(2);

export const cmsExecutePromqlQueryTool = defineTool({
  name: 'cms_execute_promql_query',
  title: "Run PromQL on the cluster's Prometheus",
  description:
    "Run a PromQL query on the cluster's managed Prometheus (Alibaba Cloud Managed Service for Prometheus, found from the cluster id: " +
    'the aliyun-prom-{cluster_id} metricstore, else the instance ARMS reports for the cluster). ' +
    'Instant query at `time` (default now), or a range query with `start`/`end` (unix seconds) and `step` (seconds). ' +
    'Any PromQL works, e.g. `sum by (namespace) (rate(container_cpu_usage_seconds_total[5m]))`. ' +
    "Answers Prometheus's result in structuredContent and a compact rendering (labels, latest value; min/max/avg over a range). " +
    'Without managed Prometheus, use cms_get_node_metrics for node CPU/memory/disk/network.',
  input: {
    cluster_id: clusterIdArg,
    query: z.string().min(1).max(10_000).describe('PromQL expression'),
    time: unixSecondsArg.optional().describe('Evaluation time of an instant query, unix seconds (default now)'),
    start: unixSecondsArg.optional().describe('Range query start, unix seconds'),
    end: unixSecondsArg.optional().describe('Range query end, unix seconds (default now when start is given)'),
    step: z.number().int().min(1).max(86_400).optional().describe('Range query resolution in seconds (default: about 200 points)'),
    limit: limitArg('series'),
    project: projectArg
      .optional()
      .describe(
        'Prometheus project; default workspace-default-cms-{account_id}-{region} (giving it skips the account-id lookup and the ARMS lookup)',
      ),
    metricstore: metricstoreArg,
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    project: z.string().describe('The Log Service project, or the URL of an ARMS-hosted instance'),
    metricstore: z.string().describe('The metricstore; empty for an ARMS-hosted instance'),
    source: z.string().describe('How the Prometheus instance was found'),
    result_type: z.string(),
    result: z.union([
      z.array(z.object({ metric: z.record(z.string(), z.string()), value: sample.optional(), values: z.array(sample).optional() })),
      sample,
    ]),
    series_total: z.number(),
    truncated: z.boolean(),
    truncation: z.string().nullable(),
    warnings: z.array(z.string()),
  },
  annotations: readOnlyTool,
  toolsets: ['metrics'],
  // PromQL is served by Log Service's Prometheus API on the cluster's metricstore.
  ramActions: [...PROMETHEUS_DISCOVERY, 'log:GetLogStoreLogs', 'arms:GetPrometheusInstance'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const isRange = args.start !== undefined || args.end !== undefined || args.step !== undefined;
    if (isRange && args.time !== undefined) {
      throw new ToolFailure('InvalidArguments', 'Give either `time` (instant query) or `start`/`end`/`step` (range query), not both.', {
        hint: 'Nothing was sent.',
      });
    }
    if (isRange && args.start === undefined) {
      throw new ToolFailure('InvalidArguments', 'A range query needs `start` (unix seconds).', { hint: 'Nothing was sent.' });
    }
    let request: Parameters<typeof queryPrometheus>[3];
    if (isRange) {
      const range = timeRange(args.start, args.end, { defaultSeconds: 3600, maxSeconds: MAX_RANGE_SECONDS, names: ['start', 'end'] });
      const step = args.step ?? Math.max(15, Math.ceil((range.to - range.from) / 200));
      if ((range.to - range.from) / step > MAX_POINTS) {
        throw new ToolFailure('InvalidArguments', `start..end / step gives more than ${MAX_POINTS} points per series; use a larger step.`, {
          hint: 'Nothing was sent.',
        });
      }
      request = { query: args.query, start: range.from, end: range.to, step };
    } else {
      request = { query: args.query, time: args.time };
    }
    const region = await cluster.region();
    const {
      value: answer,
      project,
      metricstore,
    } = await withClusterPrometheus(ctx, args.cluster_id, region, { project: args.project, metricstore: args.metricstore }, (endpoint) =>
      queryPrometheus(ctx.config, ctx.retry, endpoint, request, ctx.signal),
    );
    const { data } = answer;
    const all =
      Array.isArray(data.result[0]) || data.resultType === 'vector' || data.resultType === 'matrix'
        ? (data.result as PromSeries[])
        : undefined;
    let truncation: string | null = null;
    let result: PromSeries[] | PromSample = data.result;
    let lines: string[];
    if (all) {
      const bounded = boundSeries(all, args.limit);
      truncation = bounded.notes.length ? truncationNote(bounded.notes.join('; ')) : null;
      result = bounded.series;
      lines = [
        `${data.resultType}: ${all.length} series from ${metricstore.value ? `${project.value}/${metricstore.value}` : `${project.value} (${project.source})`}`,
        ...all.slice(0, args.limit).map(summarise),
      ];
      if (all.length === 0) lines.push('No series matched.');
    } else {
      const value = data.result as PromSample;
      lines = [`${data.resultType}: ${value[1]} at ${value[0]}`];
    }
    if (truncation) lines.push(truncation);
    if (answer.warnings.length) lines.push(`Warnings: ${answer.warnings.join('; ')}`);
    return {
      structured: {
        cluster_id: args.cluster_id,
        project: project.value,
        metricstore: metricstore.value,
        source: project.source,
        result_type: data.resultType,
        result,
        series_total: all?.length ?? 1,
        truncated: truncation !== null,
        truncation,
        warnings: answer.warnings,
      },
      text: lines.join('\n'),
    };
  },
});
