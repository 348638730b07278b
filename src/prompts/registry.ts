/** Every prompt the server offers: add a prompt's definition here. */
import { beforeUpgrade } from './before-upgrade.ts';
import type { PromptDefinition } from './define-prompt.ts';
import { nodepoolCapacity } from './nodepool-capacity.ts';
import { troubleshootWorkload } from './troubleshoot-workload.ts';

export const allPrompts: PromptDefinition[] = [troubleshootWorkload, nodepoolCapacity, beforeUpgrade] as PromptDefinition[];
