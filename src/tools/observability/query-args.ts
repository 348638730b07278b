/** Argument schemas and checks shared by the observability tools. */
import { z } from 'zod';
import { ToolFailure } from '../../errors/tool-failure.ts';

/** Unix seconds from 2000 to 2100; a millisecond timestamp (13 digits) is refused with a hint. */
export const unixSecondsArg = z
  .number()
  .int()
  .min(946_684_800, 'must be unix seconds (from 946684800, the year 2000)')
  .max(4_102_444_800, 'must be unix seconds, not milliseconds (at most 4102444800, the year 2100; divide a millisecond timestamp by 1000)');

export const projectArg = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,126}[a-z0-9]$/, 'must be a Log Service project name (lowercase letters, digits, hyphens)')
  .describe('Log Service project; found from the cluster when omitted (list_log_stores shows it)');

export const logstoreArg = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{1,62}[a-z0-9]$/, 'must be a logstore name (lowercase letters, digits, _ and -)')
  .describe(
    'Logstore: k8s-event (default; Kubernetes events), config-operation-log (container logs), audit-{cluster_id} (API-server audit), apiserver-{cluster_id}…',
  );

/** The cluster's Prometheus metricstore (cms_execute_promql_query, cms_list_metrics). */
export const metricstoreArg = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{1,62}[a-z0-9]$/)
  .optional()
  .describe('Metricstore; default aliyun-prom-{cluster_id}');

export const limitArg = (what: string) =>
  z.number().int().min(1).max(100).default(20).describe(`Most ${what} returned, 1-100 (default 20)`);

export interface TimeRange {
  from: number;
  to: number;
}

/** Resolves an optional [from, to] in unix seconds (default: the last `defaultSeconds`), checking order and span. */
export function timeRange(
  from: number | undefined,
  to: number | undefined,
  limits: { defaultSeconds: number; maxSeconds: number; names?: [string, string] },
): TimeRange {
  const [fromName, toName] = limits.names ?? ['from_timestamp', 'to_timestamp'];
  const now = Math.floor(Date.now() / 1000);
  const end = to ?? now;
  const start = from ?? end - limits.defaultSeconds;
  const nothingSent = 'Nothing was sent to Alibaba Cloud. Fix the time range and call again.';
  if (start >= end) {
    throw new ToolFailure('InvalidTimeRange', `${fromName} (${start}) must be before ${toName} (${end}); both are unix seconds.`, {
      hint: nothingSent,
    });
  }
  if (end - start > limits.maxSeconds) {
    throw new ToolFailure(
      'InvalidTimeRange',
      `The time range is ${formatSpan(end - start)}, longer than the ${formatSpan(limits.maxSeconds)} this tool allows.`,
      { hint: `${nothingSent} Narrow it, or aggregate over shorter windows.` },
    );
  }
  return { from: start, to: end };
}

export function formatSpan(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day(s)`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour(s)`;
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${seconds} seconds`;
}

/** Cuts one value at `max` characters with a visible marker. */
export function cutCell(value: string, max: number): { text: string; cut: boolean } {
  if (value.length <= max) return { text: value, cut: false };
  return { text: `${value.slice(0, max)}…[+${value.length - max} chars]`, cut: true };
}
