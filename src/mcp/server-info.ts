/** What the server says about itself (`initialize`, `server/discover`): shared by the SDK server and the direct answers. */
export const SERVER_INFO = { name: 'ack-mcp-server', version: '0.1.0' } as const;
/** What the server offers, the same in both eras: tools, prompts (guided workflows) and resources (none yet: the lists answer empty). */
export const SERVER_CAPABILITIES = {
  tools: { listChanged: false },
  prompts: { listChanged: false },
  resources: { listChanged: false },
} as const;
export const INSTRUCTIONS =
  'Tools for Alibaba Cloud Container Service for Kubernetes (ACK). Start with list_clusters to find cluster ids; ' +
  'every other tool takes a cluster_id and finds the region itself.';

/**
 * The 2025-era protocol versions (negotiated by `initialize`) the SDK accepts (`SUPPORTED_PROTOCOL_VERSIONS` of
 * `@modelcontextprotocol/server`, checked equal by a test), latest first. Kept here so that answering
 * `initialize` and `tools/list` does not load the SDK.
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

/** The stateless revisions (per-request `_meta` envelope, `server/discover`) the SDK serves; checked by a test against `server/discover`. */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];
