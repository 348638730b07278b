/**
 * The least-privilege RAM policy of the function's role, derived from what each tool calls
 * (its `*.api.ts` and `src/cluster`, `src/tools/observability/discovery.ts`). Every tool that
 * takes a `cluster_id` first finds the cluster's region with `cs:DescribeClusterDetail`.
 *
 * `deploy/ram-policy.json` (read-write) and `deploy/ram-policy.read-only.json` are this file
 * rendered; `test/fc/ram-policy.test.ts` keeps them, the tool registry and the actions the
 * emulator enforces in step: a new tool fails that test until its actions are listed here.
 * Regenerate the JSON files with `UPDATE_RAM_POLICY=1 node --import tsx --test test/fc/ram-policy.test.ts`.
 */
const REGION = 'cs:DescribeClusterDetail';
/** Control-plane logstores are looked up with CheckControlPlaneLogEnable, audit logstores with GetClusterAuditProject. */
const LOG_DISCOVERY = [REGION, 'cs:CheckControlPlaneLogEnable', 'cs:GetClusterAuditProject'];
/** The account id for the Prometheus project comes from STS GetCallerIdentity, which needs no RAM permission. */
const PROMETHEUS_DISCOVERY = [REGION];

/**
 * RAM actions per tool. `readOnlyMode`: the tool is offered in read-only mode (it reads, or it has a
 * read-only variant, as kubectl has); tools that are not are left out of the read-only policy.
 */
export const TOOL_ACTIONS: Record<string, { readOnlyMode: boolean; actions: string[] }> = {
  list_clusters: { readOnlyMode: true, actions: ['cs:DescribeClustersV1'] },
  list_nodepools: { readOnlyMode: true, actions: [REGION, 'cs:DescribeClusterNodePools'] },
  list_nodes: { readOnlyMode: true, actions: [REGION, 'cs:DescribeClusterNodes'] },
  scale_nodepool: { readOnlyMode: false, actions: [REGION, 'cs:DescribeClusterNodePools', 'cs:ScaleClusterNodePool'] },
  remove_nodepool_nodes: { readOnlyMode: false, actions: [REGION, 'cs:DescribeClusterNodes', 'cs:RemoveNodePoolNodes'] },
  describe_task_info: { readOnlyMode: true, actions: [REGION, 'cs:DescribeTaskInfo'] },
  create_cluster_diagnosis: { readOnlyMode: false, actions: [REGION, 'cs:CreateClusterDiagnosis'] },
  get_cluster_diagnosis_result: { readOnlyMode: true, actions: [REGION, 'cs:GetClusterDiagnosisResult', 'cs:GetClusterDiagnosisCheckItems'] },
  // kubectl's rights inside the cluster come from the ACK RBAC bound to the role (README, Security);
  // in read-only mode the server runs only its read-only variant.
  kubectl: { readOnlyMode: true, actions: [REGION, 'cs:DescribeClusterUserKubeconfig'] },
  list_log_stores: { readOnlyMode: true, actions: [...LOG_DISCOVERY, ...PROMETHEUS_DISCOVERY, 'log:ListLogStores', 'arms:GetPrometheusInstance'] },
  sls_execute_sql_query: { readOnlyMode: true, actions: [...LOG_DISCOVERY, 'log:GetLogStoreLogs'] },
  sls_translate_text_to_sql_query: { readOnlyMode: true, actions: [...LOG_DISCOVERY, 'log:CallAiTools'] },
  sls_diagnose_query: { readOnlyMode: true, actions: [...LOG_DISCOVERY, 'log:CallAiTools'] },
  cms_translate_text_to_promql: { readOnlyMode: true, actions: [...PROMETHEUS_DISCOVERY, 'log:CallAiTools'] },
  // PromQL is served by Log Service's Prometheus API on the cluster's metricstore.
  cms_execute_promql_query: { readOnlyMode: true, actions: [...PROMETHEUS_DISCOVERY, 'log:GetLogStoreLogs', 'arms:GetPrometheusInstance'] },
  cms_get_node_metrics: { readOnlyMode: true, actions: [REGION, 'cs:DescribeClusterNodes', 'cms:DescribeMetricList'] },
};

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

/** The role's policy for a mode: the union of the actions of the tools that mode offers, one statement per product and resource set. */
export function ramPolicy(mode: 'read-only' | 'read-write'): RamPolicy {
  const actions = new Set<string>();
  for (const tool of Object.values(TOOL_ACTIONS)) {
    if (mode === 'read-only' && !tool.readOnlyMode) continue;
    for (const action of tool.actions) actions.add(action);
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
