/** Compact text renderings for the model. */
import { cutShort } from '../text.ts';

/** A plain, aligned table; cells are cut at `maxCell` characters. */
export function table(columns: string[], rows: Array<Array<string | number | boolean | undefined>>, maxCell = 60): string {
  const cells = rows.map((row) =>
    row.map((cell) => {
      const text = cell === undefined || cell === '' ? '-' : String(cell);
      return cutShort(text, maxCell - 1);
    }),
  );
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}
