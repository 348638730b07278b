/**
 * Every tool the server offers. Each area exports an array from its `*.tools.ts`; add an area by adding its array
 * here. `toolsFor` is the selection a deployment serves (`TOOLSETS`).
 */
import type { Toolset } from '../toolsets.ts';
import { clusterTools } from './clusters/clusters.tools.ts';
import type { AnyToolDefinition } from './define-tool.ts';
import { diagnosisTools } from './diagnosis/diagnosis.tools.ts';
import { kubectlTools } from './kubectl/kubectl.tools.ts';
import { nodePoolTools } from './nodepools/nodepools.tools.ts';
import { observabilityTools } from './observability/index.ts';
import { operatorTools } from './operator/index.ts';
import { taskTools } from './tasks/tasks.tools.ts';
import { upgradeTools } from './upgrade/index.ts';

export const allTools: AnyToolDefinition[] = [...clusterTools];
allTools.push(...nodePoolTools, ...taskTools, ...diagnosisTools);
allTools.push(...observabilityTools);
allTools.push(...kubectlTools);
allTools.push(...operatorTools);
allTools.push(...upgradeTools);

/** The tools of the selected toolsets, in registry order (a tool in several toolsets once). */
export function toolsFor(toolsets: readonly Toolset[]): AnyToolDefinition[] {
  return allTools.filter((tool) => tool.toolsets.some((toolset) => toolsets.includes(toolset)));
}
