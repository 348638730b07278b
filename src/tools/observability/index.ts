/** The observability toolset: Log Service SQL, PromQL, CloudMonitor node metrics and query helpers. */
import { cmsTranslateTextToPromqlTool, slsDiagnoseQueryTool, slsTranslateTextToSqlTool } from './assistant.tools.ts';
import { queryAuditLogTool } from './audit.tools.ts';
import { cmsGetNodeMetricsTool } from './cms.tools.ts';
import { queryControlPlaneLogsTool } from './controlplane.tools.ts';
import { listLogStoresTool } from './discovery.tools.ts';
import { slsDescribeLogstoreTool } from './logstore.tools.ts';
import { cmsListMetricsTool } from './metrics.tools.ts';
import { cmsExecutePromqlQueryTool } from './promql.tools.ts';
import { slsExecuteSqlQueryTool } from './sls.tools.ts';

export const observabilityTools = [
  listLogStoresTool,
  slsExecuteSqlQueryTool,
  slsTranslateTextToSqlTool,
  slsDiagnoseQueryTool,
  cmsExecutePromqlQueryTool,
  cmsTranslateTextToPromqlTool,
  cmsGetNodeMetricsTool,
  queryAuditLogTool,
  queryControlPlaneLogsTool,
  slsDescribeLogstoreTool,
  cmsListMetricsTool,
];
