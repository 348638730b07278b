/** DescribeClusterEvents over the CS SDK (ACK's own events: upgrades, scaling, node pool changes); no MCP here. */
import { loadCsSdk, type CsClient } from '../../clients/cs-client.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';

export interface AckClusterEvent {
  event_id: string;
  /** e.g. cluster_upgrade, cluster_scaleout, nodepool_update (DescribeClusterEventsResponseBody documents the list). */
  type: string;
  source: string;
  subject: string;
  time: string;
  level: string;
  reason: string;
  message: string;
}

export async function describeClusterEvents(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  options: { pageSize: number; taskId?: string | undefined },
  signal?: AbortSignal,
): Promise<{ events: AckClusterEvent[]; total_count: number }> {
  const { DescribeClusterEventsRequest } = (await loadCsSdk()).models;
  const request = new DescribeClusterEventsRequest({
    pageNumber: 1,
    pageSize: options.pageSize,
    ...(options.taskId ? { taskId: options.taskId } : {}),
  });
  const { body } = await callRead(retry, () => client.describeClusterEvents(clusterId, request), signal);
  return {
    events: (body?.events ?? []).map((event) => ({
      event_id: event.eventId ?? '',
      type: event.type ?? '',
      source: event.source ?? '',
      subject: event.subject ?? '',
      time: event.time ?? '',
      level: event.data?.level ?? '',
      reason: event.data?.reason ?? '',
      message: event.data?.message ?? '',
    })),
    total_count: body?.pageInfo?.totalCount ?? 0,
  };
}
