/**
 * list_cluster_events: one timeline, newest first, of ACK's own cluster events (DescribeClusterEvents: upgrades,
 * scaling, node pool and addon changes) and the cluster's Kubernetes Warning events (from its API server, as the caller).
 * When the API server cannot be read, ACK's events still come, with the reason.
 */
import { z } from 'zod';
import { toToolFailure } from '../../errors/map-error.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { boundText } from '../../text.ts';
import { table } from '../render.ts';
import { describeClusterEvents } from './cluster-events.api.ts';
import { namespaceArg } from './k8s-args.ts';
import { listWarningEvents } from './kube-events.api.ts';

interface TimelineEntry {
  time: string;
  source: 'ack' | 'kubernetes';
  level: string;
  kind: string;
  subject: string;
  message: string;
  count: number;
}

/** ISO time in UTC when the text is a time, else the text as it came (sorted last). */
function normaliseTime(text: string): { iso: string; ms: number } {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? { iso: new Date(ms).toISOString(), ms } : { iso: text, ms: Number.NEGATIVE_INFINITY };
}

export const listClusterEventsTool = defineTool({
  name: 'list_cluster_events',
  title: 'List cluster events',
  description:
    'What happened to a cluster, newest first, in one timeline: ACK cluster events (upgrades, scale-outs, node pool and addon ' +
    'changes, with their level) and Kubernetes Warning events (BackOff, FailedScheduling, Unhealthy…, from the API server as ' +
    'the caller). Use it to answer "what changed before it broke". namespace narrows the Kubernetes events; ' +
    "include_kubernetes=false reads ACK's events only.",
  input: {
    cluster_id: clusterIdArg,
    namespace: namespaceArg.optional().describe('Kubernetes events of this namespace only (default: all namespaces)'),
    include_kubernetes: z.boolean().default(true).describe('Add the Kubernetes Warning events (default true)'),
    limit: z.number().int().min(1).max(200).default(50).describe('Events to show, 1-200 (default 50)'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    events: z.array(
      z.object({
        time: z.string().describe('UTC, ISO 8601'),
        source: z.enum(['ack', 'kubernetes']),
        level: z.string().describe('ack: info/warning/error as ACK says; kubernetes: Warning'),
        kind: z.string().describe('ack: the event type (cluster_upgrade, nodepool_update…); kubernetes: the reason (BackOff…)'),
        subject: z.string().describe('ack: the object (node pool id, addon…); kubernetes: namespace/Kind/name'),
        message: z.string(),
        count: z.number(),
      }),
    ),
    ack_total: z.number(),
    kubernetes_total: z.number(),
    kubernetes_error: z.string().optional().describe('Why the Kubernetes events could not be read'),
  },
  annotations: readOnlyTool,
  toolsets: ['clusters', 'diagnosis'],
  // Kubernetes Warning events are read from the API server with the caller's kubeconfig.
  ramActions: [CLUSTER_REGION, 'cs:DescribeClusterEvents', 'cs:DescribeClusterUserKubeconfig'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const client = await cluster.cs();
    const [ack, kube] = await Promise.all([
      describeClusterEvents(client, ctx.retry, args.cluster_id, { pageSize: Math.min(100, args.limit) }, ctx.signal),
      args.include_kubernetes
        ? listWarningEvents(ctx, cluster, args.namespace).then(
            (events) => ({ events, error: undefined }),
            (error: unknown) => {
              const failure = toToolFailure(error);
              return { events: [], error: `${failure.code}: ${failure.message}${failure.details.hint ? ` ${failure.details.hint}` : ''}` };
            },
          )
        : Promise.resolve({ events: [], error: undefined }),
    ]);
    const entries: Array<TimelineEntry & { ms: number }> = [
      ...ack.events.map((event) => {
        const time = normaliseTime(event.time);
        return {
          time: time.iso,
          ms: time.ms,
          source: 'ack' as const,
          level: event.level,
          kind: event.type,
          subject: event.subject,
          message: event.message || event.reason,
          count: 1,
        };
      }),
      ...kube.events.map((event) => {
        const time = normaliseTime(event.time);
        return {
          time: time.iso,
          ms: time.ms,
          source: 'kubernetes' as const,
          level: 'Warning',
          kind: event.reason,
          subject: `${event.namespace}/${event.object}`,
          message: event.message,
          count: event.count,
        };
      }),
    ];
    entries.sort((a, b) => b.ms - a.ms);
    const events = entries.slice(0, args.limit).map(({ ms: _ms, ...entry }) => entry);
    const lines = [
      `${events.length} event(s) of cluster ${args.cluster_id}, newest first: ${ack.events.length} from ACK` +
        (args.include_kubernetes
          ? `, ${kube.events.length} Kubernetes Warning event(s)${args.namespace ? ` in ${args.namespace}` : ''}`
          : '') +
        '.',
    ];
    if (kube.error) lines.push(`Kubernetes events could not be read (${kube.error}); ACK's events follow.`);
    if (events.length > 0) {
      lines.push(
        table(
          ['TIME (UTC)', 'SOURCE', 'LEVEL', 'KIND', 'SUBJECT', 'MESSAGE', 'COUNT'],
          events.map((e) => [e.time, e.source, e.level, e.kind, e.subject, e.message, e.count]),
          100,
        ),
      );
    }
    if (entries.length > args.limit) lines.push(`${entries.length - args.limit} older event(s) not shown: raise limit (up to 200).`);
    return {
      structured: {
        cluster_id: args.cluster_id,
        events,
        ack_total: ack.total_count,
        kubernetes_total: kube.events.length,
        ...(kube.error ? { kubernetes_error: kube.error } : {}),
      },
      text: boundText(lines.join('\n'), 16_000, 'see structuredContent.events or lower limit'),
    };
  },
});
