/**
 * One call per tool of the read-write catalogue, with arguments that succeed against the emulator's first cluster:
 * the tests that prove "every tool answers" (the built FC package, the TS client v2 pinned to 2026-07-28) share it.
 * Calls run in order: later ones read the ids earlier ones answered (`answers`).
 */
import assert from 'node:assert/strict';
import type { ClusterRecord } from '../emulator/world.ts';

export type ToolCall = [name: string, args: () => Record<string, unknown>];

export function everyToolCalls(cluster: ClusterRecord): { calls: ToolCall[]; answers: Map<string, Record<string, any>> } {
  // One pool loses a node while another grows: a pool with a task running refuses a second one.
  const shrunk = cluster.nodepools.find((pool) => cluster.nodes.filter((node) => node.nodepool_id === pool.nodepool_id).length > 1);
  const scaled = cluster.nodepools.find((pool) => pool !== shrunk);
  assert.ok(scaled && shrunk, 'the first cluster has two node pools, one with several nodes');
  const node = cluster.nodes.find((candidate) => candidate.nodepool_id === shrunk.nodepool_id)!;
  const base = { cluster_id: cluster.cluster_id };
  const answers = new Map<string, Record<string, any>>();
  const calls: ToolCall[] = [
    ['list_clusters', () => ({})],
    ['list_nodepools', () => base],
    ['list_nodes', () => base],
    ['remove_nodepool_nodes', () => ({ ...base, nodepool_id: shrunk.nodepool_id, instance_ids: [node.instance_id] })],
    ['scale_nodepool', () => ({ ...base, nodepool_id: scaled.nodepool_id, count: 1 })],
    ['describe_task_info', () => ({ ...base, task_id: answers.get('scale_nodepool')!.task_id })],
    ['create_cluster_diagnosis', () => ({ ...base, diagnosis_type: 'node', target: { name: node.node_name } })],
    ['get_cluster_diagnosis_result', () => ({ ...base, diagnosis_id: answers.get('create_cluster_diagnosis')!.diagnosis_id })],
    ['list_log_stores', () => base],
    ['sls_execute_sql_query', () => ({ ...base, query: '* | SELECT reason, count(*) AS n GROUP BY reason' })],
    ['sls_translate_text_to_sql_query', () => ({ ...base, text: 'warning events by reason' })],
    ['sls_diagnose_query', () => ({ ...base, query: '* | SELECT foo', error_message: 'line 1:10: Column foo cannot be resolved' })],
    ['cms_execute_promql_query', () => ({ ...base, query: 'up' })],
    ['cms_translate_text_to_promql', () => ({ ...base, text: 'CPU usage per node' })],
    ['cms_get_node_metrics', () => ({ ...base, metric: 'cpu' })],
    ['kubectl', () => ({ ...base, command: 'get deployments -A' })],
    ['list_cluster_tasks', () => base],
    ['query_inspect_report', () => base],
    ['list_cluster_events', () => base],
    ['list_cluster_addons', () => base],
    ['analyze_workload_cost', () => ({ ...base, namespace: 'default', workload_type: 'deployment', workload_name: 'web' })],
    ['query_audit_log', () => ({ ...base, verbs: ['delete'] })],
    ['query_controlplane_logs', () => ({ ...base, component_name: 'apiserver' })],
    ['sls_describe_logstore', () => ({ ...base, logstore: 'k8s-event' })],
    ['cms_list_metrics', () => ({ ...base, match: 'node_*' })],
    ['check_upgrade_readiness', () => ({ ...base, wait_seconds: 0 })],
  ];
  return { calls, answers };
}
