/**
 * The structural half of kubectl output masking (output-filter.ts): JSON that parses whole is masked object by
 * object and re-printed the way kubectl prints it (4-space indent). No recursion, bounded depth; never throws.
 */
import { type Json, LAST_APPLIED, MASK } from './masking.ts';

/** Deeper JSON is masked line by line: re-printing it whole would recurse that deep (no Kubernetes object does). */
const MAX_JSON_DEPTH = 1000;

/** Mask parsed JSON in place, without recursion; false when it nests deeper than {@link MAX_JSON_DEPTH}. */
function maskJson(root: Json): boolean {
  const pending: Array<[Json, number]> = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (depth > MAX_JSON_DEPTH) return false;
    if (!Array.isArray(value)) {
      if (value.kind === 'Secret') {
        for (const key of ['data', 'stringData']) {
          if (value[key] && typeof value[key] === 'object') for (const k of Object.keys(value[key])) value[key][k] = MASK;
        }
      }
      const meta = value.metadata;
      if (meta && typeof meta === 'object') {
        delete meta.managedFields;
        if (meta.annotations && LAST_APPLIED in meta.annotations) meta.annotations[LAST_APPLIED] = MASK;
      }
    }
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return true;
}

/** Whether brackets outside strings nest deeper than `limit` (checked before parsing: parsing them all costs). */
function nestsDeeper(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

/** JSON that parses (and is not too deep), masked and re-printed the way kubectl prints it; else undefined. */
export function maskWholeJson(text: string): string | undefined {
  const trimmed = text.trimStart();
  if ((!trimmed.startsWith('{') && !trimmed.startsWith('[')) || nestsDeeper(trimmed, MAX_JSON_DEPTH)) return undefined;
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!maskJson(parsed)) return undefined;
  try {
    return `${JSON.stringify(parsed, null, 4)}${text.endsWith('\n') ? '\n' : ''}`;
  } catch {
    return undefined; // the stack ran out re-printing it after all
  }
}
