/**
 * check_upgrade_readiness: is it safe to upgrade the cluster to a version (default: the next minor)? The pre-upgrade
 * check's results (started when none is recent: additive, never destructive), deprecated APIs still called (audit
 * log), addons behind ACK's catalogue, node pools behind; one risk summary. Read-only callers get a variant that
 * reads the latest check and starts none.
 */
import { z } from 'zod';
import type { CsClient } from '../../clients/cs-client.ts';
import { isAbort, toToolFailure } from '../../errors/map-error.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool, type ToolAnnotations } from '../define-tool.ts';
import { deprecatedApiCalls } from '../observability/audit.api.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { pollUntil } from '../tasks/wait.ts';
import type { ToolContext } from '../tool-context.ts';
import { renderReadiness } from './upgrade-render.ts';
import { assessReadiness, minorOf, type Part } from './upgrade-risk.ts';
import {
  addonVersions,
  clusterVersion,
  getUpgradeCheck,
  listUpgradeChecks,
  nodePoolVersions,
  runUpgradeCheck,
  upgradableVersions,
  type ClusterCheckDetail,
} from './upgrade.api.ts';

/** A finished check younger than this is reused instead of starting another. */
const REUSE_CHECK_MS = 3600_000;

const input = {
  cluster_id: clusterIdArg,
  target_version: z
    .string()
    .regex(/^v?1\.\d{1,2}(\.\d{1,3}(-aliyun\.\d{1,3})?)?$/, 'must be a Kubernetes version such as 1.34 or 1.34.1-aliyun.1')
    .optional()
    .describe('Version to upgrade to: 1.34 or 1.34.1-aliyun.1 (default: the next minor ACK offers)'),
  check_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,160}$/, 'must be a check id as ListClusterChecks gives it')
    .optional()
    .describe('Read this pre-upgrade check instead of the latest'),
  new_check: z.boolean().default(false).describe('Start a new pre-upgrade check even if one finished in the last hour'),
  wait_seconds: z
    .number()
    .int()
    .min(0)
    .max(120)
    .default(30)
    .describe('Seconds to wait for a started check, 0-120 (default 30); call again with its check_id if it is still running'),
  audit_days: z.number().int().min(1).max(30).default(7).describe('Days of audit log searched for deprecated API calls, 1-30 (default 7)'),
  region: regionArg.optional(),
};

const risk = z.object({ severity: z.enum(['blocker', 'warning', 'unknown']), area: z.string(), summary: z.string(), action: z.string() });
const output = {
  cluster_id: z.string(),
  region_id: z.string(),
  current_version: z.string(),
  target_version: z.string(),
  upgradable_versions: z.array(z.string()),
  verdict: z.enum(['blocked', 'incomplete', 'ready with warnings', 'ready']),
  risks: z.array(risk),
  check: z
    .object({
      check_id: z.string(),
      status: z.string(),
      created_at: z.string(),
      finished_at: z.string(),
      how: z
        .enum(['started', 'reused', 'requested', 'latest'])
        .describe('started now, reused (finished within the hour), the check_id asked for, or the latest (read-only)'),
      items: z.array(
        z.object({
          category: z.string(),
          name: z.string(),
          severity: z.string(),
          level: z.string(),
          target: z.string(),
          message: z.string(),
          suggestion: z.string(),
        }),
      ),
    })
    .nullable(),
  truncated: z.boolean(),
  truncation: z.string().nullable(),
};

type Args = z.output<z.ZodObject<typeof input>>;

/** The target's full version among those ACK offers; the default is the newest of the next minor. */
function resolveTarget(requested: string | undefined, offered: string[], current: string): string {
  if (offered.length === 0) {
    throw new ToolFailure(
      'NoUpgradeAvailable',
      `ACK offers no upgrade for ${current} (DescribeKubernetesVersionMetadata lists no upgradable version).`,
      { hint: 'The cluster runs the newest version ACK offers for it; nothing to check.' },
    );
  }
  const currentMinor = minorOf(current) ?? 0;
  const byMinor = (minor: number) =>
    offered
      .filter((version) => minorOf(version) === minor)
      .sort()
      .reverse()[0];
  const wanted = requested?.replace(/^v/, '');
  const found =
    wanted === undefined
      ? (byMinor(currentMinor + 1) ?? [...offered].sort().reverse()[0])
      : offered.includes(wanted)
        ? wanted
        : /^1\.\d+$/.test(wanted)
          ? byMinor(minorOf(`${wanted}.0`) ?? -1)
          : undefined;
  if (!found) {
    throw new ToolFailure(
      'TargetVersionNotOffered',
      `${current} cannot be upgraded to ${requested} in one step; ACK offers: ${offered.join(', ')}.`,
      {
        hint: 'ACK upgrades one minor version at a time: check the next minor first. Nothing was started.',
      },
    );
  }
  return found;
}

async function settle<T>(read: () => Promise<T>): Promise<Part<T>> {
  try {
    return { ok: await read() };
  } catch (error) {
    if (isAbort(error)) throw error;
    const failure = toToolFailure(error);
    return { unavailable: `${failure.code}: ${failure.message}` };
  }
}

/** The pre-upgrade check to report: the one asked for, a recent one, one started now (unless read-only), or the latest. */
async function upgradeCheck(
  ctx: ToolContext,
  cs: CsClient,
  args: Args,
  target: string,
  mayStart: boolean,
): Promise<Part<ClusterCheckDetail & { how: 'started' | 'reused' | 'requested' | 'latest' }>> {
  const clusterId = args.cluster_id;
  if (args.check_id)
    return settle(async () => ({
      ...(await getUpgradeCheck(cs, ctx.retry, clusterId, args.check_id!, ctx.signal)),
      how: 'requested' as const,
    }));
  const listed = await settle(() => listUpgradeChecks(cs, ctx.retry, clusterId, ctx.signal));
  if ('unavailable' in listed) return listed;
  const latest = listed.ok[0];
  const recent = latest && latest.status !== 'Failed' && Date.now() - Date.parse(latest.created_at) < REUSE_CHECK_MS;
  if (!mayStart || (recent && !args.new_check)) {
    if (!latest)
      return {
        unavailable: mayStart
          ? 'no pre-upgrade check found'
          : 'no pre-upgrade check has been run, and read-only mode starts none (run one in the ACK console, or call as a read-write caller)',
      };
    return settle(async () => ({
      ...(await getUpgradeCheck(cs, ctx.retry, clusterId, latest.check_id, ctx.signal)),
      how: recent ? ('reused' as const) : ('latest' as const),
    }));
  }
  return settle(async () => {
    const checkId = await runUpgradeCheck(cs, ctx.retry, clusterId, target, ctx.signal);
    const waited = await pollUntil(
      ctx,
      args.wait_seconds,
      () => getUpgradeCheck(cs, ctx.retry, clusterId, checkId, ctx.signal),
      (check) => check.status !== 'Running' && check.status !== 'Pending' && check.status !== '',
      (check) => `pre-upgrade check ${checkId}: ${check.status || 'starting'}`,
    );
    return { ...waited.value, how: 'started' as const };
  });
}

function readiness(mayStart: boolean) {
  return async (args: Args, ctx: ToolContext) => {
    const cluster = ctx.forCluster(args);
    const region = await cluster.region();
    const cs = await cluster.cs();
    const info = await clusterVersion(cs, ctx.retry, args.cluster_id, ctx.signal);
    const versions = await upgradableVersions(cs, ctx.retry, info, region, ctx.signal);
    const target = resolveTarget(args.target_version, versions.upgradable_versions, info.current_version);
    const now = Math.floor(Date.now() / 1000);
    const [check, deprecated, addons, nodePools] = await Promise.all([
      upgradeCheck(ctx, cs, args, target, mayStart),
      settle(async () => ({
        ...(await deprecatedApiCalls(ctx, cluster, { from: now - args.audit_days * 86_400, to: now })),
        days: args.audit_days,
      })),
      settle(() => addonVersions(cs, ctx.retry, args.cluster_id, ctx.signal)),
      settle(() => nodePoolVersions(cs, ctx.retry, args.cluster_id, ctx.signal)),
    ]);
    const assessed = assessReadiness({ currentVersion: info.current_version, targetVersion: target, check, deprecated, addons, nodePools });
    return renderReadiness({
      clusterId: args.cluster_id,
      region,
      current: info.current_version,
      target,
      offered: versions.upgradable_versions,
      check: 'ok' in check ? check.ok : null,
      assessed,
    });
  };
}

/** What the read-only variant calls: everything but RunClusterCheck (it starts no check). */
const READ_ACTIONS = [
  CLUSTER_REGION,
  'cs:DescribeKubernetesVersionMetadata',
  'cs:ListClusterChecks',
  'cs:GetClusterCheck',
  'cs:ListClusterAddonInstances',
  'cs:ListAddons',
  'cs:DescribeClusterNodePools',
  'cs:GetClusterAuditProject',
  'log:GetLogStoreLogs',
];
const RAM_ACTIONS = [...READ_ACTIONS, 'cs:RunClusterCheck'];

const DESCRIPTION =
  'Is it safe to upgrade the cluster to `target_version` (default: the next minor ACK offers)? One risk summary (blocked / incomplete / ' +
  "ready with warnings / ready) from: ACK's pre-upgrade check (ClusterUpgrade), deprecated or removed APIs still called (audit log, last " +
  "`audit_days`), addons behind ACK's catalogue, node pools behind the control plane. Blockers first, each with what to do.";

/** Starts a pre-upgrade check: additive (ACK only inspects), never destructive, not idempotent (each call may start one). */
const startsACheck: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

const readOnlyVariant = defineTool({
  name: 'check_upgrade_readiness',
  title: 'Check upgrade readiness',
  description: `${DESCRIPTION} Read-only mode: reads the latest pre-upgrade check and starts none.`,
  input,
  output,
  annotations: readOnlyTool,
  toolsets: ['clusters', 'diagnosis'],
  ramActions: READ_ACTIONS,
  run: readiness(false),
});

export const checkUpgradeReadinessTool = defineTool({
  name: 'check_upgrade_readiness',
  title: 'Check upgrade readiness',
  description: `${DESCRIPTION} Reuses a pre-upgrade check finished within the hour, else starts one (RunClusterCheck: it changes nothing in the cluster) and waits up to \`wait_seconds\`.`,
  input,
  output,
  annotations: startsACheck,
  toolsets: ['clusters', 'diagnosis'],
  ramActions: RAM_ACTIONS,
  readOnlyVariant,
  run: readiness(true),
});
