/**
 * The parameter checks of Prometheus's `/api/v1/query` and `/api/v1/query_range`, with its wording
 * (web/api/v1): every failure is `bad_data` (HTTP 400).
 */
import { PromError } from './promql.ts';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

function invalid(name: string, message: string): PromError {
  return new PromError('bad_data', `invalid parameter "${name}": ${message}`);
}

/** A timestamp: unix seconds (decimals allowed) or RFC 3339. */
export function parseTime(name: string, value: string | null): number {
  const text = value ?? '';
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  const parsed = /^\d{4}-\d\d-\d\dT/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isFinite(parsed)) return parsed / 1000;
  throw invalid(name, `cannot parse "${text}" to a valid timestamp`);
}

/** A duration: seconds (decimals allowed) or a Prometheus duration such as `15s`, `5m`. */
export function parseDuration(name: string, value: string | null): number {
  const text = value ?? '';
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  const match = DURATION.exec(text);
  if (match) return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  throw invalid(name, `cannot parse "${text}" to a valid duration`);
}

export function instantParams(params: URLSearchParams, now: number): { time: number } {
  return { time: params.get('time') ? parseTime('time', params.get('time')) : now };
}

export function rangeParams(params: URLSearchParams): { start: number; end: number; step: number } {
  const start = parseTime('start', params.get('start'));
  const end = parseTime('end', params.get('end'));
  if (end < start) throw invalid('end', 'end timestamp must not be before start time');
  const step = parseDuration('step', params.get('step'));
  if (!(step > 0)) throw invalid('step', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  if ((end - start) / step > 11_000) {
    throw new PromError(
      'bad_data',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  return { start, end, step };
}
