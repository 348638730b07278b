/**
 * The emulated Alibaba Cloud: accounts with their AccessKeys and STS tokens, and the
 * ACK clusters, node pools and nodes each account owns. Mutable: operations change it.
 */
import { createHash } from 'node:crypto';
import { demoRoles } from './sts/roles.ts';

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** Present for STS credentials: the request must carry it, and it expires. */
  securityToken?: string;
  expiresAt?: number;
  /** RAM actions (e.g. `cs:ScaleClusterNodePool`) this key is denied. */
  deniedActions?: string[];
  /** Set on the keys STS issued for a role session (AssumeRole, AssumeRoleWithOIDC). */
  assumedRole?: { roleName: string; roleId: string; sessionName: string };
}

/** A RAM role of an account: who may assume it (trust policy) and what its sessions are denied (its RAM policy). */
export interface RoleRecord {
  roleName: string;
  roleId: string;
  /** Trust policy: RAM identities of these accounts may AssumeRole it (with sts:AssumeRole allowed to them). */
  trustedAccounts: string[];
  /** Trust policy: tokens of these RAM OIDC providers (ARNs) may AssumeRoleWithOIDC it. */
  trustedOidcProviders: string[];
  /** RAM actions its sessions are denied. */
  deniedActions: string[];
  /** MaxSessionDuration (seconds). */
  maxSessionSeconds: number;
}

/** A RAM OIDC provider: tokens of `issuerUrl` whose `aud` is one of `clientIds`. */
export interface OidcProviderRecord {
  arn: string;
  issuerUrl: string;
  clientIds: string[];
}

export interface NodeRecord {
  instance_id: string;
  node_name: string;
  node_status: 'Ready' | 'NotReady' | 'Unknown';
  state: 'running' | 'initial' | 'removing' | 'failed';
  ip_address: string[];
  nodepool_id: string;
  instance_type: string;
  instance_charge_type: 'PostPaid' | 'PrePaid';
  creation_time: string;
}

export interface NodePoolRecord {
  nodepool_id: string;
  name: string;
  type: 'ess';
  is_default: boolean;
  instance_types: string[];
  desired_size: number;
  /** As the SDK documents `status.state`: active, scaling, removing, deleting, updating. */
  state: 'active' | 'scaling' | 'removing' | 'deleting' | 'updating';
  vswitch_ids: string[];
  instance_charge_type: 'PostPaid' | 'PrePaid';
  /** The pool's kubelet version (DescribeClusterNodePools `node_components`); unset: the cluster's current version. */
  kubelet_version?: string;
}

export interface ClusterRecord {
  cluster_id: string;
  name: string;
  region_id: string;
  state: 'running' | 'failed' | 'updating';
  cluster_type: 'ManagedKubernetes';
  profile: 'Default';
  cluster_spec: 'ack.pro.small' | 'ack.standard';
  current_version: string;
  vpc_id: string;
  created: string;
  nodepools: NodePoolRecord[];
  nodes: NodeRecord[];
}

export interface AccountRecord {
  accountId: string;
  name: string;
  accessKeys: AccessKey[];
  clusters: ClusterRecord[];
  /** ECS instances the account may have (all its clusters' nodes count); unset means unlimited. A scale-out beyond it fails. */
  ecsInstanceQuota?: number;
  roles?: RoleRecord[];
  oidcProviders?: OidcProviderRecord[];
}

export interface World {
  accounts: AccountRecord[];
}

/** Deterministic hex id from a seed, so ids are stable across runs and readable in docs. */
export function stableHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

export function clusterIdFor(name: string): string {
  return `c${stableHex(`cluster:${name}`, 32)}`;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export function instanceIdFor(region: string, seed: string): string {
  const prefix = region.startsWith('cn-hangzhou') ? 'bp1' : region.startsWith('cn-beijing') ? '2ze' : 't4n';
  const hex = stableHex(`instance:${seed}`, 34);
  let body = '';
  for (let i = 0; i < 17; i += 1) body += ALNUM[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % ALNUM.length];
  return `i-${prefix}${body}`;
}

let ipCounter = 10;
export function makeNode(region: string, pool: NodePoolRecord, seed: string, created = '2026-10-01T08:00:00+08:00'): NodeRecord {
  ipCounter = (ipCounter % 250) + 1;
  const ip = `10.0.${(ipCounter % 4) + 1}.${10 + ipCounter}`;
  return {
    instance_id: instanceIdFor(region, seed),
    node_name: `${region}.${ip}`,
    node_status: 'Ready',
    state: 'running',
    ip_address: [ip],
    nodepool_id: pool.nodepool_id,
    instance_type: pool.instance_types[0] ?? 'ecs.g7.xlarge',
    instance_charge_type: pool.instance_charge_type,
    creation_time: created,
  };
}

function makeCluster(opts: {
  name: string;
  region: string;
  pools: Array<{
    name: string;
    size: number;
    types: string[];
    charge?: 'PostPaid' | 'PrePaid';
    isDefault?: boolean;
    kubeletVersion?: string;
  }>;
}): ClusterRecord {
  const clusterId = clusterIdFor(opts.name);
  const cluster: ClusterRecord = {
    cluster_id: clusterId,
    name: opts.name,
    region_id: opts.region,
    state: 'running',
    cluster_type: 'ManagedKubernetes',
    profile: 'Default',
    cluster_spec: 'ack.pro.small',
    current_version: '1.33.3-aliyun.1',
    vpc_id: `vpc-${stableHex(`vpc:${opts.name}`, 20)}`,
    created: '2026-09-15T10:20:30+08:00',
    nodepools: [],
    nodes: [],
  };
  for (const spec of opts.pools) {
    const pool: NodePoolRecord = {
      nodepool_id: `np${stableHex(`nodepool:${opts.name}:${spec.name}`, 32)}`,
      name: spec.name,
      type: 'ess',
      is_default: spec.isDefault ?? false,
      instance_types: spec.types,
      desired_size: spec.size,
      state: 'active',
      vswitch_ids: [`vsw-${stableHex(`vsw:${opts.name}`, 20)}`],
      instance_charge_type: spec.charge ?? 'PostPaid',
      ...(spec.kubeletVersion ? { kubelet_version: spec.kubeletVersion } : {}),
    };
    cluster.nodepools.push(pool);
    for (let i = 0; i < spec.size; i += 1) cluster.nodes.push(makeNode(opts.region, pool, `${opts.name}:${spec.name}:${i}`));
  }
  return cluster;
}

/**
 * The demo world used by the sandbox and the tests. Tenant A ("demo") owns clusters in two
 * regions; tenant B ("other") owns one cluster that tenant A's keys must never see.
 */
export function createDemoWorld(now = Date.now()): World {
  return {
    accounts: [
      {
        accountId: '1234567890123456',
        name: 'demo',
        roles: demoRoles(),
        accessKeys: [
          { accessKeyId: 'LTAI5tDemoAccessKeyId001', accessKeySecret: 'DemoSecretAbcdefghijklmnopqrs01' },
          {
            accessKeyId: 'LTAI5tDemoReadOnlyKey002',
            accessKeySecret: 'DemoSecretReadOnlyKlmnopqrst02',
            deniedActions: ['cs:ScaleClusterNodePool', 'cs:RemoveNodePoolNodes', 'cs:CreateClusterDiagnosis'],
          },
          {
            accessKeyId: 'STS.NTDemoRoleSession0001',
            accessKeySecret: 'StsDemoSecretAbcdefghijklmn001',
            securityToken: 'CAIS-demo-role-security-token-0001-valid',
            expiresAt: now + 3600_000,
          },
          {
            accessKeyId: 'STS.NTDemoExpiredSession02',
            accessKeySecret: 'StsDemoSecretExpiredHijklmn002',
            securityToken: 'CAIS-demo-role-security-token-0002-expired',
            expiresAt: now - 60_000,
          },
        ],
        clusters: [
          makeCluster({
            name: 'prod-hangzhou',
            region: 'cn-hangzhou',
            pools: [
              { name: 'default-nodepool', size: 3, types: ['ecs.g7.xlarge'], isDefault: true },
              { name: 'gpu-pool', size: 1, types: ['ecs.gn7i-c8g1.2xlarge'], charge: 'PrePaid', kubeletVersion: '1.32.7-aliyun.1' },
            ],
          }),
          makeCluster({
            name: 'staging-beijing',
            region: 'cn-beijing',
            pools: [{ name: 'default-nodepool', size: 2, types: ['ecs.c7.large', 'ecs.c6.large'], isDefault: true }],
          }),
        ],
      },
      {
        accountId: '6543210987654321',
        name: 'other',
        accessKeys: [{ accessKeyId: 'LTAI5tOtherTenantKey0003', accessKeySecret: 'OtherSecretAbcdefghijklmnopq03' }],
        clusters: [
          makeCluster({
            name: 'other-singapore',
            region: 'ap-southeast-1',
            pools: [{ name: 'default-nodepool', size: 2, types: ['ecs.g7.large'], isDefault: true }],
          }),
        ],
      },
    ],
  };
}

export function findAccessKey(world: World, accessKeyId: string): { account: AccountRecord; key: AccessKey } | undefined {
  for (const account of world.accounts) {
    const key = account.accessKeys.find((candidate) => candidate.accessKeyId === accessKeyId);
    if (key) return { account, key };
  }
  return undefined;
}
