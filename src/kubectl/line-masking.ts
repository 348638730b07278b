/**
 * The line-by-line half of kubectl output masking (output-filter.ts), for YAML, describe output and kubectl's JSON
 * when it does not parse whole (cut, or several documents). Pure, no I/O.
 *
 * Linear in the output: every line is looked at a bounded number of times. kubectl prints `data` before `kind`, so
 * whether a `data:` block belongs to a Secret depends on lines after it; that is decided for all lines at once, in a
 * pass each way with a stack of the indents still open, instead of a walk over the lines around each `data:` line.
 * The decisions are those of the walk they replace (test/support/quadratic-masking.ts; compared on a generated corpus
 * in output-filter.linear.test.ts).
 */

import { LAST_APPLIED, MASK } from './masking.ts';

const LAST_APPLIED_KEY = `${LAST_APPLIED}:`;
const YAML_DATA = /^(data|stringData):\s*$/;
const YAML_KIND = /^kind: *["']?([^"'\s]*)["']?\s*$/;
const YAML_KEY = /^("[^"]*"|'[^']*'|[^:]+):/;
const MANAGED_FIELDS = /^managedFields:\s*$/;
const JSON_DATA = /^(\s*)"(?:data|stringData)":\s*\{\s*$/;
const JSON_KIND = /^\s*"kind":\s*"((?:[^"\\]|\\.)*)"/;
const JSON_MEMBER = /^(\s*"(?:[^"\\]|\\.)*":\s*)/;
const JSON_LAST_APPLIED = new RegExp(`("${LAST_APPLIED.replace(/[./]/g, '\\$&')}":\\s*)"(?:[^"\\\\\\n]|\\\\.)*"?`, 'g');

interface Line {
  text: string;
  /** Column where the key starts (after any `- ` list markers). */
  indent: number;
  /** The line opens a list item (`- key: ...`). */
  item: boolean;
  content: string;
}

/** Splits a line into its indent (leading whitespace, then `- ` list markers) and content, without a regex. */
function analyse(text: string): Line {
  let at = text.length - text.trimStart().length;
  const spaces = at;
  for (;;) {
    let next = at;
    if (text[next] !== '-') break;
    next++;
    while (text[next] === ' ') next++;
    if (next === at + 1) break; // a dash without a space after it is content
    at = next;
  }
  return { text, indent: at, item: at > spaces, content: text.slice(at) };
}

const top = (stack: number[]): number | undefined => stack[stack.length - 1];

/** The last `[at, kind]` of `kinds` (in line order) with `from <= at < to`. */
function lastKindBetween(kinds: Array<[number, string]> | undefined, from: number, to: number): string | undefined {
  if (!kinds) return undefined;
  let low = 0;
  let high = kinds.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (kinds[middle]![0] < to) low = middle + 1;
    else high = middle;
  }
  const last = kinds[low - 1];
  return last && last[0] >= from ? last[1] : undefined;
}

/**
 * For each YAML `data:`/`stringData:` line, whether its object is a Secret: the last `kind:` at its indent between
 * the object's start (back to a list item, or after a shallower line) and its end (a shallower line, or the next
 * item at its indent). An object that runs to the end of `cut` text without a `kind:` may be a Secret: masked.
 */
function yamlSecretData(lines: Line[], cut: boolean): boolean[] {
  const n = lines.length;
  const data = lines.map(
    (line) => (line.content.startsWith('data:') || line.content.startsWith('stringData:')) && YAML_DATA.test(line.content),
  );
  const kindsAt = new Map<number, Array<[number, string]>>();
  lines.forEach((line, at) => {
    const kind = line.content.startsWith('kind:') ? YAML_KIND.exec(line.content)?.[1] : undefined;
    if (kind === undefined) return;
    const kinds = kindsAt.get(line.indent) ?? [];
    kinds.push([at, kind]);
    kindsAt.set(line.indent, kinds);
  });
  const start = new Int32Array(n);
  const shallower: number[] = [];
  let lastItem = -1;
  for (let i = 0; i < n; i++) {
    const line = lines[i]!;
    if (line.item) lastItem = i;
    if (line.content === '' && !line.item) continue;
    while (shallower.length > 0 && lines[top(shallower)!]!.indent >= line.indent) shallower.pop();
    if (data[i]) start[i] = Math.max(lastItem, (top(shallower) ?? -1) + 1);
    shallower.push(i);
  }
  const secret = new Array<boolean>(n).fill(false);
  const after: number[] = [];
  const nextItemAt = new Map<number, number>();
  for (let i = n - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.content === '') continue;
    while (after.length > 0 && lines[top(after)!]!.indent >= line.indent) after.pop();
    if (data[i]) {
      const end = Math.min(top(after) ?? n, nextItemAt.get(line.indent) ?? n);
      const kind = lastKindBetween(kindsAt.get(line.indent), start[i]!, end);
      secret[i] = kind === 'Secret' || (end === n && kind === undefined && cut);
    }
    after.push(i);
    if (line.item) nextItemAt.set(line.indent, i);
  }
  return secret;
}

/** The first line from `from` on that is blank or not deeper than `indent`: where a block ends. */
function blockEnd(lines: Line[], from: number, indent: number): number {
  let j = from;
  while (j < lines.length && lines[j]!.content !== '' && lines[j]!.indent > indent) j++;
  return j;
}

/** YAML and describe output: drop managedFields, mask last-applied annotations and the values of Secret data. */
export function maskYamlLike(text: string, cut: boolean): string {
  const lines = text.split('\n').map(analyse);
  const secret = yamlSecretData(lines, cut);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // managedFields: drop the key and its block ("- " items count as deeper: their keys sit 2 columns in).
    if (line.content.startsWith('managedFields:') && MANAGED_FIELDS.test(line.content)) {
      i = blockEnd(lines, i + 1, line.indent) - 1;
      continue;
    }
    // last-applied-configuration (YAML key or describe's Annotations line): mask, drop the value's lines.
    const la = line.text.indexOf(LAST_APPLIED_KEY);
    if (la >= 0) {
      out.push(`${line.text.slice(0, la + LAST_APPLIED_KEY.length)} ${MASK}`);
      i = blockEnd(lines, i + 1, line.indent) - 1;
      continue;
    }
    // Secret data / stringData: keep the keys, mask the values.
    if (secret[i]) {
      out.push(line.text);
      let j = i + 1;
      let childIndent = -1;
      while (j < lines.length && lines[j]!.indent > line.indent && lines[j]!.content !== '') {
        const child = lines[j]!;
        if (childIndent < 0) childIndent = child.indent;
        if (child.indent === childIndent) {
          const key = YAML_KEY.exec(child.content);
          out.push(`${' '.repeat(child.indent)}${key ? key[1] : child.content}: ${MASK}`);
        }
        j++;
      }
      i = j - 1;
      continue;
    }
    out.push(line.text);
  }
  return out.join('\n');
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * For each line of kubectl's JSON that opens a `"data": {` or `"stringData": {` member, whether its object is a
 * Secret: the nearest `"kind"` at its indent before it (back to a blank or shallower line), else the nearest after it
 * (up to a shallower line); no kind and the object runs to the end of `cut` text: masked.
 */
function jsonSecretData(lines: string[], opens: boolean[], cut: boolean): boolean[] {
  const n = lines.length;
  const indent = lines.map(indentOf);
  const blank = lines.map((line, at) => indent[at] === line.length);
  const kind = lines.map((line, at) => (!blank[at] && line.startsWith('"kind"', indent[at]) ? JSON_KIND.exec(line)?.[1] : undefined));
  const open: Array<{ indent: number; kind: string | undefined }> = [];
  /** Line `at` closes the deeper indents; answers the kind seen at its own indent since it was last closed. */
  const visit = (at: number): string | undefined => {
    const depth = indent[at]!;
    while (open.length > 0 && open[open.length - 1]!.indent > depth) open.pop();
    const last = open[open.length - 1];
    const seen = last !== undefined && last.indent === depth ? last.kind : undefined;
    if (last !== undefined && last.indent === depth) last.kind = kind[at] ?? last.kind;
    else open.push({ indent: depth, kind: kind[at] });
    return seen;
  };
  const before: Array<string | undefined> = new Array(n);
  for (let at = 0; at < n; at++) {
    if (blank[at]) open.length = 0;
    else before[at] = visit(at);
  }
  open.length = 0;
  const secret = new Array<boolean>(n).fill(false);
  let shallowestAfter = Infinity;
  for (let at = n - 1; at >= 0; at--) {
    if (blank[at]) continue;
    const after = visit(at);
    if (opens[at]) {
      const found = before[at] ?? after;
      secret[at] = found !== undefined ? found === 'Secret' : shallowestAfter >= indent[at]! && cut;
    }
    shallowestAfter = Math.min(shallowestAfter, indent[at]!);
  }
  return secret;
}

/** Cut JSON: mask `data`/`stringData` members of Secrets (values cut short included) and last-applied annotations. */
export function maskCutJson(text: string, cut: boolean): string {
  const lines = text.split('\n');
  const opens = lines.map((line) => line.includes('ata"') && JSON_DATA.test(line));
  const secret = jsonSecretData(lines, opens, cut);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line);
    if (!secret[i]) continue;
    const indent = indentOf(line);
    let j = i + 1;
    for (; j < lines.length; j++) {
      const child = lines[j]!;
      if (child.trim() !== '' && indentOf(child) <= indent) break;
      const member = JSON_MEMBER.exec(child);
      out.push(member ? `${member[1]}"${MASK}"${/,\s*$/.test(child) ? ',' : ''}` : `${' '.repeat(indent + 4)}"${MASK}"`);
    }
    i = j - 1;
  }
  return out.join('\n').replace(JSON_LAST_APPLIED, `$1"${MASK}"`);
}

const isSpace = (ch: string): boolean => ch === ' ' || ch === '\n' || /^\s$/.test(ch);

/**
 * Cut or streamed JSON: drop `"managedFields": [ ... ]` up to the first `]` that starts a line (and a comma after
 * it). One scan: a `]` is looked at once, and so is the whitespace before it.
 */
export function dropJsonManagedFields(text: string): string {
  const opening = /"managedFields":\s*\[/g;
  let out = '';
  let kept = 0;
  for (let found = opening.exec(text); found; found = opening.exec(text)) {
    const inside = found.index + found[0].length;
    let close = -1;
    for (let bracket = text.indexOf(']', inside); bracket >= 0 && close < 0; bracket = text.indexOf(']', bracket + 1)) {
      for (let at = bracket - 1; at >= inside && isSpace(text[at]!); at--) {
        if (text[at] === '\n') {
          close = bracket;
          break;
        }
      }
    }
    if (close < 0) break; // no `]` starts a line after this one, so none does after a later one either
    const end = text[close + 1] === ',' ? close + 2 : close + 1;
    out += text.slice(kept, found.index);
    kept = end;
    opening.lastIndex = end;
  }
  return out + text.slice(kept);
}
