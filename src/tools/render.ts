/** Compact text renderings for the model. */

/** A plain, aligned table; cells are cut at `maxCell` characters. */
export function table(columns: string[], rows: Array<Array<string | number | boolean | undefined>>, maxCell = 60): string {
  const cells = rows.map((row) =>
    row.map((cell) => {
      const text = cell === undefined || cell === '' ? '-' : String(cell);
      return text.length > maxCell ? `${text.slice(0, maxCell - 1)}…` : text;
    }),
  );
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}

export const DEFAULT_TEXT_LIMIT = 24_000;

/** Cuts text at `limit` characters with a marker that says how much was left out and how to narrow. */
export function boundText(text: string, limit = DEFAULT_TEXT_LIMIT, hint = 'narrow the request'): string {
  if (text.length <= limit) return text;
  const omitted = text.length - limit;
  return `${text.slice(0, limit)}\n… [truncated: ${omitted} more characters not shown; ${hint}]`;
}
