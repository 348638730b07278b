/**
 * The toolsets a deployment can serve (`TOOLSETS`, comma-separated; default all). Each tool names its toolsets in its
 * `defineTool`; a tool may sit in more than one (describe_task_info follows node pool changes and cluster tasks alike).
 * A leaf module: the configuration checks the names at startup without loading any tool.
 */
export const TOOLSET_PURPOSE = {
  clusters: 'the clusters the credentials see, their tasks',
  nodepools: 'node pools and nodes: list, scale out, remove nodes, follow their tasks',
  diagnosis: "ACK's cluster diagnosis: start one, read its findings",
  kubectl: 'the kubectl tool alone',
  logs: "the cluster's Log Service data: where it lives, queries, query helpers",
  metrics: "the cluster's metrics: PromQL on managed Prometheus, CloudMonitor node metrics",
} as const;

export type Toolset = keyof typeof TOOLSET_PURPOSE;

export const TOOLSETS = Object.keys(TOOLSET_PURPOSE) as Toolset[];

export function isToolset(name: string): name is Toolset {
  return Object.hasOwn(TOOLSET_PURPOSE, name);
}
