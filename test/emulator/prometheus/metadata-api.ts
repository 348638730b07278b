/**
 * Prometheus's metadata endpoints on a metricstore (Prometheus HTTP API, as Log Service serves it):
 * - `GET …/api/v1/series?match[]=…` (at least one `match[]`, else `bad_data` "no match[] parameter provided"):
 *   the label sets of the matching series;
 * - `GET …/api/v1/label/{name}/values[?match[]=…]`: the sorted distinct values of a label (`__name__`: metric names);
 * - `GET …/api/v1/labels[?match[]=…]`: the sorted label names.
 * `start`/`end` are accepted and checked (unix seconds or RFC 3339); every emulated series exists at every time.
 */
import { parseTime } from './api-params.ts';
import { parsePromql, PromError, selects, type Series } from './promql.ts';

/**
 * The series a `match[]` selector picks, with Prometheus's errors: a selector that does not parse, or an expression
 * that is not a plain selector, is `bad_data`.
 */
export function seriesMatching(selector: string, all: Series[]): Series[] {
  let expr: ReturnType<typeof parsePromql>;
  try {
    expr = parsePromql(selector);
  } catch (error) {
    if (error instanceof PromError) throw new PromError('bad_data', `invalid parameter "match[]": ${error.message}`);
    throw error;
  }
  if (expr.kind !== 'selector' || expr.range !== undefined) {
    throw new PromError('bad_data', `invalid parameter "match[]": 1:1: parse error: expected a vector selector, got ${expr.kind}`);
  }
  const { matchers } = expr;
  return all.filter((series) => selects(series, matchers));
}

export type MetadataAction = 'PrometheusSeries' | 'PrometheusLabelValues' | 'PrometheusLabels';

export function metadataActionOf(endpoint: string): MetadataAction | undefined {
  if (endpoint === 'series') return 'PrometheusSeries';
  if (endpoint === 'labels') return 'PrometheusLabels';
  if (/^label\/[^/]+\/values$/.test(endpoint)) return 'PrometheusLabelValues';
  return undefined;
}

function matched(params: URLSearchParams, all: Series[], required: boolean): Series[] {
  const selectors = params.getAll('match[]');
  if (selectors.length === 0) {
    if (required) throw new PromError('bad_data', 'no match[] parameter provided');
    return all;
  }
  const picked = new Set<Series>();
  for (const selector of selectors) for (const series of seriesMatching(selector, all)) picked.add(series);
  return [...picked];
}

export function metadataAnswer(endpoint: string, params: URLSearchParams, all: Series[]): unknown {
  for (const name of ['start', 'end']) if (params.get(name)) parseTime(name, params.get(name));
  if (endpoint === 'series') return matched(params, all, true).map((series) => series.labels);
  const series = matched(params, all, false);
  if (endpoint === 'labels') return [...new Set(series.flatMap((s) => Object.keys(s.labels)))].sort();
  const label = decodeURIComponent(/^label\/([^/]+)\/values$/.exec(endpoint)![1]!);
  return [...new Set(series.map((s) => s.labels[label]).filter((value): value is string => value !== undefined))].sort();
}
