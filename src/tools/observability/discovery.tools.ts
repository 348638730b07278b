/** list_log_stores: what observability data the cluster has and where, found from the cluster id. */
import { z } from 'zod';
import { createSlsClient } from '../../clients/sls-client.ts';
import { toToolFailure } from '../../errors/map-error.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { findAuditProject, findLogProject, findPrometheus, type Found } from './discovery.ts';
import { listStores } from './sls.api.ts';

const projectShape = z.object({
  project: z.string(),
  purpose: z.string(),
  source: z.string(),
  found: z.boolean(),
  logstores: z.array(z.string()),
  metricstores: z.array(z.string()),
  error: z.string().nullable(),
});
type ProjectRow = z.infer<typeof projectShape>;

export const listLogStoresTool = defineTool({
  name: 'list_log_stores',
  title: 'List the cluster\'s logstores and metricstore',
  description:
    'Find where the cluster\'s observability data lives: the Log Service project with events and container/control-plane logs, ' +
    'the audit project, and the managed Prometheus metricstore, with their logstores. Use the names with sls_execute_sql_query and cms_execute_promql_query.',
  input: { cluster_id: clusterIdArg, region: regionArg.optional() },
  output: {
    cluster_id: z.string(),
    region_id: z.string(),
    projects: z.array(projectShape),
    prometheus: z.object({ project: z.string(), metricstore: z.string(), available: z.boolean(), note: z.string().nullable() }),
  },
  annotations: readOnlyTool,
  async run(args, ctx) {
    ctx.note({ cluster: args.cluster_id });
    const region = await ctx.clusterRegion(args.cluster_id, args.region);
    const client = await createSlsClient(ctx.config, await ctx.credentials(), region);
    const [logProject, auditProject] = await Promise.all([findLogProject(ctx, args.cluster_id, region), findAuditProject(ctx, args.cluster_id, region)]);

    async function describe(found: Found<string>, purpose: string, metrics: boolean): Promise<ProjectRow> {
      const target = { region, project: found.value, projectSource: found.source };
      try {
        const stores = await listStores(client, ctx.retry, found.value, metrics, target, ctx.signal);
        return { project: found.value, purpose, source: found.source, found: true, logstores: metrics ? [] : stores, metricstores: metrics ? stores : [], error: null };
      } catch (error) {
        const failure = toToolFailure(error);
        return { project: found.value, purpose, source: found.source, found: false, logstores: [], metricstores: [], error: `${failure.code}: ${failure.message}` };
      }
    }

    const rows: Promise<ProjectRow>[] = [describe(logProject, 'events, container and control-plane logs', false)];
    if (auditProject.value !== logProject.value) rows.push(describe(auditProject, 'API-server audit', false));
    let prometheus: { project: string; metricstore: string; available: boolean; note: string | null };
    try {
      const target = await findPrometheus(ctx, args.cluster_id, region);
      const row = await describe(target.project, 'managed Prometheus', true);
      rows.push(Promise.resolve(row));
      const available = row.metricstores.includes(target.metricstore.value);
      prometheus = {
        project: target.project.value,
        metricstore: target.metricstore.value,
        available,
        note: available ? null : `metricstore ${target.metricstore.value} not found (${row.error ?? `project has: ${row.metricstores.join(', ') || 'none'}`}); use cms_get_node_metrics for node metrics`,
      };
    } catch (error) {
      const failure = toToolFailure(error);
      prometheus = { project: '', metricstore: `aliyun-prom-${args.cluster_id}`, available: false, note: `${failure.code}: ${failure.message}` };
    }
    const projects = await Promise.all(rows);
    const lines = [`Observability data of ${args.cluster_id} (${region}):`];
    for (const p of projects) {
      lines.push(`- ${p.project} (${p.purpose}; from ${p.source}): ${p.found ? (p.metricstores.length ? `metricstores ${p.metricstores.join(', ')}` : `logstores ${p.logstores.join(', ') || 'none'}`) : `NOT FOUND: ${p.error}`}`);
    }
    lines.push(prometheus.available ? `PromQL: ready (${prometheus.project}/${prometheus.metricstore}).` : `PromQL: not available: ${prometheus.note}`);
    return { structured: { cluster_id: args.cluster_id, region_id: region, projects, prometheus }, text: lines.join('\n') };
  },
});
