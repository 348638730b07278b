/** list_log_stores: what observability data the cluster has and where, found from the cluster id. */
import { z } from 'zod';
import { toToolFailure } from '../../errors/map-error.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { LOG_DISCOVERY, PROMETHEUS_DISCOVERY } from '../ram.ts';
import {
  findArmsPrometheus,
  findProject,
  findPrometheus,
  ROLE_PURPOSE,
  roleOf,
  type Found,
  type LogstoreRole,
  type PrometheusTarget,
} from './discovery.ts';
import { listStores } from './sls.api.ts';

const projectShape = z.object({
  project: z.string(),
  purpose: z.string(),
  source: z.string(),
  /** Why discovery fell back to a default for this row (the failed lookup's code and message). */
  lookup_error: z.string().nullable(),
  found: z.boolean(),
  logstores: z.array(z.string()),
  metricstores: z.array(z.string()),
  error: z.string().nullable(),
});
type ProjectRow = z.infer<typeof projectShape>;

const ROLES: LogstoreRole[] = ['cluster', 'control-plane', 'audit'];

export const listLogStoresTool = defineTool({
  name: 'list_log_stores',
  title: "List the cluster's logstores and metricstore",
  description:
    "Find where the cluster's observability data lives: the Log Service project with events, container and ingress logs (k8s-log-{cluster_id}), " +
    'the control-plane and audit projects ACK reports, and the managed Prometheus metricstore, with their logstores. ' +
    'Use the names with sls_execute_sql_query and cms_execute_promql_query.',
  input: { cluster_id: clusterIdArg, region: regionArg.optional() },
  output: {
    cluster_id: z.string(),
    region_id: z.string(),
    projects: z.array(projectShape),
    prometheus: z.object({
      project: z.string().describe('The Log Service project, or the URL of an ARMS-hosted instance'),
      metricstore: z.string().describe('Empty for an ARMS-hosted instance'),
      available: z.boolean(),
      note: z.string().nullable(),
    }),
  },
  annotations: readOnlyTool,
  toolsets: ['logs'],
  ramActions: [...LOG_DISCOVERY, ...PROMETHEUS_DISCOVERY, 'log:ListLogStores', 'arms:GetPrometheusInstance'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const region = await cluster.region();
    // The project lookups and the account id (STS) do not depend on each other: ask them together.
    const [found, prometheusTarget, client] = await Promise.all([
      Promise.all(ROLES.map((role) => findProject(ctx, args.cluster_id, region, role))),
      findPrometheus(ctx, args.cluster_id, region).catch((error: unknown) => toToolFailure(error)),
      cluster.sls(),
    ]);

    // One ListLogStores per distinct project, shared by the rows that name it.
    const listings = new Map<string, Promise<{ stores: string[] } | { error: string }>>();
    const list = (project: Found<string>, metrics: boolean) => {
      const key = `${project.value}:${metrics}`;
      let listing = listings.get(key);
      if (!listing) {
        listing = listStores(
          client,
          ctx.retry,
          project.value,
          metrics,
          { region, project: project.value, projectSource: project.source },
          ctx.signal,
        ).then(
          (stores) => ({ stores }),
          (error: unknown) => {
            const failure = toToolFailure(error);
            return { error: `${failure.code}: ${failure.message}` };
          },
        );
        listings.set(key, listing);
      }
      return listing;
    };

    const rows: Array<Promise<ProjectRow>> = ROLES.map(async (role, i) => {
      const project = found[i]!;
      const listing = await list(project, false);
      const base = {
        project: project.value,
        purpose: ROLE_PURPOSE[role],
        source: project.source,
        lookup_error: project.failure ?? null,
        metricstores: [],
      };
      if ('error' in listing) return { ...base, found: false, logstores: [], error: listing.error };
      return { ...base, found: true, logstores: listing.stores.filter((store) => roleOf(store) === role), error: null };
    });

    let prometheus: { project: string; metricstore: string; available: boolean; note: string | null };
    if ('project' in prometheusTarget) {
      const target: PrometheusTarget = prometheusTarget;
      const listing = await list(target.project, true);
      const metricstores = 'stores' in listing ? listing.stores : [];
      rows.push(
        Promise.resolve({
          project: target.project.value,
          purpose: 'managed Prometheus',
          source: target.project.source,
          lookup_error: null,
          found: 'stores' in listing,
          logstores: [],
          metricstores,
          error: 'error' in listing ? listing.error : null,
        }),
      );
      const available = metricstores.includes(target.metricstore.value);
      const arms = available ? undefined : await findArmsPrometheus(ctx, args.cluster_id, region);
      const missing = `metricstore ${target.metricstore.value} not found (${'error' in listing ? listing.error : `project has: ${metricstores.join(', ') || 'none'}`})`;
      prometheus =
        arms && 'url' in arms
          ? {
              project: arms.url,
              metricstore: '',
              available: true,
              note: `${missing}; an ARMS-hosted instance serves this cluster (${arms.source}): cms_execute_promql_query uses it`,
            }
          : {
              project: target.project.value,
              metricstore: target.metricstore.value,
              available,
              note: available
                ? null
                : `${missing}${arms && 'missing' in arms ? `; ${arms.missing}` : ''}; use cms_get_node_metrics for node metrics`,
            };
    } else {
      prometheus = {
        project: '',
        metricstore: `aliyun-prom-${args.cluster_id}`,
        available: false,
        note: `${prometheusTarget.code}: ${prometheusTarget.message}`,
      };
    }
    const projects = await Promise.all(rows);
    const lines = [`Observability data of ${args.cluster_id} (${region}):`];
    for (const p of projects) {
      const what = p.found
        ? p.purpose === 'managed Prometheus'
          ? `metricstores ${p.metricstores.join(', ') || 'none'}`
          : `logstores ${p.logstores.join(', ') || 'none'}`
        : `NOT FOUND: ${p.error}`;
      lines.push(`- ${p.purpose}: ${p.project} (from ${p.source}): ${what}`);
      if (p.lookup_error) lines.push(`  lookup failed, default used: ${p.lookup_error}`);
    }
    const where = prometheus.metricstore ? `${prometheus.project}/${prometheus.metricstore}` : prometheus.project;
    lines.push(
      prometheus.available
        ? `PromQL: ready (${where}${prometheus.note ? `; ${prometheus.note}` : ''}).`
        : `PromQL: not available: ${prometheus.note}`,
    );
    return { structured: { cluster_id: args.cluster_id, region_id: region, projects, prometheus }, text: lines.join('\n') };
  },
});
