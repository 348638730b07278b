/** cms_list_metrics: the metric names on the cluster's Prometheus and their labels, to write correct PromQL. */
import { z } from 'zod';
import { truncationNote } from '../../text.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { PROMETHEUS_DISCOVERY } from '../ram.ts';
import { metricNames, nameMatcher, seriesOf, summariseSeries } from './metrics.api.ts';
import { withClusterPrometheus } from './prometheus-target.ts';
import { metricstoreArg, projectArg } from './query-args.ts';

const NAMES_WINDOW_SECONDS = 3600;
const SERIES_WINDOW_SECONDS = 600;

export const cmsListMetricsTool = defineTool({
  name: 'cms_list_metrics',
  title: "List metrics on the cluster's Prometheus",
  description:
    "The metric names on the cluster's managed Prometheus (written in the last hour), optionally those matching `match` " +
    '(a substring such as "cpu", or a * pattern such as "node_memory_*"), and for the first `with_labels` of them their label names, ' +
    'how many values each has and a few examples (series of the last 10 minutes), so that a query for cms_execute_promql_query uses ' +
    'metrics and labels that exist. Found from the cluster id like cms_execute_promql_query.',
  input: {
    cluster_id: clusterIdArg,
    match: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_:*]+$/, 'may hold letters, digits, _ : and * only')
      .refine((value) => value.split('*').length <= 5, 'may hold at most four *')
      .optional()
      .describe('Substring ("cpu") or * pattern ("node_memory_*", "*_total") the names must match; default all'),
    limit: z.number().int().min(1).max(500).default(100).describe('Most metric names listed, 1-500 (default 100)'),
    with_labels: z.number().int().min(0).max(30).default(10).describe('Label details for the first N listed metrics, 0-30 (default 10)'),
    project: projectArg.optional().describe('Prometheus project; default workspace-default-cms-{account_id}-{region}'),
    metricstore: metricstoreArg,
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    project: z.string().describe('The Log Service project, or the URL of an ARMS-hosted instance'),
    metricstore: z.string(),
    source: z.string(),
    names_total: z.number().describe('Metric names on the instance'),
    matched: z.number().describe('Names matching `match`'),
    names: z.array(z.string()),
    metrics: z.array(
      z.object({
        name: z.string(),
        series: z.number(),
        labels: z.array(z.object({ name: z.string(), values: z.number(), examples: z.array(z.string()) })),
      }),
    ),
    truncated: z.boolean(),
    truncation: z.string().nullable(),
  },
  annotations: readOnlyTool,
  toolsets: ['metrics'],
  // Prometheus's metadata endpoints on the metricstore are reads of it, like queries.
  ramActions: [...PROMETHEUS_DISCOVERY, 'log:GetLogStoreLogs', 'arms:GetPrometheusInstance'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const region = await cluster.region();
    const now = Math.floor(Date.now() / 1000);
    const matches = nameMatcher(args.match);
    const run = await withClusterPrometheus(
      ctx,
      args.cluster_id,
      region,
      { project: args.project, metricstore: args.metricstore },
      async (endpoint) => {
        const all = await metricNames(ctx.config, ctx.retry, endpoint, { from: now - NAMES_WINDOW_SECONDS, to: now }, ctx.signal);
        const matching = all.filter(matches).sort();
        const listed = matching.slice(0, args.limit);
        const detailed = listed.slice(0, args.with_labels);
        const series = detailed.length
          ? await seriesOf(ctx.config, ctx.retry, endpoint, detailed, { from: now - SERIES_WINDOW_SECONDS, to: now }, ctx.signal)
          : [];
        return { total: all.length, matching: matching.length, listed, metrics: summariseSeries(detailed, series) };
      },
    );
    const { value, project, metricstore } = run;
    const notes: string[] = [];
    if (value.matching > value.listed.length)
      notes.push(`${value.matching - value.listed.length} more matching names not listed (limit ${args.limit}); narrow \`match\``);
    if (args.with_labels > 0 && value.listed.length > value.metrics.length)
      notes.push(`labels shown for the first ${value.metrics.length} names (with_labels ${args.with_labels})`);
    const truncation = notes.length ? truncationNote(notes.join('; ')) : null;
    const where = metricstore.value ? `${project.value}/${metricstore.value}` : `${project.value} (${project.source})`;
    const lines = [`${value.matching} of ${value.total} metric names${args.match ? ` match "${args.match}"` : ''} on ${where}.`];
    for (const metric of value.metrics) {
      const labels = metric.labels
        .map((label) => `${label.name} (${label.values}: ${label.examples.join(', ')}${label.values > label.examples.length ? ', …' : ''})`)
        .join('; ');
      lines.push(
        `${metric.name} — ${metric.series} series${labels ? `; ${labels}` : metric.series === 0 ? ' in the last 10 minutes' : ''}`,
      );
    }
    const rest = value.listed.slice(value.metrics.length);
    if (rest.length) lines.push(`${value.metrics.length ? 'Also' : 'Names'}: ${rest.join(', ')}`);
    if (value.matching === 0)
      lines.push(args.match ? `No metric name matches "${args.match}".` : 'No metrics were written in the last hour.');
    if (truncation) lines.push(truncation);
    return {
      structured: {
        cluster_id: args.cluster_id,
        project: project.value,
        metricstore: metricstore.value,
        source: project.source,
        names_total: value.total,
        matched: value.matching,
        names: value.listed,
        metrics: value.metrics,
        truncated: truncation !== null,
        truncation,
      },
      text: lines.join('\n'),
    };
  },
});
