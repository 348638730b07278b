/** Plain functions over the CS SDK for clusters, node pools and nodes; no MCP here. */
import type { CsClient, CsModels } from '../../clients/cs-client.ts';
import { loadCsSdk } from '../../clients/cs-client.ts';
import { requireAnswerField } from '../../errors/unreadable-answer.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';

export interface ClusterRow {
  cluster_id: string;
  name: string;
  region_id: string;
  state: string;
  cluster_type: string;
  cluster_spec: string;
  version: string;
  node_count: number;
  created: string;
}

export interface NodePoolRow {
  nodepool_id: string;
  name: string;
  is_default: boolean;
  desired_nodes: number;
  total_nodes: number;
  healthy_nodes: number;
  failed_nodes: number;
  instance_types: string[];
  instance_charge_type: string;
  state: string;
}

export interface NodeRow {
  instance_id: string;
  node_name: string;
  status: string;
  state: string;
  ip_address: string;
  nodepool_id: string;
  instance_type: string;
  instance_charge_type: string;
}

export interface Page {
  page_number: number;
  page_size: number;
  total_count: number;
}

async function models(): Promise<CsModels> {
  return (await loadCsSdk()).models;
}

/** A 200 whose body is `null` (or absent) is not an answer: it is retried like any unreadable one. */
function answered<R extends { body?: unknown }>(response: R): R {
  requireAnswerField(response.body, 'body');
  return response;
}

export async function listClusters(
  client: CsClient,
  retry: RetryPolicy,
  query: { region?: string | undefined; name?: string | undefined; pageNumber: number; pageSize: number },
  signal?: AbortSignal,
): Promise<{ clusters: ClusterRow[]; page: Page }> {
  const { DescribeClustersV1Request } = await models();
  const request = new DescribeClustersV1Request({
    regionId: query.region,
    name: query.name,
    pageNumber: query.pageNumber,
    pageSize: query.pageSize,
  });
  const { body } = await callRead(retry, async () => answered(await client.describeClustersV1(request)), signal);
  return {
    clusters: (body?.clusters ?? []).map((cluster) => ({
      cluster_id: cluster.clusterId ?? '',
      name: cluster.name ?? '',
      region_id: cluster.regionId ?? '',
      state: cluster.state ?? '',
      cluster_type: cluster.clusterType ?? '',
      cluster_spec: cluster.clusterSpec ?? '',
      version: cluster.currentVersion ?? '',
      node_count: cluster.size ?? 0,
      created: cluster.created ?? '',
    })),
    page: {
      page_number: body?.pageInfo?.pageNumber ?? query.pageNumber,
      page_size: body?.pageInfo?.pageSize ?? query.pageSize,
      total_count: body?.pageInfo?.totalCount ?? 0,
    },
  };
}

export interface NodePoolList {
  nodepools: NodePoolRow[];
  /** The regions ACK reported for the pools (`nodepool_info.region_id`): the cluster's region, as ACK sees it. */
  regionIds: string[];
}

export async function listNodePools(client: CsClient, retry: RetryPolicy, clusterId: string, signal?: AbortSignal): Promise<NodePoolList> {
  const { DescribeClusterNodePoolsRequest } = await models();
  const { body } = await callRead(
    retry,
    async () => answered(await client.describeClusterNodePools(clusterId, new DescribeClusterNodePoolsRequest({}))),
    signal,
  );
  const pools = body?.nodepools ?? [];
  const regionIds = [...new Set(pools.map((pool) => pool.nodepoolInfo?.regionId ?? '').filter(Boolean))];
  const nodepools = pools.map((pool) => ({
    nodepool_id: pool.nodepoolInfo?.nodepoolId ?? '',
    name: pool.nodepoolInfo?.name ?? '',
    is_default: pool.nodepoolInfo?.isDefault ?? false,
    desired_nodes: pool.scalingGroup?.desiredSize ?? 0,
    total_nodes: pool.status?.totalNodes ?? 0,
    healthy_nodes: pool.status?.healthyNodes ?? 0,
    failed_nodes: pool.status?.failedNodes ?? 0,
    instance_types: pool.scalingGroup?.instanceTypes ?? [],
    instance_charge_type: pool.scalingGroup?.instanceChargeType ?? '',
    state: pool.status?.state ?? '',
  }));
  return { nodepools, regionIds };
}

export async function listNodes(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  query: { nodepoolId?: string | undefined; instanceIds?: string[] | undefined; pageNumber: number; pageSize: number },
  signal?: AbortSignal,
): Promise<{ nodes: NodeRow[]; page: Page }> {
  const { DescribeClusterNodesRequest } = await models();
  const request = new DescribeClusterNodesRequest({
    nodepoolId: query.nodepoolId,
    // Documented as one string of comma-separated instance ids.
    instanceIds: query.instanceIds?.join(','),
    pageNumber: String(query.pageNumber),
    pageSize: String(query.pageSize),
  });
  const { body } = await callRead(retry, async () => answered(await client.describeClusterNodes(clusterId, request)), signal);
  return {
    nodes: (body?.nodes ?? []).map((node) => ({
      instance_id: node.instanceId ?? '',
      node_name: node.nodeName ?? '',
      status: node.nodeStatus ?? '',
      state: node.state ?? '',
      ip_address: (node.ipAddress ?? []).join(','),
      nodepool_id: node.nodepoolId ?? '',
      instance_type: node.instanceType ?? '',
      instance_charge_type: node.instanceChargeType ?? '',
    })),
    page: {
      page_number: body?.page?.pageNumber ?? query.pageNumber,
      page_size: body?.page?.pageSize ?? query.pageSize,
      total_count: body?.page?.totalCount ?? 0,
    },
  };
}
