/**
 * Every `*.tools.ts` module as a loader of its own, so a `tools/call` loads only the module that defines the called
 * tool (with its zod schemas and the API module it calls) instead of the whole catalogue (`registry.ts`). The build
 * maps each tool name to its module here (`tool-modules.json` of the FC package); `tool-modules.test.ts` checks that
 * these modules define exactly the registry's tools. A new tool module gets a line here as well as in its area's list.
 */
import type { AnyToolDefinition } from './define-tool.ts';

export const TOOL_MODULES = {
  clusters: () => import('./clusters/clusters.tools.ts').then((m) => m.clusterTools),
  nodepools: () => import('./nodepools/nodepools.tools.ts').then((m) => m.nodePoolTools),
  tasks: () => import('./tasks/tasks.tools.ts').then((m) => m.taskTools),
  diagnosis: () => import('./diagnosis/diagnosis.tools.ts').then((m) => m.diagnosisTools),
  kubectl: () => import('./kubectl/kubectl.tools.ts').then((m) => m.kubectlTools),
  upgrade: () => import('./upgrade/upgrade.tools.ts').then((m) => [m.checkUpgradeReadinessTool]),
  'observability/assistant': () =>
    import('./observability/assistant.tools.ts').then((m) => [
      m.slsTranslateTextToSqlTool,
      m.slsDiagnoseQueryTool,
      m.cmsTranslateTextToPromqlTool,
    ]),
  'observability/audit': () => import('./observability/audit.tools.ts').then((m) => [m.queryAuditLogTool]),
  'observability/cms': () => import('./observability/cms.tools.ts').then((m) => [m.cmsGetNodeMetricsTool]),
  'observability/controlplane': () => import('./observability/controlplane.tools.ts').then((m) => [m.queryControlPlaneLogsTool]),
  'observability/discovery': () => import('./observability/discovery.tools.ts').then((m) => [m.listLogStoresTool]),
  'observability/logstore': () => import('./observability/logstore.tools.ts').then((m) => [m.slsDescribeLogstoreTool]),
  'observability/metrics': () => import('./observability/metrics.tools.ts').then((m) => [m.cmsListMetricsTool]),
  'observability/promql': () => import('./observability/promql.tools.ts').then((m) => [m.cmsExecutePromqlQueryTool]),
  'observability/sls': () => import('./observability/sls.tools.ts').then((m) => [m.slsExecuteSqlQueryTool]),
  'operator/addons': () => import('./operator/addons.tools.ts').then((m) => [m.listClusterAddonsTool]),
  'operator/cluster-events': () => import('./operator/cluster-events.tools.ts').then((m) => [m.listClusterEventsTool]),
  'operator/cluster-tasks': () => import('./operator/cluster-tasks.tools.ts').then((m) => [m.listClusterTasksTool]),
  'operator/inspect': () => import('./operator/inspect.tools.ts').then((m) => [m.queryInspectReportTool]),
  'operator/workload-cost': () => import('./operator/workload-cost.tools.ts').then((m) => [m.analyzeWorkloadCostTool]),
} satisfies Record<string, () => Promise<AnyToolDefinition[]>>;

export type ToolModuleName = keyof typeof TOOL_MODULES;

/** Tool name → the module that defines it (what the build writes to `tool-modules.json`). */
export type ToolModuleMap = Record<string, ToolModuleName>;

export function isToolModuleName(name: string): name is ToolModuleName {
  return Object.hasOwn(TOOL_MODULES, name);
}

/** Loads every module once and maps each tool it defines to it (the build does this). */
export async function toolModuleMap(): Promise<ToolModuleMap> {
  const map: ToolModuleMap = {};
  for (const [module, load] of Object.entries(TOOL_MODULES) as Array<[ToolModuleName, () => Promise<AnyToolDefinition[]>]>) {
    for (const tool of await load()) map[tool.name] = module;
  }
  return map;
}
