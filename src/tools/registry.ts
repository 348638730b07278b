/**
 * Every tool the server offers. Each toolset exports an array from its `*.tools.ts`;
 * add a toolset by adding its array here.
 */
import { clusterTools } from './clusters/clusters.tools.ts';
import type { AnyToolDefinition } from './define-tool.ts';
import { observabilityTools } from './observability/index.ts';
import { diagnosisTools } from './diagnosis/diagnosis.tools.ts';
import { kubectlTools } from './kubectl/kubectl.tools.ts';
import { nodePoolTools } from './nodepools/nodepools.tools.ts';
import { taskTools } from './tasks/tasks.tools.ts';
import { upgradeTools } from './upgrade/index.ts';

export const allTools: AnyToolDefinition[] = [...clusterTools];
allTools.push(...nodePoolTools, ...taskTools, ...diagnosisTools);
allTools.push(...observabilityTools);
allTools.push(...kubectlTools);
allTools.push(...upgradeTools);
