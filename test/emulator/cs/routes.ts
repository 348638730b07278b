/**
 * ACK (CS, ROA style) operations: method + path → handler. Every handler sees only the
 * caller's own account, so another account's cluster is `ErrorClusterNotFound`, as in ACK.
 */
import type { Caller } from '../authenticate.ts';
import { EmulatorError } from '../http-util.ts';
import type { ClusterRecord, NodePoolRecord, World } from '../world.ts';
import { visibleCluster } from './cluster-scope.ts';
import { clusterDetailView, clusterView, nodePoolView } from './views.ts';
import { lifecycleRoutes } from './lifecycle/index.ts';
import { operatorRoutes } from './operator/routes.ts';

export interface CsRequest {
  caller: Caller;
  world: World;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  now: number;
  requestId: string;
  /** Settings of the emulator the handlers may need (e.g. the fake API server's address). */
  env: CsEnvironment;
  /** The region of the regional endpoint that received the request; undefined on the central endpoint. */
  endpointRegion?: string | undefined;
}

export interface CsEnvironment {
  /** URL of the fake Kubernetes API server that kubeconfigs point at, when one runs. */
  kubeApiServerUrl?: string;
  /** A kubeconfig (YAML) for the fake API server for `user` in `groups`, when one runs. */
  kubeconfigFor?: (user: string, groups: string[]) => string;
  [key: string]: unknown;
}

export interface CsRoute {
  action: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  /** RAM action checked against the key's policy. */
  ramAction: string;
  /** True for operations that change the world (the fault injector's `slow` holds the answer back after them). */
  mutating?: boolean;
  handle(request: CsRequest): Record<string, unknown> | unknown[] | Promise<Record<string, unknown> | unknown[]>;
}

export function findCluster(request: CsRequest, clusterId = request.params.clusterId ?? ''): ClusterRecord {
  return visibleCluster(request.caller, request.endpointRegion, clusterId);
}

export function findNodePool(request: CsRequest, cluster: ClusterRecord): NodePoolRecord {
  const id = request.params.nodepoolId ?? '';
  const pool = cluster.nodepools.find((candidate) => candidate.nodepool_id === id);
  if (!pool) throw new EmulatorError(404, 'ErrorNodePoolNotFound', `The specified node pool ${id} does not exist.`);
  return pool;
}

function pageOf(query: URLSearchParams, sizeKey: string, numberKey: string, maxSize = 100) {
  const size = Number(query.get(sizeKey) ?? '10');
  const number = Number(query.get(numberKey) ?? '1');
  if (!Number.isInteger(size) || size < 1 || size > maxSize) {
    throw new EmulatorError(400, 'InvalidParameter', `${sizeKey} must be an integer from 1 to ${maxSize}.`);
  }
  if (!Number.isInteger(number) || number < 1) throw new EmulatorError(400, 'InvalidParameter', `${numberKey} must be a positive integer.`);
  return { size, number };
}

const readRoutes: CsRoute[] = [
  {
    action: 'DescribeClustersV1',
    method: 'GET',
    pattern: /^\/api\/v1\/clusters$/,
    ramAction: 'cs:DescribeClustersV1',
    handle(request) {
      const { size, number } = pageOf(request.query, 'page_size', 'page_number');
      const region = request.query.get('region_id');
      const name = request.query.get('name');
      const matching = request.caller.account.clusters.filter(
        // `name`: "The cluster name" (DescribeClustersV1Request); the stricter reading, an exact match (a partial match is undocumented).
        (cluster) => (!region || cluster.region_id === region) && (!name || cluster.name === name),
      );
      return {
        clusters: matching.slice((number - 1) * size, number * size).map(clusterView),
        page_info: { page_number: number, page_size: size, total_count: matching.length },
      };
    },
  },
  {
    action: 'DescribeClusterDetail',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)$/,
    ramAction: 'cs:DescribeClusterDetail',
    handle(request) {
      return clusterDetailView(findCluster(request), request.env.kubeApiServerUrl);
    },
  },
  {
    action: 'DescribeClusterNodePools',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/nodepools$/,
    ramAction: 'cs:DescribeClusterNodePools',
    handle(request) {
      const cluster = findCluster(request);
      return { nodepools: cluster.nodepools.map((pool) => nodePoolView(cluster, pool)) };
    },
  },
  {
    action: 'DescribeClusterNodes',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/nodes$/,
    ramAction: 'cs:DescribeClusterNodes',
    handle(request) {
      const cluster = findCluster(request);
      const { size, number } = pageOf(request.query, 'pageSize', 'pageNumber');
      const poolId = request.query.get('nodepool_id');
      if (poolId && !cluster.nodepools.some((pool) => pool.nodepool_id === poolId)) {
        throw new EmulatorError(404, 'ErrorNodePoolNotFound', `The specified node pool ${poolId} does not exist.`);
      }
      const state = request.query.get('state');
      // `instanceIds`: comma-separated ECS instance ids (documented as a string such as "i-bp11…,i-bp1d…").
      const rawIds = request.query.get('instanceIds');
      const ids = rawIds
        ? new Set(
            rawIds
              .split(',')
              .map((id) => id.trim())
              .filter(Boolean),
          )
        : undefined;
      const matching = cluster.nodes.filter(
        (node) =>
          (!poolId || node.nodepool_id === poolId) &&
          (!state || state === 'all' || node.state === state) &&
          (!ids || ids.has(node.instance_id)),
      );
      return {
        nodes: matching.slice((number - 1) * size, number * size).map((node) => ({
          ...node,
          host_name: node.node_name,
          image_id: 'aliyun_3_x64_20G_alibase_20250629.vhd',
          is_aliyun_node: true,
          source: 'ess_attach',
          error_message: '',
        })),
        page: { page_number: number, page_size: size, total_count: matching.length },
      };
    },
  },
];

/** All CS routes. Later issues append their operations here (see `lifecycleRoutes`). */
export const csRoutes: CsRoute[] = [...readRoutes];
csRoutes.push(...lifecycleRoutes);
csRoutes.push(...operatorRoutes);

export function matchCsRoute(method: string, path: string): { route: CsRoute; params: Record<string, string> } | undefined {
  for (const route of csRoutes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, params: { ...(match.groups ?? {}) } };
  }
  return undefined;
}
