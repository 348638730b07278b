/**
 * One risk summary from everything the readiness check read: the pre-upgrade check's items, deprecated APIs still
 * called (audit log), addons behind ACK's catalogue, node pools behind the control plane. Pure: no API calls.
 *
 * Rules: a check item ACK marks as an error blocks; an API whose `k8s.io/removed-release` is the target's minor or
 * older blocks (it will be gone); a node pool whose kubelet would be more than 3 minors behind the upgraded control
 * plane blocks (Kubernetes' version skew policy since 1.28); every other finding is a warning; a part that could
 * not be read is an unknown, so an answer without blockers is never called ready while something was not checked.
 */
import type { DeprecatedApiCall } from '../observability/audit.api.ts';
import type { AddonVersion, ClusterCheckDetail, NodePoolVersion } from './upgrade.api.ts';

export interface Risk {
  severity: 'blocker' | 'warning' | 'unknown';
  area: 'pre-upgrade check' | 'deprecated API' | 'addon' | 'node pool';
  summary: string;
  action: string;
}

/** A part of the readiness check: its findings, or why it could not be read. */
export type Part<T> = { ok: T } | { unavailable: string };

export interface ReadinessInputs {
  currentVersion: string;
  targetVersion: string;
  check: Part<ClusterCheckDetail>;
  deprecated: Part<{ calls: DeprecatedApiCall[]; sampled: boolean; days: number }>;
  addons: Part<AddonVersion[]>;
  nodePools: Part<NodePoolVersion[]>;
}

export function minorOf(version: string): number | undefined {
  const match = /^v?1\.(\d+)(?:\.|$)/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

const MAX_KUBELET_SKEW = 3;

function checkRisks(check: ClusterCheckDetail): Risk[] {
  if (check.status !== 'Succeeded') {
    return [
      {
        severity: 'unknown',
        area: 'pre-upgrade check',
        summary: `check ${check.check_id} is ${check.status || 'in an unknown state'}${check.message ? ` (${check.message})` : ''}`,
        action: `Call again with check_id ${check.check_id} to read it when it is done.`,
      },
    ];
  }
  return check.items
    .filter((item) => item.severity !== 'pass')
    .map((item) => ({
      severity: item.severity === 'blocker' ? 'blocker' : 'warning',
      area: 'pre-upgrade check',
      summary: `${item.category}/${item.name}${item.target ? ` (${item.target})` : ''}: ${item.message || item.level}`,
      action: item.suggestion || 'See the pre-upgrade check in the ACK console.',
    }));
}

function deprecatedRisks(calls: DeprecatedApiCall[], targetMinor: number | undefined, days: number, sampled: boolean): Risk[] {
  return calls.map((call) => {
    const removedMinor = minorOf(call.removed_release);
    const removed = removedMinor !== undefined && targetMinor !== undefined && removedMinor <= targetMinor;
    const who = `${call.user}${call.user_agent ? ` (${call.user_agent})` : ''}`;
    return {
      severity: removed ? 'blocker' : 'warning',
      area: 'deprecated API',
      summary: `${call.resource} ${call.api} ${removed ? `is removed in ${call.removed_release}` : `is deprecated${call.removed_release ? ` (removed in ${call.removed_release})` : ' (no removal scheduled)'}`}; called ${sampled ? 'at least ' : ''}${call.calls} times in ${days} days${sampled ? ' (from the newest 100 audit records)' : ''} by ${who}, last ${call.last_seen}`,
      action: removed ? `Move ${who} to the API's successor before upgrading.` : `Plan to move ${who} to the API's successor.`,
    };
  });
}

function addonRisks(addons: AddonVersion[]): Risk[] {
  return addons
    .filter((addon) => addon.latest && addon.version !== addon.latest)
    .map((addon) => ({
      severity: 'warning',
      area: 'addon',
      summary: `${addon.name} ${addon.version} is behind ACK's ${addon.latest}`,
      action: `Upgrade ${addon.name} (ACK console: Add-ons, or UpgradeClusterAddons); the pre-upgrade check says whether it must come first.`,
    }));
}

function nodePoolRisks(pools: NodePoolVersion[], currentVersion: string, targetVersion: string): Risk[] {
  const current = minorOf(currentVersion);
  const target = minorOf(targetVersion);
  const risks: Risk[] = [];
  for (const pool of pools) {
    const kubelet = minorOf(pool.kubelet_version);
    if (kubelet === undefined || current === undefined || target === undefined) {
      if (!pool.kubelet_version)
        risks.push({
          severity: 'unknown',
          area: 'node pool',
          summary: `${pool.name} (${pool.nodepool_id}): kubelet version not reported`,
          action: 'Check its nodes with kubectl get nodes.',
        });
      continue;
    }
    if (target - kubelet > MAX_KUBELET_SKEW) {
      risks.push({
        severity: 'blocker',
        area: 'node pool',
        summary: `${pool.name} (${pool.nodepool_id}) runs kubelet ${pool.kubelet_version}: ${target - kubelet} minors behind ${targetVersion}, beyond the ${MAX_KUBELET_SKEW} Kubernetes allows`,
        action: `Upgrade node pool ${pool.name} first.`,
      });
    } else if (kubelet < current) {
      risks.push({
        severity: 'warning',
        area: 'node pool',
        summary: `${pool.name} (${pool.nodepool_id}) runs kubelet ${pool.kubelet_version}, behind the control plane's ${currentVersion}`,
        action: `Upgrade node pool ${pool.name} to ${currentVersion} (or with the cluster, after the control plane).`,
      });
    }
  }
  return risks;
}

export interface Readiness {
  verdict: 'blocked' | 'incomplete' | 'ready with warnings' | 'ready';
  risks: Risk[];
}

export function assessReadiness(inputs: ReadinessInputs): Readiness {
  const risks: Risk[] = [];
  const part = <T>(area: Risk['area'], value: Part<T>, assess: (ok: T) => Risk[]) => {
    if ('ok' in value) risks.push(...assess(value.ok));
    else
      risks.push({
        severity: 'unknown',
        area,
        summary: `not checked: ${value.unavailable}`,
        action: 'Fix what stopped it (see the summary) and call again.',
      });
  };
  part('pre-upgrade check', inputs.check, checkRisks);
  part('deprecated API', inputs.deprecated, (d) => deprecatedRisks(d.calls, minorOf(inputs.targetVersion), d.days, d.sampled));
  part('addon', inputs.addons, addonRisks);
  part('node pool', inputs.nodePools, (pools) => nodePoolRisks(pools, inputs.currentVersion, inputs.targetVersion));
  const order = { blocker: 0, unknown: 1, warning: 2 };
  risks.sort((a, b) => order[a.severity] - order[b.severity]);
  const has = (severity: Risk['severity']) => risks.some((risk) => risk.severity === severity);
  const verdict = has('blocker') ? 'blocked' : has('unknown') ? 'incomplete' : has('warning') ? 'ready with warnings' : 'ready';
  return { verdict, risks };
}
