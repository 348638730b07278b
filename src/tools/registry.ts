/**
 * Every tool the server offers. Each toolset exports an array from its `*.tools.ts`;
 * add a toolset by adding its array here.
 */
import { clusterTools } from './clusters/clusters.tools.ts';
import type { AnyToolDefinition } from './define-tool.ts';
import { observabilityTools } from './observability/index.ts';

export const allTools: AnyToolDefinition[] = [...clusterTools];
allTools.push(...observabilityTools);
