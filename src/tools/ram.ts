/**
 * RAM actions that several tools share. A tool lists every action it calls in its `defineTool({ ramActions })`;
 * the role's policy files, the README's RAM table and the tests are derived from those lists (deploy/ram-actions.ts).
 */

/** Every tool that takes a `cluster_id` finds the cluster's region with DescribeClusterDetail (unless told it). */
export const CLUSTER_REGION = 'cs:DescribeClusterDetail';

/** Control-plane logstores are looked up with CheckControlPlaneLogEnable, audit logstores with GetClusterAuditProject. */
export const LOG_DISCOVERY = [CLUSTER_REGION, 'cs:CheckControlPlaneLogEnable', 'cs:GetClusterAuditProject'] as const;

/** The account id for the Prometheus project comes from STS GetCallerIdentity, which needs no RAM permission. */
export const PROMETHEUS_DISCOVERY = [CLUSTER_REGION] as const;
