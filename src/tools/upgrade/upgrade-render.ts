/** The readiness answer: structured content (bounded) and the text for the model, blockers first. */
import { truncationNote } from '../../text.ts';
import type { Readiness } from './upgrade-risk.ts';
import type { ClusterCheckDetail } from './upgrade.api.ts';

const MAX_RISKS = 40;
const MAX_ITEMS = 60;

export interface ReadinessView {
  clusterId: string;
  region: string;
  current: string;
  target: string;
  offered: string[];
  check: (ClusterCheckDetail & { how: 'started' | 'reused' | 'requested' | 'latest' }) | null;
  assessed: Readiness;
}

export function renderReadiness(view: ReadinessView) {
  const { assessed, check } = view;
  const notes: string[] = [];
  if (assessed.risks.length > MAX_RISKS) notes.push(`${assessed.risks.length - MAX_RISKS} more risks not shown`);
  if (check && check.items.length > MAX_ITEMS) notes.push(`${check.items.length - MAX_ITEMS} more check items not shown`);
  const truncation = notes.length ? truncationNote(notes.join('; ')) : null;
  const risks = assessed.risks.slice(0, MAX_RISKS);
  const count = (severity: string) => assessed.risks.filter((risk) => risk.severity === severity).length;
  const lines = [
    `Upgrade ${view.clusterId} (${view.region}) from ${view.current} to ${view.target}: ${assessed.verdict.toUpperCase()} — ${count('blocker')} blockers, ${count('warning')} warnings, ${count('unknown')} not checked.`,
  ];
  if (check) {
    const how = { started: 'started now', reused: 'finished within the hour, reused', requested: 'as asked', latest: 'the latest' }[
      check.how
    ];
    lines.push(
      `Pre-upgrade check ${check.check_id} (${how}): ${check.status}, created ${check.created_at}${check.finished_at ? `, finished ${check.finished_at}` : ''}; ${check.items.filter((item) => item.severity === 'pass').length} of ${check.items.length} items passed.`,
    );
  }
  for (const risk of risks) lines.push(`${risk.severity.toUpperCase()} [${risk.area}] ${risk.summary}\n  → ${risk.action}`);
  if (!risks.length) lines.push('Nothing found that stands in the way.');
  if (truncation) lines.push(truncation);
  return {
    structured: {
      cluster_id: view.clusterId,
      region_id: view.region,
      current_version: view.current,
      target_version: view.target,
      upgradable_versions: view.offered,
      verdict: assessed.verdict,
      risks,
      check: check
        ? {
            check_id: check.check_id,
            status: check.status,
            created_at: check.created_at,
            finished_at: check.finished_at,
            how: check.how,
            items: check.items.slice(0, MAX_ITEMS),
          }
        : null,
      truncated: truncation !== null,
      truncation,
    },
    text: lines.join('\n'),
  };
}
