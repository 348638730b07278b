/** What the server says about itself in `initialize`: shared by the SDK server and the direct answers. */
export const SERVER_INFO = { name: 'ack-mcp-server', version: '0.1.0' } as const;

export const SERVER_CAPABILITIES = { tools: { listChanged: false } } as const;

export const INSTRUCTIONS =
  'Tools for Alibaba Cloud Container Service for Kubernetes (ACK). Start with list_clusters to find cluster ids; ' +
  'every other tool takes a cluster_id and finds the region itself.';

/**
 * The protocol versions the SDK accepts (`SUPPORTED_PROTOCOL_VERSIONS` of
 * `@modelcontextprotocol/sdk/types.js`, checked equal by a test), latest first. Kept here so that
 * answering `initialize` and `tools/list` does not load the SDK's schemas.
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];
