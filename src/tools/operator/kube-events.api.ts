/** Kubernetes Warning events (core/v1 Event, `type=Warning`) from the cluster's API server, as the caller. No MCP here. */
import type { ClusterScope, ToolContext } from '../tool-context.ts';
import { isOk, kubeGet, unexpectedStatus } from './kube-api.ts';

export interface KubeWarningEvent {
  time: string;
  namespace: string;
  object: string;
  reason: string;
  message: string;
  count: number;
  source: string;
}

/** At most this many events are asked for (the newest are kept after sorting). */
export const KUBE_EVENTS_LIMIT = 500;

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are free-form JSON, read field by field with fallbacks.
type Json = Record<string, any>;

function eventTime(event: Json): string {
  return String(
    event.lastTimestamp ||
      event.series?.lastObservedTime ||
      event.eventTime ||
      event.firstTimestamp ||
      event.metadata?.creationTimestamp ||
      '',
  );
}

export async function listWarningEvents(
  ctx: ToolContext,
  cluster: ClusterScope,
  namespace: string | undefined,
): Promise<KubeWarningEvent[]> {
  const scope = namespace ? `/api/v1/namespaces/${namespace}/events` : '/api/v1/events';
  const path = `${scope}?fieldSelector=${encodeURIComponent('type=Warning')}&limit=${KUBE_EVENTS_LIMIT}`;
  const answer = await kubeGet(ctx, cluster, path);
  if (!isOk(answer)) throw unexpectedStatus(path, answer);
  return (((answer.body as Json).items ?? []) as Json[])
    .filter((event) => event.type === 'Warning')
    .map((event) => ({
      time: eventTime(event),
      namespace: String(event.metadata?.namespace ?? event.involvedObject?.namespace ?? ''),
      object: `${event.involvedObject?.kind ?? ''}/${event.involvedObject?.name ?? ''}`,
      reason: String(event.reason ?? ''),
      message: String(event.message ?? '').slice(0, 1000),
      count: typeof event.count === 'number' ? event.count : Number(event.series?.count ?? 1) || 1,
      source: String(event.source?.component ?? event.reportingComponent ?? ''),
    }));
}
