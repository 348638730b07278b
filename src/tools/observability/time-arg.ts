/**
 * The time arguments of the log tools that keep the official ACK MCP server's names (`start_time`, `end_time`):
 * a relative time before now (`30m`, `24h`, `7d`, `1w`), ISO 8601 with a time zone (`2026-09-16T08:09:44Z`,
 * `…+08:00`), or unix seconds (a number, or digits). Millisecond timestamps are refused with a hint.
 */
import { z } from 'zod';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { timeRange, type TimeRange } from './query-args.ts';

/** A string in the schema; a number (unix seconds) is read as its digits. */
export const timeArg = z
  .preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string().min(1).max(40))
  .describe('Relative ("30m", "24h", "7d"), ISO 8601 with a zone ("2026-09-16T08:09:44Z"), or unix seconds');

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const MIN_SECONDS = 946_684_800;
const MAX_SECONDS = 4_102_444_800;

function invalid(name: string, value: string, why: string): ToolFailure {
  return new ToolFailure('InvalidTimeRange', `${name} "${value.slice(0, 40)}" ${why}`, {
    hint: 'Use a relative time ("30m", "24h", "7d"), ISO 8601 with a zone ("2026-09-16T08:09:44Z") or unix seconds. Nothing was sent.',
  });
}

/** Unix seconds for one time argument; `now` in unix seconds. */
export function parseTimeArg(name: string, value: string | number, now: number): number {
  const text = String(value).trim();
  const relative = /^(\d{1,6})([smhdw])$/i.exec(text);
  if (relative) return now - Number(relative[1]) * UNIT_SECONDS[relative[2]!.toLowerCase()]!;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    if (seconds > MAX_SECONDS) throw invalid(name, text, 'is not unix seconds (a millisecond timestamp? divide it by 1000)');
    if (seconds < MIN_SECONDS) throw invalid(name, text, 'is before the year 2000');
    return seconds;
  }
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i.test(text)) {
    throw invalid(
      name,
      text,
      /^\d{4}-\d\d-\d\dT[\d:.]+$/.test(text) ? 'has no time zone (add Z or +08:00)' : 'is not a time this tool reads',
    );
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw invalid(name, text, 'is not a valid date');
  return Math.floor(ms / 1000);
}

/** [from, to] from `start_time` (default `defaultStart`) and `end_time` (default now), checked against `maxSeconds`. */
export function timeWindow(
  start: string | number | undefined,
  end: string | number | undefined,
  limits: { defaultStart: string; maxSeconds: number },
): TimeRange {
  const now = Math.floor(Date.now() / 1000);
  const to = end === undefined ? now : parseTimeArg('end_time', end, now);
  const from = parseTimeArg('start_time', start ?? limits.defaultStart, now);
  return timeRange(from, to, { defaultSeconds: 0, maxSeconds: limits.maxSeconds, names: ['start_time', 'end_time'] });
}
