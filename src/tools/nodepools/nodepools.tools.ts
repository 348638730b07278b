/** Node pool changes: scale_nodepool (adds nodes) and remove_nodepool_nodes. Both are billed, destructive and never sent twice. */
import { z } from 'zod';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { clusterIdArg, instanceIdArg, nodePoolIdArg, regionArg } from '../args.ts';
import { defineTool, type ToolAnnotations } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { findNodePool, findNodesById, removeNodePoolNodes, scaleNodePool } from './nodepools.api.ts';

/** Changes billed infrastructure; repeating it repeats the change. */
const destructiveWrite: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

function followTask(taskId: string, clusterId: string): string {
  return `Follow it with describe_task_info {"task_id": "${taskId}", "cluster_id": "${clusterId}", "wait_seconds": 60}; list_nodepools shows the sizes.`;
}

export const scaleNodePoolTool = defineTool({
  name: 'scale_nodepool',
  title: 'Add nodes to a node pool',
  description:
    'Scale out an ACK node pool: `count` is the number of nodes to ADD (1-500), not the target size. ' +
    'Creates billed ECS instances. Answers the task id and the pool size before the call; follow the task with describe_task_info. ' +
    'Not idempotent: calling it twice adds nodes twice. If the answer says the outcome is unknown, check list_nodepools before retrying. ' +
    'If ECS cannot create every instance (quota, stock) the task fails, but the pool keeps its new expected size and ACK retries until it has it.',
  input: {
    cluster_id: clusterIdArg,
    nodepool_id: nodePoolIdArg,
    count: z.number().int().min(1).max(500).describe('Number of nodes to ADD to the pool, 1-500'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    region_id: z.string(),
    nodepool_id: z.string(),
    nodepool_name: z.string(),
    nodes_added: z.number(),
    desired_nodes_before: z.number(),
    total_nodes_before: z.number(),
    desired_nodes_expected: z.number(),
    task_id: z.string(),
    next_step: z.string(),
  },
  annotations: destructiveWrite,
  toolsets: ['nodepools'],
  ramActions: [CLUSTER_REGION, 'cs:DescribeClusterNodePools', 'cs:ScaleClusterNodePool'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    ctx.note({ nodepool: args.nodepool_id });
    const client = await cluster.cs();
    const { pool, regionIds } = await findNodePool(client, ctx.retry, args.cluster_id, args.nodepool_id, ctx.signal);
    // Before anything is changed: a region the caller named must be the cluster's.
    const region = await cluster.confirmRegion(regionIds);
    const { taskId } = await scaleNodePool(
      client,
      ctx.retry,
      { clusterId: args.cluster_id, nodepoolId: args.nodepool_id, count: args.count },
      {
        summary: `add ${args.count} node(s) to node pool ${args.nodepool_id} of cluster ${args.cluster_id}`,
        howToCheck:
          `Call list_nodepools for cluster ${args.cluster_id}: if node pool ${args.nodepool_id} shows a desired size of ` +
          `${pool.desired_nodes + args.count} (it was ${pool.desired_nodes}) or state scaling, the scale-out was applied.`,
      },
      ctx.signal,
    );
    ctx.note({ task: taskId });
    const next = followTask(taskId, args.cluster_id);
    return {
      structured: {
        cluster_id: args.cluster_id,
        region_id: region,
        nodepool_id: pool.nodepool_id,
        nodepool_name: pool.name,
        nodes_added: args.count,
        desired_nodes_before: pool.desired_nodes,
        total_nodes_before: pool.total_nodes,
        desired_nodes_expected: pool.desired_nodes + args.count,
        task_id: taskId,
        next_step: next,
      },
      text:
        `Scale-out started: adding ${args.count} node(s) to node pool ${pool.name} (${pool.nodepool_id}) of cluster ${args.cluster_id}.\n` +
        `Before: desired ${pool.desired_nodes}, total ${pool.total_nodes}, healthy ${pool.healthy_nodes}. Expected desired size: ${pool.desired_nodes + args.count}.\n` +
        `Task: ${taskId}. ${next}`,
    };
  },
});

export const removeNodePoolNodesTool = defineTool({
  name: 'remove_nodepool_nodes',
  title: 'Remove nodes from a node pool',
  description:
    "Remove nodes (by ECS instance id, 1-100) from an ACK node pool; the pool's desired size shrinks accordingly. " +
    'Checks first that every instance belongs to that node pool (list_nodes shows them) and refuses otherwise. ' +
    'drain_node (default true) evicts pods first; release_node (default false) also releases the ECS instances - ' +
    'prepaid (subscription) instances are never released, only removed from the cluster. Answers a task id for describe_task_info.',
  input: {
    cluster_id: clusterIdArg,
    nodepool_id: nodePoolIdArg,
    instance_ids: z.array(instanceIdArg).min(1).max(100).describe('ECS instance ids of the nodes to remove, 1-100'),
    drain_node: z.boolean().default(true).describe('Drain (evict pods from) the nodes before removing them (default true)'),
    release_node: z
      .boolean()
      .default(false)
      .describe('Also release (delete) the ECS instances (default false). Prepaid instances are never released.'),
    concurrency: z.boolean().default(false).describe('Remove the nodes concurrently instead of in batches (default false)'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    region_id: z.string(),
    nodepool_id: z.string(),
    task_id: z.string(),
    nodes: z.array(z.object({ instance_id: z.string(), node_name: z.string(), instance_charge_type: z.string() })),
    drain_node: z.boolean(),
    release_node: z.boolean(),
    concurrency: z.boolean(),
    prepaid_instance_ids: z.array(z.string()).describe('Removed from the cluster but never released'),
    next_step: z.string(),
  },
  annotations: destructiveWrite,
  toolsets: ['nodepools'],
  ramActions: [CLUSTER_REGION, 'cs:DescribeClusterNodes', 'cs:RemoveNodePoolNodes'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    ctx.note({ nodepool: args.nodepool_id });
    const instanceIds = [...new Set(args.instance_ids)];
    const client = await cluster.cs();
    const byId = await findNodesById(client, ctx.retry, args.cluster_id, instanceIds, ctx.signal);
    const outside = instanceIds.filter((id) => byId.get(id)?.nodepool_id !== args.nodepool_id);
    if (outside.length > 0) {
      const where = (id: string) => {
        const pool = byId.get(id)?.nodepool_id;
        return `${id} (${pool ? `in node pool ${pool}` : 'not a node of this cluster'})`;
      };
      throw new ToolFailure(
        'InstancesNotInNodePool',
        `${outside.length === 1 ? 'This instance is' : 'These instances are'} not in node pool ${args.nodepool_id} of cluster ${args.cluster_id}: ${outside.map(where).join(', ')}. Nothing was removed.`,
        { hint: 'list_nodes with cluster_id (and without nodepool_id) shows which node pool each instance belongs to.' },
      );
    }
    const nodes = instanceIds.map((id) => byId.get(id)!);
    // Before anything is changed: a region the caller named must be the cluster's (nodes do not carry one).
    const region = await cluster.confirmRegion();
    const prepaid = nodes.filter((node) => node.instance_charge_type === 'PrePaid').map((node) => node.instance_id);
    const { taskId } = await removeNodePoolNodes(
      client,
      ctx.retry,
      {
        clusterId: args.cluster_id,
        nodepoolId: args.nodepool_id,
        instanceIds,
        drainNode: args.drain_node,
        releaseNode: args.release_node,
        concurrency: args.concurrency,
      },
      {
        summary: `remove ${instanceIds.length} node(s) (${instanceIds.join(', ')}) from node pool ${args.nodepool_id} of cluster ${args.cluster_id}`,
        howToCheck: `Call list_nodes with cluster_id ${args.cluster_id} and nodepool_id ${args.nodepool_id}: nodes in state removing, or missing, show that the removal was applied.`,
      },
      ctx.signal,
    );
    ctx.note({ task: taskId });
    const next = followTask(taskId, args.cluster_id);
    const release = args.release_node
      ? `The ECS instances will be released${prepaid.length ? `, except prepaid ones, which are never released: ${prepaid.join(', ')}` : ''}.`
      : 'The ECS instances are kept (not released) and keep billing until you release them.';
    return {
      structured: {
        cluster_id: args.cluster_id,
        region_id: region,
        nodepool_id: args.nodepool_id,
        task_id: taskId,
        nodes: nodes.map((node) => ({
          instance_id: node.instance_id,
          node_name: node.node_name,
          instance_charge_type: node.instance_charge_type,
        })),
        drain_node: args.drain_node,
        release_node: args.release_node,
        concurrency: args.concurrency,
        prepaid_instance_ids: prepaid,
        next_step: next,
      },
      text:
        `Removal started: ${nodes.length} node(s) leave node pool ${args.nodepool_id} of cluster ${args.cluster_id}: ` +
        `${nodes.map((node) => `${node.instance_id} (${node.node_name})`).join(', ')}.\n` +
        `${args.drain_node ? 'Pods are drained first.' : 'Pods are NOT drained first.'} ${release}\n` +
        `Task: ${taskId}. ${next}`,
    };
  },
});

export const nodePoolTools = [scaleNodePoolTool, removeNodePoolNodesTool];
