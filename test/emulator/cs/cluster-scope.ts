/**
 * Which clusters a request can see: only the caller's own account's (another account's cluster
 * is `ErrorClusterNotFound`, as in ACK), and on a regional endpoint only that region's.
 *
 * What ACK answers when a regional endpoint (cs.cn-beijing.aliyuncs.com) is asked about a cluster
 * of another region is unconfirmed: its documentation only says to use the endpoint of the
 * cluster's region. The emulator answers `ErrorClusterNotFound`, so a call sent to the wrong
 * regional endpoint fails in tests. The central endpoint answers for every region.
 */
import type { Caller } from '../authenticate.ts';
import { EmulatorError } from '../http-util.ts';
import type { ClusterRecord } from '../world.ts';

export function visibleCluster(caller: Caller, endpointRegion: string | undefined, clusterId: string): ClusterRecord {
  const cluster = caller.account.clusters.find((candidate) => candidate.cluster_id === clusterId);
  if (!cluster || (endpointRegion !== undefined && cluster.region_id !== endpointRegion)) {
    throw new EmulatorError(404, 'ErrorClusterNotFound', `The specified cluster ${clusterId} does not exist.`);
  }
  return cluster;
}

/** True when a record of `regionId` is visible at the endpoint (the central one sees every region). */
export function visibleAt(endpointRegion: string | undefined, regionId: string): boolean {
  return endpointRegion === undefined || endpointRegion === regionId;
}
