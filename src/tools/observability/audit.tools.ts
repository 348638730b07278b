/** query_audit_log: who did what in the cluster, from the API-server audit log (name and parameters as the official ACK MCP server's). */
import { z } from 'zod';
import { truncationNote } from '../../text.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { table } from '../render.ts';
import { queryAuditLog } from './audit.api.ts';
import { listArg, normaliseResourceTypes, normaliseVerbs, parseList, valueFilter, type ValueFilter } from './audit-query.ts';
import { timeArg, timeWindow } from './time-arg.ts';

const MAX_SPAN_SECONDS = 30 * 86_400;

const entry = z.object({
  time: z.string(),
  verb: z.string(),
  user: z.string(),
  resource: z.string(),
  namespace: z.string(),
  name: z.string(),
  api_group: z.string(),
  api_version: z.string(),
  code: z.string().describe('HTTP status of the request'),
  user_agent: z.string(),
  source_ips: z.string(),
  request_uri: z.string(),
  deprecated: z.boolean().describe('The API server marked the API deprecated (audit annotation k8s.io/deprecated)'),
  removed_release: z.string().describe('The release that removes the API (k8s.io/removed-release), when scheduled'),
});

export const queryAuditLogTool = defineTool({
  name: 'query_audit_log',
  title: 'Query the API-server audit log',
  description:
    'Who did what in the cluster: API-server audit records (newest first) filtered by `user`, `verbs`, `resource_types`, `resource_name`, ' +
    '`namespace` and time (`start_time` default "24h" ago, `end_time` default now). user, namespace and resource_name match exactly, ' +
    'or as a prefix with a trailing * ("system:serviceaccount:*", "kube*"); verbs and resource_types take lists (["create","delete"], ' +
    'short names such as deploy, cm, svc). The audit log is found from the cluster (GetClusterAuditProject). Each record says ' +
    'whether the API called is deprecated.',
  input: {
    cluster_id: clusterIdArg,
    namespace: z.string().max(64).optional().describe('Namespace, exact or prefix* ("kube*")'),
    verbs: listArg
      .optional()
      .describe('Verbs: get, list, watch, create, update, patch, delete, deletecollection (a list, or "create,delete")'),
    resource_types: listArg.optional().describe('Resource types, plural or short names: pods, deployments (deploy), secrets, pods/exec…'),
    resource_name: z.string().max(254).optional().describe('Resource name, exact or prefix* ("nginx-*")'),
    user: z.string().max(254).optional().describe('User name, exact or prefix* ("kubernetes-admin", "system:serviceaccount:*")'),
    start_time: timeArg.optional().describe('Start: relative ("30m", "24h", "7d"; default "24h"), ISO 8601 with a zone, or unix seconds'),
    end_time: timeArg.optional().describe('End (default now): relative, ISO 8601 with a zone, or unix seconds'),
    limit: z.number().int().min(1).max(100).default(10).describe('Most records returned, 1-100 (default 10)'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    region_id: z.string(),
    project: z.string(),
    project_source: z.string(),
    logstore: z.string(),
    query: z.string().describe('The Log Service search that was sent'),
    from_timestamp: z.number(),
    to_timestamp: z.number(),
    entries: z.array(entry),
    complete: z.boolean(),
    truncated: z.boolean(),
    truncation: z.string().nullable(),
  },
  annotations: readOnlyTool,
  toolsets: ['logs'],
  ramActions: [CLUSTER_REGION, 'cs:GetClusterAuditProject', 'log:GetLogStoreLogs'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const values: ValueFilter[] = [];
    if (args.user !== undefined) values.push(valueFilter('user', args.user));
    if (args.namespace !== undefined) values.push(valueFilter('namespace', args.namespace));
    if (args.resource_name !== undefined) values.push(valueFilter('resource_name', args.resource_name));
    const filters = {
      values,
      verbs: normaliseVerbs(parseList(args.verbs)),
      resourceTypes: normaliseResourceTypes(parseList(args.resource_types)),
    };
    const range = timeWindow(args.start_time, args.end_time, { defaultStart: '24h', maxSeconds: MAX_SPAN_SECONDS });
    const result = await queryAuditLog(ctx, cluster, filters, range, args.limit);
    const region = await cluster.region();
    const { location, entries } = result;
    const truncation = result.more
      ? truncationNote(`more records match; showing ${entries.length} (limit ${args.limit}): narrow the filters or the time range`)
      : null;
    const window = `${new Date(range.from * 1000).toISOString()} .. ${new Date(range.to * 1000).toISOString()}`;
    const lines = [
      `${entries.length} audit records from ${location.project.value}/${location.logstore} (${region}), ${window}${result.complete ? '' : '; INCOMPLETE: Log Service did not scan everything, retry for exact results'}.`,
      `Search: ${result.query}`,
    ];
    if (entries.length) {
      lines.push(
        table(
          ['time', 'user', 'verb', 'resource', 'namespace/name', 'code', 'note'],
          entries.map((e) => [
            e.time,
            e.user,
            e.verb,
            e.api_group ? `${e.resource}.${e.api_group}/${e.api_version}` : e.resource,
            [e.namespace, e.name].filter(Boolean).join('/'),
            e.code,
            e.deprecated ? `DEPRECATED API${e.removed_release ? ` (removed in ${e.removed_release})` : ''}` : '',
          ]),
          70,
        ),
      );
    } else {
      lines.push('No audit records matched.');
    }
    if (truncation) lines.push(truncation);
    return {
      structured: {
        cluster_id: args.cluster_id,
        region_id: region,
        project: location.project.value,
        project_source: location.project.source,
        logstore: location.logstore,
        query: result.query,
        from_timestamp: range.from,
        to_timestamp: range.to,
        entries,
        complete: result.complete,
        truncated: truncation !== null,
        truncation,
      },
      text: lines.join('\n'),
    };
  },
});
