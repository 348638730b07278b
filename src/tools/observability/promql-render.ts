/**
 * Bounds and renders a Prometheus result: at most `limit` series, at most 500 samples per series
 * and 5,000 in all in `structuredContent` (the latest ones), each cut with a marker; for the model one
 * line per series (labels, latest value; min/max/avg over a range).
 */
import type { PromSeries } from './promql.api.ts';

/** Samples kept per series in structuredContent (the latest ones). */
export const MAX_SAMPLES_PER_SERIES = 500;
/** Samples kept in all in structuredContent (~125 KB of JSON). */
export const MAX_TOTAL_SAMPLES = 5000;

export function labels(metric: Record<string, string>): string {
  const { __name__: name, ...rest } = metric;
  const inner = Object.entries(rest)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(',');
  return `${name ?? ''}{${inner}}`;
}

function num(value: string): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  return String(Math.round(n * 10_000) / 10_000);
}

/** One line for the model: labels and the latest value; over a range also min, max, avg. */
export function summarise(series: PromSeries): string {
  if (series.value) return `${labels(series.metric)}  ${num(series.value[1])}`;
  const values = (series.values ?? []).map(([, v]) => Number(v)).filter(Number.isFinite);
  if (values.length === 0) return `${labels(series.metric)}  (no samples)`;
  const last = series.values![series.values!.length - 1]!;
  const avg = values.reduce((a, b) => a + b, 0) / values.length;
  return `${labels(series.metric)}  latest ${num(last[1])}  min ${num(String(Math.min(...values)))}  max ${num(String(Math.max(...values)))}  avg ${num(String(avg))}  (${values.length} samples)`;
}

export interface BoundedSeries {
  series: PromSeries[];
  notes: string[];
}

/** Keeps the first `limit` series and the latest samples of each within both sample bounds. */
export function boundSeries(
  all: PromSeries[],
  limit: number,
  bounds = { perSeries: MAX_SAMPLES_PER_SERIES, total: MAX_TOTAL_SAMPLES },
): BoundedSeries {
  const kept = all.slice(0, limit);
  const total = kept.reduce((sum, s) => sum + (s.values?.length ?? 0), 0);
  const perSeries = Math.min(
    bounds.perSeries,
    total > bounds.total ? Math.max(1, Math.floor(bounds.total / kept.length)) : bounds.perSeries,
  );
  let cut = 0;
  const series = kept.map((s) => {
    if (!s.values || s.values.length <= perSeries) return s;
    cut += 1;
    return { ...s, values: s.values.slice(-perSeries) };
  });
  const notes: string[] = [];
  if (all.length > kept.length)
    notes.push(
      `${all.length - kept.length} more series not shown (limit ${limit}); aggregate (sum by …, topk) or filter with label matchers`,
    );
  if (cut) {
    const why = perSeries < bounds.perSeries ? ` (at most ${bounds.total} samples in all)` : '';
    notes.push(`${cut} series kept only their latest ${perSeries} samples${why}; use a larger step, a shorter range or fewer series`);
  }
  return { series, notes };
}
