/** sls_execute_sql_query: a search or `search | SQL` on one of the cluster's logstores. */
import { z } from 'zod';
import { truncationNote } from '../../text.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { LOG_DISCOVERY } from '../ram.ts';
import type { ToolContext } from '../tool-context.ts';
import { findProject, roleOf, type Found } from './discovery.ts';
import { boundRows, renderRows } from './log-rows.ts';
import { assertInClusterScope } from './project-scope.ts';
import { limitArg, logstoreArg, projectArg, timeRange, unixSecondsArg } from './query-args.ts';
import { getLogs } from './sls.api.ts';

const MAX_SPAN_SECONDS = 30 * 86_400;

/**
 * The project holding a logstore (control-plane and audit logstores may live in their own projects), refused
 * when it or the logstore is not the cluster's (`assertInClusterScope`).
 */
export async function projectFor(
  ctx: ToolContext,
  clusterId: string,
  region: string,
  logstore: string,
  explicit?: string,
): Promise<Found<string>> {
  const project = await findProject(ctx, clusterId, region, roleOf(logstore), explicit);
  await assertInClusterScope(ctx, clusterId, region, {
    project: project.value,
    explicitProject: explicit !== undefined,
    store: logstore,
    storeKind: 'logstore',
  });
  return project;
}

export const slsExecuteSqlQueryTool = defineTool({
  name: 'sls_execute_sql_query',
  title: 'Query cluster logs (Log Service)',
  description:
    "Run a Log Service query on one of the cluster's logstores: a search (`*`, `reason: BackOff`, `level: Warning and namespace: default`) " +
    'or `search | SQL` (`* | SELECT reason, count(*) AS n GROUP BY reason ORDER BY n DESC`). ' +
    'Default logstore k8s-event (Kubernetes events); the project is found from the cluster. Time range in unix seconds, default the last hour. ' +
    'Answers the rows (at most `limit`, with a marker when more match), whether the result is complete, and rows processed. ' +
    'Control-plane (apiserver-…) and audit (audit-…) logstores are looked up in their own projects. list_log_stores shows what can be queried.',
  input: {
    cluster_id: clusterIdArg,
    query: z.string().min(1).max(4000).describe('Search, or `search | SQL` (SELECT … without FROM; the logstore is the table)'),
    logstore: logstoreArg.default('k8s-event'),
    project: projectArg.optional(),
    from_timestamp: unixSecondsArg.optional().describe('Start, unix seconds (default: an hour before to_timestamp)'),
    to_timestamp: unixSecondsArg.optional().describe('End, unix seconds (default: now)'),
    limit: limitArg('rows'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    region_id: z.string(),
    project: z.string(),
    project_source: z.string(),
    logstore: z.string(),
    from_timestamp: z.number(),
    to_timestamp: z.number(),
    rows: z.array(z.record(z.string(), z.string())),
    progress: z.string(),
    complete: z.boolean(),
    processed_rows: z.number(),
    returned_rows: z.number(),
    truncated: z.boolean(),
    truncation: z.string().nullable(),
  },
  annotations: readOnlyTool,
  toolsets: ['logs'],
  ramActions: [...LOG_DISCOVERY, 'log:GetLogStoreLogs'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const range = timeRange(args.from_timestamp, args.to_timestamp, { defaultSeconds: 3600, maxSeconds: MAX_SPAN_SECONDS });
    const region = await cluster.region();
    const project = await projectFor(ctx, args.cluster_id, region, args.logstore, args.project);
    const client = await cluster.sls();
    const result = await getLogs(
      client,
      ctx.retry,
      { project: project.value, logstore: args.logstore, query: args.query, from: range.from, to: range.to, limit: args.limit },
      { region, project: project.value, projectSource: project.source, logstore: args.logstore },
      ctx.signal,
    );
    const bounded = boundRows(result.rows, { limit: args.limit, query: args.query, hasSql: result.has_sql });
    const rows = bounded.rows;
    const truncation = bounded.notes.length ? truncationNote(bounded.notes.join('; ')) : null;
    const where = `${project.value}/${args.logstore} (${region})`;
    const header =
      `${rows.length} rows from ${where}, ${new Date(range.from * 1000).toISOString()} .. ${new Date(range.to * 1000).toISOString()}; ` +
      `${result.complete ? 'complete' : `INCOMPLETE (progress ${result.progress}): retry or narrow the range for exact results`}; processed rows ${result.processed_rows}.`;
    const note = project.failure
      ? `Project ${project.value} is a default: ${project.source}; pass \`project\` if the logs are elsewhere.`
      : '';
    const text = [header, note, rows.length ? renderRows(rows) : 'No rows matched.', truncation ?? ''].filter(Boolean).join('\n');
    return {
      structured: {
        cluster_id: args.cluster_id,
        region_id: region,
        project: project.value,
        project_source: project.source,
        logstore: args.logstore,
        from_timestamp: range.from,
        to_timestamp: range.to,
        rows,
        progress: result.progress,
        complete: result.complete,
        processed_rows: result.processed_rows,
        returned_rows: result.returned_rows,
        truncated: truncation !== null,
        truncation,
      },
      text,
    };
  },
});
