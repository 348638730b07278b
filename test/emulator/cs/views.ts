/** How ACK renders clusters, node pools and nodes in its answers (snake_case, as the API does). */
import type { ClusterRecord, NodePoolRecord } from '../world.ts';

export function clusterView(cluster: ClusterRecord): Record<string, unknown> {
  return {
    cluster_id: cluster.cluster_id,
    name: cluster.name,
    region_id: cluster.region_id,
    state: cluster.state,
    cluster_type: cluster.cluster_type,
    cluster_spec: cluster.cluster_spec,
    profile: cluster.profile,
    current_version: cluster.current_version,
    vpc_id: cluster.vpc_id,
    created: cluster.created,
    updated: cluster.created,
    size: cluster.nodes.length,
    deletion_protection: true,
    resource_group_id: 'rg-acfmdemo000000',
  };
}

export function clusterDetailView(cluster: ClusterRecord, apiServer: string | undefined): Record<string, unknown> {
  return {
    ...clusterView(cluster),
    master_url: JSON.stringify({
      api_server_endpoint: apiServer ?? `https://47.96.0.${cluster.name.length}:6443`,
      intranet_api_server_endpoint: apiServer ?? `https://192.168.0.${cluster.name.length}:6443`,
    }),
    zone_id: `${cluster.region_id}-k`,
    container_cidr: '172.20.0.0/16',
    service_cidr: '192.168.0.0/16',
  };
}

export function nodePoolView(cluster: ClusterRecord, pool: NodePoolRecord): Record<string, unknown> {
  const nodes = cluster.nodes.filter((node) => node.nodepool_id === pool.nodepool_id);
  const count = (state: string) => nodes.filter((node) => node.state === state).length;
  return {
    nodepool_info: {
      nodepool_id: pool.nodepool_id,
      name: pool.name,
      type: pool.type,
      is_default: pool.is_default,
      region_id: cluster.region_id,
      resource_group_id: 'rg-acfmdemo000000',
      created: cluster.created,
      updated: cluster.created,
    },
    status: {
      total_nodes: nodes.length,
      healthy_nodes: nodes.filter((node) => node.state === 'running' && node.node_status === 'Ready').length,
      serving_nodes: count('running'),
      initial_nodes: count('initial'),
      removing_nodes: count('removing'),
      failed_nodes: count('failed'),
      offline_nodes: 0,
      spot_nodes: 0,
      state: pool.state,
    },
    scaling_group: {
      desired_size: pool.desired_size,
      instance_types: pool.instance_types,
      vswitch_ids: pool.vswitch_ids,
      instance_charge_type: pool.instance_charge_type,
      system_disk_category: 'cloud_essd',
      system_disk_size: 120,
    },
    kubernetes_config: { runtime: 'containerd', runtime_version: '1.6.39' },
    node_components: [{ name: 'kubelet', version: pool.kubelet_version ?? cluster.current_version }],
  };
}
