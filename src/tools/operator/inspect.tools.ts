/**
 * query_inspect_report: the latest inspection report's findings, exceptions first. Runs a new inspection when asked
 * or when the latest report is older than `max_age_hours` (or there is none), and waits for it with progress
 * notifications. Starting an inspection changes no workload or setting (it is additive), but it is not a read:
 * the tool is not read-only and not destructive. Read-only callers get a variant that reads the latest report and
 * starts none.
 */
import { z } from 'zod';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool, type ToolAnnotations } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { boundText } from '../../text.ts';
import { MAX_WAIT_SECONDS, pollUntil } from '../tasks/wait.ts';
import type { ToolContext } from '../tool-context.ts';
import { getInspectReport, listInspectReports, orderFindings, runClusterInspect, type InspectReport } from './inspect.api.ts';

const mayStartInspection: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

const MAX_FINDINGS_SHOWN = 25;

function ageHours(report: { start_time: string }, now = Date.now()): number {
  const started = Date.parse(report.start_time);
  return Number.isFinite(started) ? (now - started) / 3_600_000 : Number.POSITIVE_INFINITY;
}

function render(clusterId: string, report: InspectReport, started: boolean): string {
  const { summary } = report;
  const exceptions = report.findings.filter((finding) => finding.result === 'true');
  const lines = [
    `Inspection report ${report.report_id} of cluster ${clusterId}${started ? ' (just run)' : ''}: ${report.status}, ${report.start_time} → ${report.end_time || '…'}. ` +
      `Summary ${summary.code || '-'}: ${summary.error} error, ${summary.warning} warning, ${summary.advice} advice, ${summary.normal} normal.`,
  ];
  if (exceptions.length === 0) lines.push('No exceptions found.');
  for (const finding of exceptions.slice(0, MAX_FINDINGS_SHOWN)) {
    lines.push(
      `- [${finding.level.toUpperCase()}] ${finding.category}/${finding.check_item}: ${finding.name}` +
        `${finding.targets.length ? ` (${finding.target_type} ${finding.targets.slice(0, 5).join(', ')}${finding.targets.length > 5 ? ', …' : ''})` : ''}` +
        `${finding.description ? ` - ${finding.description}` : ''}${finding.fix ? ` Fix: ${finding.fix}` : ''}`,
    );
  }
  if (exceptions.length > MAX_FINDINGS_SHOWN)
    lines.push(`… ${exceptions.length - MAX_FINDINGS_SHOWN} more exception(s) in structuredContent.findings`);
  if (report.more) lines.push('The report has more check items than were read (500): structuredContent.findings is partial.');
  return boundText(lines.join('\n'), 14_000, 'see structuredContent.findings');
}

const input = {
  cluster_id: clusterIdArg,
  run_new: z.boolean().default(false).describe('Run a new inspection even when a recent report exists'),
  max_age_hours: z
    .number()
    .int()
    .min(1)
    .max(720)
    .default(24)
    .describe('A report older than this (hours, 1-720, default 24) is too old: a new inspection is run'),
  wait_seconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .default(60)
    .describe(`Seconds to wait for a report being generated, 0-${MAX_WAIT_SECONDS} (default 60), polling every ~2 s`),
  only_exceptions: z
    .boolean()
    .default(true)
    .describe('Return only the check items that found a problem (default true); false adds normal and disabled items'),
  language: z.enum(['en_US', 'zh_CN']).default('en_US').describe('Language of names, descriptions and fixes'),
  region: regionArg.optional(),
};

const output = {
  cluster_id: z.string(),
  report_id: z.string(),
  status: z.string().describe('completed (or running when the wait ended first)'),
  start_time: z.string(),
  end_time: z.string(),
  started_now: z.boolean().describe('True when this call ran the inspection'),
  summary: z.object({ code: z.string(), normal: z.number(), advice: z.number(), warning: z.number(), error: z.number() }),
  findings: z.array(
    z.object({
      check_item: z.string(),
      name: z.string(),
      category: z.string().describe('security, performance, stability, limitation or cost'),
      level: z.string().describe('critical (high risk), error (medium), warning (low), advice'),
      result: z.string().describe('true: a problem was found; false: normal; disable: the check is off'),
      target_type: z.string(),
      targets: z.array(z.string()),
      description: z.string(),
      fix: z.string(),
    }),
  ),
  more: z.boolean().describe('The report holds more check items than were read'),
  waited_seconds: z.number(),
};

type Args = z.output<z.ZodObject<typeof input>>;

/** Read-only mode: a new inspection is never started; asking for one, or having no report to read, is a clear error. */
function refuseToStart(args: Args, latest: { report_id: string } | undefined): void {
  const hint =
    'Read-only mode reads the latest report and runs no inspection: a read-write caller can run one with query_inspect_report ' +
    '(or run one in the ACK console: Inspections), then read it here.';
  if (args.run_new)
    throw new ToolFailure(
      'ReadOnlyMode',
      `run_new asks for a new inspection of cluster ${args.cluster_id}, which read-only mode does not start.`,
      {
        hint: `${hint} Call again without run_new to read the latest report.`,
      },
    );
  if (!latest) throw new ToolFailure('InspectReportNotFound', `Cluster ${args.cluster_id} has no inspection report yet.`, { hint });
}

const DESCRIPTION =
  'Is the cluster healthy? The latest ACK inspection report: summary and findings, exceptions first (most severe first: critical, ' +
  'error, warning, advice), each with its targets and fix.';

async function inspectReport(args: Args, ctx: ToolContext, mayStart: boolean) {
  const client = await ctx.forCluster(args).cs();
  const latest = (await listInspectReports(client, ctx.retry, args.cluster_id, 5, ctx.signal))[0];
  let reportId = latest?.report_id;
  let startedNow = false;
  const stale = !latest || (latest.status !== 'running' && ageHours(latest) > args.max_age_hours);
  if (!mayStart) refuseToStart(args, latest);
  else if (args.run_new || stale) {
    const run = await runClusterInspect(
      client,
      ctx.retry,
      args.cluster_id,
      {
        summary: `run an inspection of cluster ${args.cluster_id}`,
        howToCheck: 'An inspection changes nothing in the cluster; query_inspect_report without run_new shows the latest report.',
      },
      ctx.signal,
    );
    reportId = run.report_id;
    startedNow = true;
    ctx.note({ inspectReport: reportId });
  }
  const id = reportId!;
  const waited = await pollUntil(
    ctx,
    args.wait_seconds,
    () =>
      getInspectReport(
        client,
        ctx.retry,
        args.cluster_id,
        id,
        { language: args.language, onlyExceptions: args.only_exceptions },
        ctx.signal,
      ),
    (report) => report.status !== 'running',
    (report) => `inspection report ${report.report_id} is ${report.status || 'being generated'}`,
  );
  const report = waited.value;
  if (!waited.done) {
    const why = !startedNow
      ? 'the latest inspection is still running'
      : args.run_new
        ? 'run_new asked for a new inspection'
        : latest
          ? `the latest report was older than ${args.max_age_hours} h, so a new inspection was run`
          : 'the cluster had no inspection report, so one was run';
    throw new ToolFailure(
      'InspectReportNotReady',
      `Inspection report ${id} of cluster ${args.cluster_id} is not generated yet (${why}; waited ${waited.waited_seconds} s).`,
      {
        hint: `Call query_inspect_report again for cluster ${args.cluster_id} with wait_seconds 60 (without run_new): it follows this report instead of starting another.`,
      },
    );
  }
  const findings = orderFindings(report.findings);
  return {
    structured: {
      cluster_id: args.cluster_id,
      report_id: report.report_id,
      status: report.status,
      start_time: report.start_time,
      end_time: report.end_time,
      started_now: startedNow,
      summary: report.summary,
      findings,
      more: report.more,
      waited_seconds: waited.waited_seconds,
    },
    text:
      render(args.cluster_id, { ...report, findings }, startedNow) +
      (!mayStart && stale
        ? `\nThis report is older than max_age_hours (${args.max_age_hours} h); read-only mode runs no inspection (a read-write caller can run one).`
        : ''),
  };
}

const RAM_READ = [CLUSTER_REGION, 'cs:ListClusterInspectReports', 'cs:GetClusterInspectReportDetail'];

const readOnlyVariant = defineTool({
  name: 'query_inspect_report',
  title: 'Query the cluster inspection report',
  description: `${DESCRIPTION} Read-only mode: reads the latest report (waiting up to wait_seconds for one still running) and runs no inspection; run_new is refused.`,
  input,
  output,
  annotations: readOnlyTool,
  toolsets: ['diagnosis'],
  ramActions: RAM_READ,
  run: (args, ctx) => inspectReport(args, ctx, false),
});

export const queryInspectReportTool = defineTool({
  name: 'query_inspect_report',
  title: 'Query the cluster inspection report',
  description:
    `${DESCRIPTION} Runs a new inspection when run_new is true or when the latest report is ` +
    'older than max_age_hours (or none exists), then waits up to wait_seconds for it, with progress notifications. An inspection ' +
    'only reads the cluster; it changes nothing.',
  input,
  output,
  annotations: mayStartInspection,
  toolsets: ['diagnosis'],
  ramActions: [...RAM_READ, 'cs:RunClusterInspect'],
  readOnlyVariant,
  run: (args, ctx) => inspectReport(args, ctx, true),
});
