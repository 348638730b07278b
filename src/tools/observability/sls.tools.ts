/** sls_execute_sql_query: a search or `search | SQL` on one of the cluster's logstores. */
import { z } from 'zod';
import { createSlsClient } from '../../clients/sls-client.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { table } from '../render.ts';
import type { ToolContext } from '../tool-context.ts';
import { findAuditProject, findLogProject, type Found } from './discovery.ts';
import { cutCell, limitArg, logstoreArg, projectArg, timeRange, unixSecondsArg } from './query-args.ts';
import { getLogs } from './sls.api.ts';

const MAX_CELL = 1000;
const MAX_SPAN_SECONDS = 30 * 86_400;

/** The project for a logstore: audit logstores live in the audit project. */
export async function projectFor(ctx: ToolContext, clusterId: string, region: string, logstore: string, explicit?: string): Promise<Found<string>> {
  return logstore.startsWith('audit-') ? findAuditProject(ctx, clusterId, region, explicit) : findLogProject(ctx, clusterId, region, explicit);
}

function renderRows(rows: Array<Record<string, string>>): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((key) => !key.startsWith('__tag__') && key !== '__source__' && key !== '__topic__');
  if (columns.length <= 6) return table(columns, rows.map((row) => columns.map((column) => row[column])), 80);
  return rows
    .map((row) =>
      columns
        .filter((column) => row[column] !== undefined && row[column] !== '')
        .map((column) => `${column}=${cutCell(String(row[column]), 200).text}`)
        .join('  '),
    )
    .join('\n');
}

export const slsExecuteSqlQueryTool = defineTool({
  name: 'sls_execute_sql_query',
  title: 'Query cluster logs (Log Service)',
  description:
    'Run a Log Service query on one of the cluster\'s logstores: a search (`*`, `reason: BackOff`, `level: Warning and namespace: default`) ' +
    'or `search | SQL` (`* | SELECT reason, count(*) AS n GROUP BY reason ORDER BY n DESC`). ' +
    'Default logstore k8s-event (Kubernetes events); the project is found from the cluster. Time range in unix seconds, default the last hour. ' +
    'Answers the rows (bounded), whether the result is complete, and rows processed. list_log_stores shows what can be queried.',
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
  async run(args, ctx) {
    ctx.note({ cluster: args.cluster_id });
    const range = timeRange(args.from_timestamp, args.to_timestamp, { defaultSeconds: 3600, maxSeconds: MAX_SPAN_SECONDS });
    const region = await ctx.clusterRegion(args.cluster_id, args.region);
    const project = await projectFor(ctx, args.cluster_id, region, args.logstore, args.project);
    const client = await createSlsClient(ctx.config, await ctx.credentials(), region);
    const result = await getLogs(
      client,
      ctx.retry,
      { project: project.value, logstore: args.logstore, query: args.query, from: range.from, to: range.to, limit: args.limit },
      { region, project: project.value, projectSource: project.source, logstore: args.logstore },
      ctx.signal,
    );
    let cellsCut = 0;
    const rows = result.rows.slice(0, args.limit).map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => {
          const cut = cutCell(String(value ?? ''), MAX_CELL);
          if (cut.cut) cellsCut += 1;
          return [key, cut.text];
        }),
      ),
    );
    const omitted = result.rows.length - rows.length;
    const notes = [
      omitted > 0 ? `${omitted} more rows not shown (limit ${args.limit}); add LIMIT/aggregation or narrow the search` : '',
      cellsCut > 0 ? `${cellsCut} values cut at ${MAX_CELL} characters` : '',
    ].filter(Boolean);
    const truncation = notes.length ? `[truncated: ${notes.join('; ')}]` : null;
    const where = `${project.value}/${args.logstore} (${region})`;
    const header = `${rows.length} rows from ${where}, ${new Date(range.from * 1000).toISOString()} .. ${new Date(range.to * 1000).toISOString()}; ` +
      `${result.complete ? 'complete' : `INCOMPLETE (progress ${result.progress}): retry or narrow the range for exact results`}; processed rows ${result.processed_rows}.`;
    const text = [header, rows.length ? renderRows(rows) : 'No rows matched.', truncation ?? ''].filter(Boolean).join('\n');
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
