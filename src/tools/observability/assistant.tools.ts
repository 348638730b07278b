/** Natural-language helpers: text → SQL, SQL diagnosis, text → PromQL (best effort, see assistant.ts). */
import { z } from 'zod';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import type { ToolContext } from '../tool-context.ts';
import { LOG_DISCOVERY, PROMETHEUS_DISCOVERY } from '../ram.ts';
import { slsAiToolsAssistant } from './assistant.ts';
import { findPrometheus } from './discovery.ts';
import { logstoreArg, projectArg } from './query-args.ts';
import { projectFor } from './sls.tools.ts';

/** Which of the cluster's logstores a SQL helper is about. */
const logstoreInput = {
  logstore: logstoreArg.default('k8s-event'),
  project: projectArg.optional(),
  region: regionArg.optional(),
};

/** The cluster's region and the project holding the logstore (checked to be the cluster's). */
async function logstoreScope(ctx: ToolContext, args: { cluster_id: string; logstore: string; project?: string; region?: string }) {
  const region = await ctx.forCluster(args).region();
  return { region, project: await projectFor(ctx, args.cluster_id, region, args.logstore, args.project) };
}

const answerShape = {
  cluster_id: z.string(),
  project: z.string(),
  target: z.string(),
  query: z.string(),
  answer: z.string(),
  backend: z.string(),
};

export const slsTranslateTextToSqlTool = defineTool({
  name: 'sls_translate_text_to_sql_query',
  title: 'Translate a question into a Log Service query',
  description:
    'Turn a question in plain words ("warning events of the last hour by reason") into a Log Service `search | SQL` query for one of the cluster\'s logstores ' +
    '(default k8s-event). Best effort: Alibaba has deprecated the AI tool behind it (Log Service CallAiTools), so it may stop working; ' +
    'run the result with sls_execute_sql_query. If translation is unavailable, write the query yourself.',
  input: {
    cluster_id: clusterIdArg,
    text: z.string().min(1).max(2000).describe('The question, in plain words'),
    ...logstoreInput,
  },
  output: answerShape,
  annotations: readOnlyTool,
  toolsets: ['logs'],
  ramActions: [...LOG_DISCOVERY, 'log:CallAiTools'],
  async run(args, ctx) {
    const { region, project } = await logstoreScope(ctx, args);
    const result = await slsAiToolsAssistant(ctx).textToSql({ region, project: project.value, logstore: args.logstore, text: args.text });
    return {
      structured: { cluster_id: args.cluster_id, project: project.value, target: args.logstore, ...result },
      text: `Query for ${project.value}/${args.logstore}:\n${result.query}\n\nRun it with sls_execute_sql_query (logstore ${args.logstore}).`,
    };
  },
});

export const slsDiagnoseQueryTool = defineTool({
  name: 'sls_diagnose_query',
  title: 'Explain a failing Log Service query',
  description:
    "Ask Alibaba's AI tool why a Log Service query failed and how to fix it, given the query and its error message. " +
    'Best effort: Alibaba has deprecated this AI tool (Log Service CallAiTools), so it may stop working; nothing else depends on it.',
  input: {
    cluster_id: clusterIdArg,
    query: z.string().min(1).max(4000).describe('The query that failed'),
    error_message: z.string().min(1).max(4000).describe('The error it produced'),
    ...logstoreInput,
  },
  output: answerShape,
  annotations: readOnlyTool,
  toolsets: ['logs'],
  ramActions: [...LOG_DISCOVERY, 'log:CallAiTools'],
  async run(args, ctx) {
    const { region, project } = await logstoreScope(ctx, args);
    const result = await slsAiToolsAssistant(ctx).diagnoseSql({
      region,
      project: project.value,
      logstore: args.logstore,
      query: args.query,
      errorMessage: args.error_message,
    });
    return { structured: { cluster_id: args.cluster_id, project: project.value, target: args.logstore, ...result }, text: result.answer };
  },
});

export const cmsTranslateTextToPromqlTool = defineTool({
  name: 'cms_translate_text_to_promql',
  title: 'Translate a question into PromQL',
  description:
    'Turn a question in plain words ("CPU usage per node") into PromQL for the cluster\'s managed Prometheus. Best effort: Alibaba has ' +
    'deprecated the AI tool behind it (Log Service CallAiTools), so it may stop working; run the result with cms_execute_promql_query. ' +
    'If translation is unavailable, write the PromQL yourself.',
  input: {
    cluster_id: clusterIdArg,
    text: z.string().min(1).max(2000).describe('The question, in plain words'),
    region: regionArg.optional(),
  },
  output: answerShape,
  annotations: readOnlyTool,
  toolsets: ['metrics'],
  ramActions: [...PROMETHEUS_DISCOVERY, 'log:CallAiTools'],
  async run(args, ctx) {
    const region = await ctx.forCluster(args).region();
    const target = await findPrometheus(ctx, args.cluster_id, region);
    const result = await slsAiToolsAssistant(ctx).textToPromql({
      region,
      project: target.project.value,
      metricstore: target.metricstore.value,
      text: args.text,
    });
    return {
      structured: { cluster_id: args.cluster_id, project: target.project.value, target: target.metricstore.value, ...result },
      text: `PromQL:\n${result.query}\n\nRun it with cms_execute_promql_query.`,
    };
  },
});
