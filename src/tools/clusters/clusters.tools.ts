/** Cluster discovery tools: list_clusters, list_nodepools, list_nodes. */
import { z } from 'zod';
import { clusterIdArg, nodePoolIdArg, pageNumberArg, pageSizeArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { table } from '../render.ts';
import { listClusters, listNodePools, listNodes } from './clusters.api.ts';

const page = z.object({ page_number: z.number(), page_size: z.number(), total_count: z.number() });

function moreHint(p: z.infer<typeof page>, what: string): string {
  const shown = Math.min(p.page_number * p.page_size, p.total_count);
  return shown < p.total_count ? `\nShowing ${shown} of ${p.total_count} ${what}; ask for page_number ${p.page_number + 1} for more.` : '';
}

export const listClustersTool = defineTool({
  name: 'list_clusters',
  title: 'List ACK clusters',
  description:
    'List the ACK clusters the credentials can see, across all regions unless `region` is given. ' +
    'Returns id, name, region, state, type, Kubernetes version and node count. Use the cluster_id with the other tools.',
  input: {
    region: regionArg.optional(),
    name: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(
        "Only the cluster with this name (ACK's filter: give the full name; whether ACK also matches part of a name is not documented)",
      ),
    page_number: pageNumberArg(),
    page_size: pageSizeArg(100, 20),
  },
  output: {
    clusters: z.array(
      z.object({
        cluster_id: z.string(),
        name: z.string(),
        region_id: z.string(),
        state: z.string(),
        cluster_type: z.string(),
        cluster_spec: z.string(),
        version: z.string(),
        node_count: z.number(),
        created: z.string(),
      }),
    ),
    page,
  },
  annotations: readOnlyTool,
  toolsets: ['clusters'],
  ramActions: ['cs:DescribeClustersV1'],
  async run(args, ctx) {
    const region = args.region ?? ctx.callerRegion;
    const client = await ctx.cs(region);
    const result = await listClusters(
      client,
      ctx.retry,
      { region, name: args.name, pageNumber: args.page_number, pageSize: args.page_size },
      ctx.signal,
    );
    const text =
      result.clusters.length === 0
        ? `No clusters found${region ? ` in ${region}` : ''}${args.name ? ` named "${args.name}" (ACK's name filter may need the full name: omit name to list them all)` : ''} for these credentials.`
        : table(
            ['CLUSTER_ID', 'NAME', 'REGION', 'STATE', 'TYPE', 'VERSION', 'NODES'],
            result.clusters.map((c) => [
              c.cluster_id,
              c.name,
              c.region_id,
              c.state,
              c.cluster_spec || c.cluster_type,
              c.version,
              c.node_count,
            ]),
          ) + moreHint(result.page, 'clusters');
    return { structured: result, text };
  },
});

export const listNodePoolsTool = defineTool({
  name: 'list_nodepools',
  title: 'List node pools',
  description: 'List the node pools of an ACK cluster: id, name, desired/total/healthy/failed nodes, instance types, billing and state.',
  input: { cluster_id: clusterIdArg, region: regionArg.optional() },
  output: {
    cluster_id: z.string(),
    region_id: z.string().describe("The cluster's region, as ACK reported it"),
    nodepools: z.array(
      z.object({
        nodepool_id: z.string(),
        name: z.string(),
        is_default: z.boolean(),
        desired_nodes: z.number(),
        total_nodes: z.number(),
        healthy_nodes: z.number(),
        failed_nodes: z.number(),
        instance_types: z.array(z.string()),
        instance_charge_type: z.string(),
        state: z.string(),
      }),
    ),
  },
  annotations: readOnlyTool,
  toolsets: ['nodepools'],
  ramActions: [CLUSTER_REGION, 'cs:DescribeClusterNodePools'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const { nodepools, regionIds } = await listNodePools(await cluster.cs(), ctx.retry, args.cluster_id, ctx.signal);
    const region = await cluster.confirmRegion(regionIds);
    const text =
      nodepools.length === 0
        ? `Cluster ${args.cluster_id} has no node pools.`
        : table(
            ['NODEPOOL_ID', 'NAME', 'DESIRED', 'TOTAL', 'HEALTHY', 'FAILED', 'INSTANCE_TYPES', 'BILLING', 'STATE'],
            nodepools.map((p) => [
              p.nodepool_id,
              p.name + (p.is_default ? ' (default)' : ''),
              p.desired_nodes,
              p.total_nodes,
              p.healthy_nodes,
              p.failed_nodes,
              p.instance_types.join(','),
              p.instance_charge_type,
              p.state,
            ]),
          );
    return { structured: { cluster_id: args.cluster_id, region_id: region, nodepools }, text };
  },
});

export const listNodesTool = defineTool({
  name: 'list_nodes',
  title: 'List cluster nodes',
  description:
    'List the nodes of an ACK cluster, optionally of one node pool: ECS instance id, Kubernetes node name, status, IP and node pool. ' +
    'Use the instance ids with remove_nodepool_nodes.',
  input: {
    cluster_id: clusterIdArg,
    nodepool_id: nodePoolIdArg.optional(),
    region: regionArg.optional(),
    page_number: pageNumberArg(),
    page_size: pageSizeArg(100, 50),
  },
  output: {
    cluster_id: z.string(),
    nodes: z.array(
      z.object({
        instance_id: z.string(),
        node_name: z.string(),
        status: z.string(),
        state: z.string(),
        ip_address: z.string(),
        nodepool_id: z.string(),
        instance_type: z.string(),
        instance_charge_type: z.string(),
      }),
    ),
    page,
  },
  annotations: readOnlyTool,
  toolsets: ['nodepools'],
  ramActions: [CLUSTER_REGION, 'cs:DescribeClusterNodes'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const result = await listNodes(
      await cluster.cs(),
      ctx.retry,
      args.cluster_id,
      { nodepoolId: args.nodepool_id, pageNumber: args.page_number, pageSize: args.page_size },
      ctx.signal,
    );
    const text =
      result.nodes.length === 0
        ? `No nodes found in cluster ${args.cluster_id}${args.nodepool_id ? ` node pool ${args.nodepool_id}` : ''}.`
        : table(
            ['INSTANCE_ID', 'NODE_NAME', 'STATUS', 'STATE', 'IP', 'NODEPOOL_ID', 'TYPE', 'BILLING'],
            result.nodes.map((n) => [
              n.instance_id,
              n.node_name,
              n.status,
              n.state,
              n.ip_address,
              n.nodepool_id,
              n.instance_type,
              n.instance_charge_type,
            ]),
          ) + moreHint(result.page, 'nodes');
    return { structured: { cluster_id: args.cluster_id, ...result }, text };
  },
});

export const clusterTools = [listClustersTool, listNodePoolsTool, listNodesTool];
