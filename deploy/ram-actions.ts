/**
 * The least-privilege RAM policy of the function's role, derived from the tool definitions: each `defineTool` lists
 * the RAM actions it calls (`ramActions`; shared ones in `src/tools/ram.ts`). `deploy/ram-policy.json` (read-write)
 * and `deploy/ram-policy.read-only.json` are this file rendered for every toolset; `test/fc/ram-policy.test.ts` keeps
 * them, the tool registry and the actions the emulator enforces in step.
 * Regenerate the JSON files with `UPDATE_RAM_POLICY=1 node --import tsx --test test/fc/ram-policy.test.ts`; the
 * policy of a toolset selection: `npm run ram-policy -- --toolsets=kubectl,logs [--read-only]`.
 */
import { readOnlyRamActions, servedReadOnly, type AnyToolDefinition } from '../src/tools/define-tool.ts';
import { allTools } from '../src/tools/registry.ts';

/**
 * RAM actions per tool. `readOnlyMode`: the tool is offered in read-only mode (it reads, or it has a read-only variant,
 * as kubectl has); tools that are not are left out of the read-only policy. `readOnlyActions`: what the read-only
 * policy grants for it (a read-only variant's own actions, e.g. without the one that starts a check).
 */
export function toolActions(
  tools: readonly AnyToolDefinition[] = allTools,
): Record<string, { readOnlyMode: boolean; actions: string[]; readOnlyActions: string[] }> {
  return Object.fromEntries(
    tools.map((tool) => [
      tool.name,
      { readOnlyMode: servedReadOnly(tool), actions: [...tool.ramActions], readOnlyActions: [...readOnlyRamActions(tool)] },
    ]),
  );
}

export const TOOL_ACTIONS = toolActions();

/** Where each product's actions apply. CS and CMS: every resource; Log Service: projects and their stores. */
const RESOURCES: Record<string, string[]> = {
  cs: ['*'],
  cms: ['*'],
  log: ['acs:log:*:*:project/*', 'acs:log:*:*:project/*/logstore/*'],
};

/**
 * Actions whose resource differs from their product's: CallAiTools (`POST /ml/tool/call`) names no
 * project, so it cannot match a `project/*` resource.
 */
const ACTION_RESOURCES: Record<string, string[]> = {
  'log:CallAiTools': ['*'],
};

export interface RamPolicy {
  Version: '1';
  Statement: Array<{ Effect: 'Allow'; Action: string[]; Resource: string[] }>;
}

/**
 * The role's policy for a mode: the union of the actions of the tools that mode offers (of `tools`: the registry, or a
 * toolset selection), one statement per product and resource set.
 */
export function ramPolicy(mode: 'read-only' | 'read-write', tools: readonly AnyToolDefinition[] = allTools): RamPolicy {
  const actions = new Set<string>();
  for (const tool of Object.values(toolActions(tools))) {
    for (const action of mode === 'read-only' ? tool.readOnlyActions : tool.actions) actions.add(action);
  }
  const byResources = new Map<string, { actions: string[]; resources: string[] }>();
  for (const action of [...actions].sort()) {
    const resources = ACTION_RESOURCES[action] ?? RESOURCES[action.split(':')[0]!] ?? ['*'];
    const key = `${action.split(':')[0]}|${resources.join(',')}`;
    const group = byResources.get(key) ?? { actions: [], resources };
    group.actions.push(action);
    byResources.set(key, group);
  }
  return {
    Version: '1',
    Statement: [...byResources.values()].map((group) => ({ Effect: 'Allow' as const, Action: group.actions, Resource: group.resources })),
  };
}

/**
 * With signed-in users (AUTH_MODE oauth or both, OAUTH_ASSUME_WITH=role) the function's role also needs
 * `sts:AssumeRole` on exactly the roles OAUTH_ROLE_MAPPING names, and on nothing else. In AUTH_MODE=oauth this is
 * all it needs (every call acts with a user's role); in `both` it keeps the tools' policy for static-token callers.
 * Each mapped role gets the tools' policy of its mapping's access mode and a trust policy naming the function's
 * account (README, "Signed-in users").
 */
export function assumeMappedRolesStatement(roleArns: string[]): RamPolicy['Statement'][number] {
  const unique = [...new Set(roleArns)].sort();
  if (unique.length === 0) throw new Error('no mapped roles: OAUTH_ROLE_MAPPING names none');
  return { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: unique };
}
