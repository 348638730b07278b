/** sls_describe_logstore: the fields, types and a few sample rows of one of the cluster's logstores, to write correct queries. */
import { z } from 'zod';
import { truncationNote } from '../../text.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { LOG_DISCOVERY } from '../ram.ts';
import { table } from '../render.ts';
import { cutCell, logstoreArg, projectArg } from './query-args.ts';
import { getIndex, getLogs, type LogstoreIndex } from './sls.api.ts';
import { projectFor } from './sls.tools.ts';

const MAX_FIELDS = 200;
const SAMPLE_CELL = 300;
const SAMPLE_WINDOW_SECONDS = 86_400;

export const slsDescribeLogstoreTool = defineTool({
  name: 'sls_describe_logstore',
  title: 'Describe a logstore (fields and sample rows)',
  description:
    "The indexed fields (name, type, whether SQL can use them) and a few recent sample rows of one of the cluster's logstores " +
    '(k8s-event, config-operation-log, audit-{cluster_id}, apiserver-{cluster_id}, nginx-ingress…), so that a query for ' +
    'sls_execute_sql_query uses the right keys: quote dotted keys in SQL ("objectRef.resource"). The project is found from the ' +
    'cluster; list_log_stores shows the logstores.',
  input: {
    cluster_id: clusterIdArg,
    logstore: logstoreArg,
    project: projectArg.optional(),
    sample_rows: z.number().int().min(0).max(10).default(3).describe('Recent rows to show, 0-10 (default 3; from the last 24 hours)'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    region_id: z.string(),
    project: z.string(),
    project_source: z.string(),
    logstore: z.string(),
    fields: z.array(z.object({ name: z.string(), type: z.string(), alias: z.string(), sql: z.boolean(), json_keys: z.array(z.string()) })),
    fields_total: z.number(),
    full_text_index: z.boolean(),
    ttl_days: z.number().nullable(),
    samples: z.array(z.record(z.string(), z.string())),
    truncated: z.boolean(),
    truncation: z.string().nullable(),
  },
  annotations: readOnlyTool,
  toolsets: ['logs'],
  ramActions: [...LOG_DISCOVERY, 'log:GetIndex', 'log:GetLogStoreLogs'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const region = await cluster.region();
    const project = await projectFor(ctx, args.cluster_id, region, args.logstore, args.project);
    const client = await cluster.sls();
    const target = { region, project: project.value, projectSource: project.source, logstore: args.logstore };
    let index: LogstoreIndex;
    try {
      index = await getIndex(client, ctx.retry, project.value, args.logstore, target, ctx.signal);
    } catch (error) {
      if (error instanceof ToolFailure && error.code === 'IndexConfigNotExist') {
        throw new ToolFailure(
          'IndexConfigNotExist',
          `Logstore ${args.logstore} in project ${project.value} has no index: Log Service can neither search it nor run SQL on it.`,
          {
            requestId: error.details.requestId,
            hint: 'Turn on indexing for the logstore (Log Service console: the logstore → Index Attributes); only data written after that is indexed.',
          },
        );
      }
      throw error;
    }
    const now = Math.floor(Date.now() / 1000);
    const rows = args.sample_rows
      ? (
          await getLogs(
            client,
            ctx.retry,
            {
              project: project.value,
              logstore: args.logstore,
              query: '*',
              from: now - SAMPLE_WINDOW_SECONDS,
              to: now,
              limit: args.sample_rows,
            },
            target,
            ctx.signal,
          )
        ).rows
      : [];
    let cellsCut = 0;
    const samples = rows.slice(0, args.sample_rows).map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => {
          const cut = cutCell(String(value ?? ''), SAMPLE_CELL);
          if (cut.cut) cellsCut += 1;
          return [key, cut.text];
        }),
      ),
    );
    const fields = index.fields.slice(0, MAX_FIELDS);
    const notes = [
      ...(index.fields.length > MAX_FIELDS ? [`${index.fields.length - MAX_FIELDS} more fields not shown`] : []),
      ...(cellsCut ? [`${cellsCut} sample values cut at ${SAMPLE_CELL} characters`] : []),
    ];
    const truncation = notes.length ? truncationNote(notes.join('; ')) : null;
    const lines = [
      `${args.logstore} in ${project.value} (${region}): ${index.fields.length} indexed fields; full-text index ${index.full_text ? 'on' : 'off'}${index.ttl_days ? `; index kept ${index.ttl_days} days` : ''}.`,
      fields.length
        ? table(
            ['field', 'type', 'SQL', 'json keys'],
            fields.map((field) => [field.name, field.type, field.sql ? 'yes' : 'no', field.json_keys.slice(0, 10).join(', ')]),
            80,
          )
        : 'No field index: only full-text search works (no key: value search, no SQL).',
      'Search: key: value (e.g. `level: Warning`); SQL after `|`: SELECT "dotted.key", count(*) AS n GROUP BY "dotted.key".',
      samples.length
        ? `Sample rows (newest first):\n${samples.map((row) => JSON.stringify(row)).join('\n')}`
        : args.sample_rows
          ? 'No rows in the last 24 hours.'
          : '',
      truncation ?? '',
    ];
    return {
      structured: {
        cluster_id: args.cluster_id,
        region_id: region,
        project: project.value,
        project_source: project.source,
        logstore: args.logstore,
        fields,
        fields_total: index.fields.length,
        full_text_index: index.full_text,
        ttl_days: index.ttl_days,
        samples,
        truncated: truncation !== null,
        truncation,
      },
      text: lines.filter(Boolean).join('\n'),
    };
  },
});
