/**
 * The rows of a Log Service query as the agent sees them: bounded in count and cell length, each
 * bound with a marker that says what was left out and how to get it.
 *
 * How many rows Log Service returns: a search returns `line` rows (at most 100), so this server asks
 * for one more than `limit` to know whether more match; SQL ignores `line` and returns at most
 * 100 rows unless the SQL has a LIMIT clause.
 */
import { table } from '../render.ts';
import { cutCell } from './query-args.ts';

/** Rows one GetLogs call returns at most for a search, and for SQL without LIMIT. */
export const SLS_MAX_LINES = 100;
export const MAX_CELL = 1000;

/** The `line` to ask for: one more than wanted, to learn whether more rows match. */
export function linesToAsk(limit: number): number {
  return Math.min(limit + 1, SLS_MAX_LINES);
}

/** Splits `search | SQL` at the first `|` that is not inside a double-quoted phrase. */
export function splitQuery(query: string): { search: string; sql: string | undefined } {
  let quoted = false;
  for (let i = 0; i < query.length; i += 1) {
    const ch = query[i];
    if (ch === '\\' && quoted) i += 1;
    else if (ch === '"') quoted = !quoted;
    else if (ch === '|' && !quoted) return { search: query.slice(0, i).trim(), sql: query.slice(i + 1).trim() };
  }
  return { search: query.trim(), sql: undefined };
}

/** True when the SQL has a LIMIT clause (outside string literals and quoted names). */
export function sqlHasLimit(sql: string): boolean {
  const bare = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, ' ');
  return /\blimit\s+\d+/i.test(bare);
}

export interface BoundedRows {
  rows: Array<Record<string, string>>;
  notes: string[];
}

/** Keeps `limit` rows, cuts long values, and notes why more rows may exist. */
export function boundRows(all: Array<Record<string, unknown>>, options: { limit: number; query: string; hasSql: boolean }): BoundedRows {
  let cellsCut = 0;
  const rows = all.slice(0, options.limit).map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => {
        const cut = cutCell(String(value ?? ''), MAX_CELL);
        if (cut.cut) cellsCut += 1;
        return [key, cut.text];
      }),
    ),
  );
  const notes: string[] = [];
  const omitted = all.length - rows.length;
  const sql = splitQuery(options.query).sql;
  if (options.hasSql) {
    if (omitted > 0) notes.push(`${omitted} more rows not shown (limit ${options.limit}); add LIMIT/aggregation or narrow the search`);
    if (all.length >= SLS_MAX_LINES && !(sql && sqlHasLimit(sql))) {
      notes.push(
        `Log Service returns at most ${SLS_MAX_LINES} rows for SQL without LIMIT, so more may exist; aggregate, or page with LIMIT offset, count`,
      );
    }
  } else if (omitted > 0) {
    notes.push(`more rows match; narrow the query or raise limit (showing ${rows.length})`);
  } else if (all.length >= SLS_MAX_LINES) {
    notes.push(`${SLS_MAX_LINES} rows is the most one search returns, so more may match; narrow the query or the time range`);
  }
  if (cellsCut > 0) notes.push(`${cellsCut} values cut at ${MAX_CELL} characters`);
  return { rows, notes };
}

/** A table for few columns, else one `key=value` line per row; Log Service's own tags are left out. */
export function renderRows(rows: Array<Record<string, string>>): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter(
    (key) => !key.startsWith('__tag__') && key !== '__source__' && key !== '__topic__',
  );
  if (columns.length <= 6)
    return table(
      columns,
      rows.map((row) => columns.map((column) => row[column])),
      80,
    );
  return rows
    .map((row) =>
      columns
        .filter((column) => row[column] !== undefined && row[column] !== '')
        .map((column) => `${column}=${cutCell(String(row[column]), 200).text}`)
        .join('  '),
    )
    .join('\n');
}
