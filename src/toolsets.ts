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

/** Every toolset: the default selection. */
export function isEveryToolset(selection: readonly Toolset[]): boolean {
  return TOOLSETS.every((name) => selection.includes(name));
}

/**
 * Reads `TOOLSETS`: comma-separated names (spaces and case ignored, repeats dropped); unset or empty: every toolset.
 * Answers the selection in the order of `TOOLSETS`, or the one line that says what is wrong.
 */
export function parseToolsets(value: string | undefined): { ok: true; toolsets: Toolset[] } | { ok: false; message: string } {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) return { ok: true, toolsets: [...TOOLSETS] };
  const unknown = names.filter((name) => !isToolset(name));
  if (unknown.length > 0) {
    const shown = unknown.map((name) => `"${name.slice(0, 40)}"`).join(', ');
    return {
      ok: false,
      message: `TOOLSETS names unknown toolset${unknown.length === 1 ? '' : 's'} ${shown}; the toolsets are ${TOOLSETS.join(', ')} (comma-separated; unset: all).`,
    };
  }
  return { ok: true, toolsets: TOOLSETS.filter((name) => names.includes(name)) };
}
