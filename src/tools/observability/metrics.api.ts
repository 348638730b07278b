/**
 * The metadata endpoints of a Prometheus HTTP API (the metricstore's, or an ARMS-hosted instance's):
 * `GET …/api/v1/label/__name__/values` (metric names) and `GET …/api/v1/series?match[]=…` (label sets).
 */
import type { Config } from '../../config.ts';
import type { RetryPolicy } from '../../upstream/call-upstream.ts';
import { prometheusGet, type PromEndpoint } from './promql.api.ts';
import type { TimeRange } from './query-args.ts';

/** What a metric name may be (Prometheus's rule); only such names are put into a `match[]` regex. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function apiUrl(endpoint: PromEndpoint, path: string, range: TimeRange): URL {
  const url = new URL(`${endpoint.base}/api/v1/${path}`);
  url.searchParams.set('start', String(range.from));
  url.searchParams.set('end', String(range.to));
  return url;
}

export async function metricNames(
  config: Config,
  retry: RetryPolicy,
  endpoint: PromEndpoint,
  range: TimeRange,
  signal: AbortSignal,
): Promise<string[]> {
  const { data } = await prometheusGet<unknown>(config, retry, apiUrl(endpoint, 'label/__name__/values', range), endpoint, signal);
  return Array.isArray(data) ? data.filter((name): name is string => typeof name === 'string') : [];
}

/** The label sets of every series of `names` (valid metric names only) in the range. */
export async function seriesOf(
  config: Config,
  retry: RetryPolicy,
  endpoint: PromEndpoint,
  names: string[],
  range: TimeRange,
  signal: AbortSignal,
): Promise<Array<Record<string, string>>> {
  const valid = names.filter((name) => METRIC_NAME.test(name));
  if (valid.length === 0) return [];
  const url = apiUrl(endpoint, 'series', range);
  url.searchParams.append('match[]', `{__name__=~"${valid.join('|')}"}`);
  const { data } = await prometheusGet<unknown>(config, retry, url, endpoint, signal);
  return Array.isArray(data)
    ? data.filter((labels): labels is Record<string, string> => typeof labels === 'object' && labels !== null)
    : [];
}

export interface MetricLabels {
  name: string;
  series: number;
  labels: Array<{ name: string; values: number; examples: string[] }>;
}

/** Per metric: how many series, and per label how many values with a few examples. */
export function summariseSeries(names: string[], series: Array<Record<string, string>>, examples = 3): MetricLabels[] {
  return names.map((name) => {
    const own = series.filter((labels) => labels.__name__ === name);
    const values = new Map<string, Set<string>>();
    for (const labels of own) {
      for (const [label, value] of Object.entries(labels)) {
        if (label === '__name__') continue;
        const seen = values.get(label) ?? new Set<string>();
        seen.add(String(value));
        values.set(label, seen);
      }
    }
    return {
      name,
      series: own.length,
      labels: [...values.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([label, seen]) => ({
          name: label,
          values: seen.size,
          examples: [...seen]
            .sort()
            .slice(0, examples)
            .map((v) => (v.length > 80 ? `${v.slice(0, 79)}…` : v)),
        })),
    };
  });
}

/** A `*` glob (at most four `*`), or a substring when there is no `*`; case-insensitive. */
export function nameMatcher(pattern: string | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  const lower = pattern.toLowerCase();
  if (!lower.includes('*')) return (name) => name.toLowerCase().includes(lower);
  const parts = lower.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`^${parts.join('.*')}$`);
  return (name) => re.test(name.toLowerCase());
}
