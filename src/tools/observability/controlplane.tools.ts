/** query_controlplane_logs: the logs of one control-plane component (name and parameters as the official ACK MCP server's). */
import { z } from 'zod';
import { truncationNote } from '../../text.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { assertComponentEnabled, controlPlaneLogs, ENABLE_CONTROL_PLANE_HINT } from './controlplane.api.ts';
import { boundRows, renderRows, splitQuery } from './log-rows.ts';
import { getLogs, type LogQueryResult } from './sls.api.ts';
import { timeArg, timeWindow } from './time-arg.ts';

const MAX_SPAN_SECONDS = 30 * 86_400;

export const queryControlPlaneLogsTool = defineTool({
  name: 'query_controlplane_logs',
  title: 'Query control-plane component logs',
  description:
    'Logs of one control-plane component of an ACK managed cluster (`component_name`: apiserver, kcm, scheduler, ccm, …), newest first, ' +
    'optionally filtered with a Log Service search (`filter_pattern`: "error", "level: E", "\\"Insufficient memory\\""), between ' +
    '`start_time` (default "24h" ago) and `end_time` (default now). Checks first that ACK collects the component\'s logs ' +
    '(CheckControlPlaneLogEnable) and says how to enable them when it does not. For SQL over these logs use sls_execute_sql_query.',
  input: {
    cluster_id: clusterIdArg,
    component_name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a control-plane component name such as apiserver, kcm, scheduler, ccm')
      .describe('Component: apiserver, kcm (kube-controller-manager), scheduler, ccm (cloud-controller-manager), …'),
    filter_pattern: z.string().max(2000).optional().describe('Log Service search over the lines (no `| SQL`); default all lines'),
    start_time: timeArg.optional().describe('Start: relative ("30m", "24h", "7d"; default "24h"), ISO 8601 with a zone, or unix seconds'),
    end_time: timeArg.optional().describe('End (default now): relative, ISO 8601 with a zone, or unix seconds'),
    limit: z.number().int().min(1).max(100).default(10).describe('Most lines returned, 1-100 (default 10)'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    region_id: z.string(),
    component_name: z.string(),
    project: z.string(),
    project_source: z.string(),
    logstore: z.string(),
    enabled_components: z.array(z.string()).nullable().describe('Components whose logs ACK collects; null when that could not be read'),
    from_timestamp: z.number(),
    to_timestamp: z.number(),
    rows: z.array(z.record(z.string(), z.string())),
    complete: z.boolean(),
    truncated: z.boolean(),
    truncation: z.string().nullable(),
  },
  annotations: readOnlyTool,
  toolsets: ['logs'],
  ramActions: [CLUSTER_REGION, 'cs:CheckControlPlaneLogEnable', 'log:GetLogStoreLogs'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const filter = args.filter_pattern?.trim() || '*';
    if (splitQuery(filter).sql !== undefined) {
      throw new ToolFailure('InvalidArguments', 'filter_pattern is a search, not `search | SQL`.', {
        hint: 'Drop the `| …` part, or run SQL with sls_execute_sql_query on the same logstore. Nothing was sent.',
      });
    }
    const range = timeWindow(args.start_time, args.end_time, { defaultStart: '24h', maxSeconds: MAX_SPAN_SECONDS });
    const region = await cluster.region();
    const logs = await controlPlaneLogs(ctx, cluster);
    assertComponentEnabled(args.cluster_id, args.component_name, logs);
    const logstore = `${args.component_name}-${args.cluster_id}`;
    const client = await cluster.sls();
    let result: LogQueryResult;
    try {
      result = await getLogs(
        client,
        ctx.retry,
        { project: logs.project.value, logstore, query: filter, from: range.from, to: range.to, limit: args.limit },
        { region, project: logs.project.value, projectSource: logs.project.source, logstore },
        ctx.signal,
      );
    } catch (error) {
      if (error instanceof ToolFailure && (error.code === 'LogStoreNotExist' || error.code === 'ProjectNotExist')) {
        throw new ToolFailure(error.code, `${error.message} The ${args.component_name} logs of this cluster were not found.`, {
          requestId: error.details.requestId,
          hint: ENABLE_CONTROL_PLANE_HINT,
        });
      }
      throw error;
    }
    const bounded = boundRows(result.rows, { limit: args.limit, query: filter, hasSql: false });
    const rows = bounded.rows.map((row) => {
      const seconds = Number(row.__time__);
      return Number.isFinite(seconds) && seconds > 0 ? { ...row, time: new Date(seconds * 1000).toISOString() } : row;
    });
    const truncation = bounded.notes.length ? truncationNote(bounded.notes.join('; ')) : null;
    const header =
      `${rows.length} ${args.component_name} log lines from ${logs.project.value}/${logstore} (${region}), ` +
      `${new Date(range.from * 1000).toISOString()} .. ${new Date(range.to * 1000).toISOString()}${result.complete ? '' : `; INCOMPLETE (progress ${result.progress}): retry for exact results`}.`;
    const note = logs.project.failure ? `Project ${logs.project.value} is a default: ${logs.project.source}.` : '';
    const shown = rows.map(({ __time__: _time, ...rest }) => rest);
    const text = [header, note, rows.length ? renderRows(shown) : 'No lines matched.', truncation ?? ''].filter(Boolean).join('\n');
    return {
      structured: {
        cluster_id: args.cluster_id,
        region_id: region,
        component_name: args.component_name,
        project: logs.project.value,
        project_source: logs.project.source,
        logstore,
        enabled_components: logs.components ?? null,
        from_timestamp: range.from,
        to_timestamp: range.to,
        rows,
        complete: result.complete,
        truncated: truncation !== null,
        truncation,
      },
      text,
    };
  },
});
