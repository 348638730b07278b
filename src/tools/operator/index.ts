/** The operator tools (issue 13): tasks, inspection, events, addons, workload sizing. */
import { listClusterAddonsTool } from './addons.tools.ts';
import { listClusterEventsTool } from './cluster-events.tools.ts';
import { listClusterTasksTool } from './cluster-tasks.tools.ts';
import { queryInspectReportTool } from './inspect.tools.ts';
import { analyzeWorkloadCostTool } from './workload-cost.tools.ts';

export const operatorTools = [
  listClusterTasksTool,
  queryInspectReportTool,
  listClusterEventsTool,
  listClusterAddonsTool,
  analyzeWorkloadCostTool,
];
