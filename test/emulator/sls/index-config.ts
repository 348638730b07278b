/**
 * GetIndex (GET /logstores/{logstore}/index): a logstore's index as Log Service describes it (the SDK's
 * GetIndexResponseBody: `keys` field → {type, caseSensitive, chn, token, doc_value, alias}, `line` full-text index,
 * `ttl`, `max_text_len`, `index_mode`, `storage`, `lastModifyTime`). The emulator derives it from the store's rows:
 * a field whose values are all integers is `long`, all numbers `double`, else `text`; `__tag__`/`__source__`/`__topic__`
 * are Log Service's own and not in `keys`. A store without rows has no index: 404 `IndexConfigNotExist`.
 */
import { EmulatorError } from '../http-util.ts';
import type { LogRow } from './dataset.ts';

const TOKEN = [',', ' ', "'", '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '\n', '\t', '\r'];

function typeOf(values: string[]): 'long' | 'double' | 'text' {
  if (values.length && values.every((value) => /^-?\d+$/.test(value))) return 'long';
  if (values.length && values.every((value) => /^-?\d+(\.\d+)?$/.test(value))) return 'double';
  return 'text';
}

export function indexOf(rows: LogRow[]): Record<string, unknown> {
  if (rows.length === 0) throw new EmulatorError(404, 'IndexConfigNotExist', "index config doesn't exist");
  const values = new Map<string, string[]>();
  for (const row of rows) {
    for (const [key, value] of Object.entries(row.fields)) {
      if (key.startsWith('__')) continue;
      values.set(
        key,
        [...(values.get(key) ?? []), value].filter((v) => v !== ''),
      );
    }
  }
  const keys = Object.fromEntries(
    [...values.entries()].map(([key, seen]) => {
      const type = typeOf(seen);
      return [
        key,
        type === 'text'
          ? { type, caseSensitive: false, chn: false, token: TOKEN, alias: '', doc_value: true }
          : { type, alias: '', doc_value: true },
      ];
    }),
  );
  return {
    index_mode: 'v2',
    keys,
    line: { caseSensitive: false, chn: false, token: TOKEN },
    ttl: 30,
    max_text_len: 2048,
    storage: 'pg',
    log_reduce: false,
    lastModifyTime: 1_758_000_000,
  };
}
