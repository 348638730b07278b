/**
 * The demo account's RAM roles for signed-in users: `ack-ops` (may change node pools) and `ack-dev-readonly`
 * (denied every ACK write), both trusted by the demo account (AssumeRole) and by the sandbox's OIDC provider
 * (AssumeRoleWithOIDC). The fake API server refuses the read-only role every Kubernetes write (its RBAC).
 */
import type { RoleRecord } from '../world.ts';

export const DEMO_ACCOUNT_ID = '1234567890123456';
export const DEMO_OIDC_PROVIDER_ARN = `acs:ram::${DEMO_ACCOUNT_ID}:oidc-provider/ack-mcp-sandbox`;

/** ACK writes the read-only role is denied (its RAM policy allows only Describe*, List*, Get*). */
export const ACK_WRITE_ACTIONS = [
  'cs:ScaleClusterNodePool',
  'cs:RemoveNodePoolNodes',
  'cs:CreateClusterDiagnosis',
  'cs:ModifyClusterNodePool',
];
/** Kubernetes verbs the read-only role's RBAC does not grant. */
export const KUBE_WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

function role(roleName: string, roleId: string, deniedActions: string[]): RoleRecord & { arn: string } {
  return {
    roleName,
    roleId,
    arn: `acs:ram::${DEMO_ACCOUNT_ID}:role/${roleName}`,
    trustedAccounts: [DEMO_ACCOUNT_ID],
    trustedOidcProviders: [DEMO_OIDC_PROVIDER_ARN],
    deniedActions,
    maxSessionSeconds: 3600,
  };
}

export const DEMO_ROLES = {
  ops: role('ack-ops', '300000000000000001', []),
  dev: role('ack-dev-readonly', '300000000000000002', ACK_WRITE_ACTIONS),
} as const;

export function demoRoles(): RoleRecord[] {
  return Object.values(DEMO_ROLES).map(({ arn: _arn, ...record }) => ({
    ...record,
    trustedAccounts: [...record.trustedAccounts],
    trustedOidcProviders: [...record.trustedOidcProviders],
    deniedActions: [...record.deniedActions],
  }));
}

/**
 * `OAUTH_ROLE_MAPPING` of the sandbox and the tests. bob's mapping is read-write on purpose: his RAM role (read-only)
 * is what refuses him; carol (a minted token, group viewers) gets the read-only catalogue.
 */
export const DEMO_ROLE_MAPPING = `groups=ops=>${DEMO_ROLES.ops.arn},read-write;groups=dev=>${DEMO_ROLES.dev.arn},read-write;groups=viewers=>${DEMO_ROLES.dev.arn},read-only`;
