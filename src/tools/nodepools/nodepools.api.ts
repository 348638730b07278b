/**
 * Node pool changes over the CS SDK: ScaleClusterNodePool and RemoveNodePoolNodes (both
 * through `callWrite`: never sent twice when the outcome is ambiguous; an answer without a task
 * id counts as unreadable), and the reads that check a request before it is sent. No MCP here.
 */
import type { CsClient, CsModels } from '../../clients/cs-client.ts';
import { loadCsSdk } from '../../clients/cs-client.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { requireAnswerField } from '../../errors/unreadable-answer.ts';
import { callWrite, type RetryPolicy, type WriteDescription } from '../../upstream/call-upstream.ts';
import { listNodePools, listNodes, type NodePoolRow, type NodeRow } from '../clusters/clusters.api.ts';

async function models(): Promise<CsModels> {
  return (await loadCsSdk()).models;
}

/** The node pool `nodepoolId` of the cluster, and the cluster's region as the answer reported it. */
export async function findNodePool(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  nodepoolId: string,
  signal?: AbortSignal,
): Promise<{ pool: NodePoolRow; regionIds: string[] }> {
  const { nodepools, regionIds } = await listNodePools(client, retry, clusterId, signal);
  const pool = nodepools.find((candidate) => candidate.nodepool_id === nodepoolId);
  if (!pool) {
    throw new ToolFailure('ErrorNodePoolNotFound', `Cluster ${clusterId} has no node pool ${nodepoolId}.`, {
      hint: `Its node pools are: ${nodepools.map((p) => `${p.nodepool_id} (${p.name})`).join(', ') || 'none'}. Nothing was changed.`,
    });
  }
  return { pool, regionIds };
}

const NODE_PAGE_SIZE = 100;
const MAX_NODE_PAGES = 100;

/**
 * The cluster's nodes among `instanceIds` (at most 100): one DescribeClusterNodes call filtered
 * by `instanceIds`. Should an answer hold other nodes too (the filter not applied), the further
 * pages are read, so membership is never judged on part of the cluster.
 */
export async function findNodesById(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  instanceIds: string[],
  signal?: AbortSignal,
): Promise<Map<string, NodeRow>> {
  const wanted = new Set(instanceIds);
  const found = new Map<string, NodeRow>();
  for (let pageNumber = 1; pageNumber <= MAX_NODE_PAGES; pageNumber += 1) {
    const { nodes, page } = await listNodes(client, retry, clusterId, { instanceIds, pageNumber, pageSize: NODE_PAGE_SIZE }, signal);
    let filtered = true;
    for (const node of nodes) {
      if (wanted.has(node.instance_id)) found.set(node.instance_id, node);
      else filtered = false;
    }
    const lastPage = nodes.length < NODE_PAGE_SIZE || pageNumber * NODE_PAGE_SIZE >= page.total_count;
    if (filtered || found.size === wanted.size || lastPage) return found;
  }
  throw new ToolFailure(
    'TooManyNodes',
    `Cluster ${clusterId} has more than ${MAX_NODE_PAGES * NODE_PAGE_SIZE} nodes; the membership check stopped.`,
  );
}

export async function scaleNodePool(
  client: CsClient,
  retry: RetryPolicy,
  target: { clusterId: string; nodepoolId: string; count: number },
  description: WriteDescription,
  signal?: AbortSignal,
): Promise<{ taskId: string; requestId: string }> {
  const { ScaleClusterNodePoolRequest } = await models();
  const request = new ScaleClusterNodePoolRequest({ count: target.count });
  const response = await callWrite(
    retry,
    description,
    async () => {
      const answer = await client.scaleClusterNodePool(target.clusterId, target.nodepoolId, request);
      requireAnswerField(answer.body?.taskId, 'task_id');
      return answer;
    },
    signal,
  );
  return { taskId: response.body?.taskId ?? '', requestId: String(response.headers?.['x-acs-request-id'] ?? '') };
}

export async function removeNodePoolNodes(
  client: CsClient,
  retry: RetryPolicy,
  target: { clusterId: string; nodepoolId: string; instanceIds: string[]; drainNode: boolean; releaseNode: boolean; concurrency: boolean },
  description: WriteDescription,
  signal?: AbortSignal,
): Promise<{ taskId: string; requestId: string }> {
  const { RemoveNodePoolNodesRequest } = await models();
  // The SDK JSON-encodes instance_ids into the query string.
  const request = new RemoveNodePoolNodesRequest({
    instanceIds: target.instanceIds,
    drainNode: target.drainNode,
    releaseNode: target.releaseNode,
    concurrency: target.concurrency,
  });
  const response = await callWrite(
    retry,
    description,
    async () => {
      const answer = await client.removeNodePoolNodes(target.clusterId, target.nodepoolId, request);
      requireAnswerField(answer.body?.taskId, 'task_id');
      return answer;
    },
    signal,
  );
  return { taskId: response.body?.taskId ?? '', requestId: response.body?.requestId ?? '' };
}
