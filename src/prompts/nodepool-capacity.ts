/** Prompt: is a cluster's node pool capacity right — pools, nodes, metrics — and a scale plan. */
import { definePrompt, promptArgs, steps } from './define-prompt.ts';

export const nodepoolCapacity = definePrompt({
  name: 'nodepool_capacity',
  title: 'Node pool capacity and scale plan',
  description:
    "Review the capacity of a cluster's node pools: the pools, their nodes, CPU and memory use over the last hours, and a scale plan (how many nodes to add or remove per pool) for a target utilisation.",
  arguments: {
    cluster_id: { description: 'ACK cluster id (list_clusters shows them)', required: true, schema: promptArgs.clusterId },
    nodepool_id: { description: 'Only this node pool (default: every pool)', required: false, schema: promptArgs.nodePoolId },
    target_utilization: {
      description: 'Target CPU and memory use per node, in percent (default 70)',
      required: false,
      schema: promptArgs.percent,
    },
  },
  render({ cluster_id, nodepool_id, target_utilization = '70' }) {
    const pools = nodepool_id ? `node pool ${nodepool_id}` : 'every node pool';
    const scope = nodepool_id ? `, nodepool_id "${nodepool_id}"` : '';
    return [
      `Review the capacity of ${pools} of ACK cluster ${cluster_id} and propose a scale plan for a target of ${target_utilization}% CPU and memory use per node.`,
      '',
      steps([
        `The pools: \`list_nodepools\` with cluster_id "${cluster_id}" — desired, total, healthy and failed nodes, instance types, state.`,
        `The nodes: \`list_nodes\` with cluster_id "${cluster_id}"${scope} — which are Ready, their instance types and charge type.`,
        `Use over time: \`cms_get_node_metrics\` with cluster_id "${cluster_id}"${scope}, metric "cpu" and period 3600, then the same with metric "memory". Note the average and the peak per pool.`,
        `Pressure on the nodes: \`kubectl\` with cluster_id "${cluster_id}" and command "describe nodes" (Allocated resources: requests and limits against allocatable; MemoryPressure, DiskPressure), and "get pods -A --field-selector=status.phase=Pending" for pods that found no room.`,
        `The plan, per pool: nodes needed = ceil(current nodes × peak use ÷ ${target_utilization}%), never below what the pods' requests need; the difference is the nodes to add or remove. Say which figure decided it.`,
      ]),
      '',
      'Show the plan as a table (pool, nodes now, peak CPU, peak memory, nodes needed, change). Do not scale anything yourself: ' +
        'adding nodes is `scale_nodepool` (count = nodes to ADD) and removing them is `remove_nodepool_nodes` (drains first); ' +
        "both change the cluster and cost money, so they need the operator's go-ahead (the server asks to confirm when the client can).",
    ].join('\n');
  },
});
