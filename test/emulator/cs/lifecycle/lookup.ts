/**
 * Lookups the lifecycle operations share. They mirror `findCluster`/`findNodePool` in
 * `../routes.ts` without importing it at runtime (routes.ts imports this folder).
 */
import { EmulatorError } from '../../http-util.ts';
import type { ClusterRecord, NodePoolRecord } from '../../world.ts';
import { visibleCluster } from '../cluster-scope.ts';
import type { CsRequest } from '../routes.ts';

export function ownCluster(request: CsRequest, clusterId = request.params.clusterId ?? ''): ClusterRecord {
  return visibleCluster(request.caller, request.endpointRegion, clusterId);
}

export function ownNodePool(request: CsRequest, cluster: ClusterRecord): NodePoolRecord {
  const id = request.params.nodepoolId ?? '';
  const pool = cluster.nodepools.find((candidate) => candidate.nodepool_id === id);
  if (!pool) throw new EmulatorError(404, 'ErrorNodePoolNotFound', `The specified node pool ${id} does not exist.`);
  return pool;
}

export function invalid(message: string): EmulatorError {
  return new EmulatorError(400, 'InvalidParameter', message);
}
