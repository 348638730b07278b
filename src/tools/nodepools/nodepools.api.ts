/**
 * Node pool changes over the CS SDK: ScaleClusterNodePool and RemoveNodePoolNodes (both
 * through `callWrite`: never sent twice when the outcome is ambiguous), and the reads that
 * check a request before it is sent. No MCP here.
 */
import type { CsClient, CsModels } from '../../clients/cs-client.ts';
import { loadCsSdk } from '../../clients/cs-client.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { callWrite, type RetryPolicy, type WriteDescription } from '../../upstream/call-upstream.ts';
import { listNodePools, listNodes, type NodePoolRow, type NodeRow } from '../clusters/clusters.api.ts';

async function models(): Promise<CsModels> {
  return (await loadCsSdk()).models;
}

export async function findNodePool(client: CsClient, retry: RetryPolicy, clusterId: string, nodepoolId: string, signal?: AbortSignal): Promise<NodePoolRow> {
  const pools = await listNodePools(client, retry, clusterId, signal);
  const pool = pools.find((candidate) => candidate.nodepool_id === nodepoolId);
  if (!pool) {
    throw new ToolFailure('ErrorNodePoolNotFound', `Cluster ${clusterId} has no node pool ${nodepoolId}.`, {
      hint: `Its node pools are: ${pools.map((p) => `${p.nodepool_id} (${p.name})`).join(', ') || 'none'}. Nothing was changed.`,
    });
  }
  return pool;
}

const NODE_PAGE_SIZE = 100;
const MAX_NODE_PAGES = 100;

/** Every node of one node pool, paging through DescribeClusterNodes. */
export async function listAllPoolNodes(client: CsClient, retry: RetryPolicy, clusterId: string, nodepoolId: string, signal?: AbortSignal): Promise<NodeRow[]> {
  const nodes: NodeRow[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_NODE_PAGES; pageNumber += 1) {
    const { nodes: page, page: info } = await listNodes(client, retry, clusterId, { nodepoolId, pageNumber, pageSize: NODE_PAGE_SIZE }, signal);
    nodes.push(...page);
    if (page.length < NODE_PAGE_SIZE || nodes.length >= info.total_count) return nodes;
  }
  throw new ToolFailure('TooManyNodes', `Node pool ${nodepoolId} has more than ${MAX_NODE_PAGES * NODE_PAGE_SIZE} nodes; the membership check stopped.`);
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
  const response = await callWrite(retry, description, () => client.scaleClusterNodePool(target.clusterId, target.nodepoolId, request), signal);
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
  const response = await callWrite(retry, description, () => client.removeNodePoolNodes(target.clusterId, target.nodepoolId, request), signal);
  return { taskId: response.body?.taskId ?? '', requestId: response.body?.requestId ?? '' };
}
