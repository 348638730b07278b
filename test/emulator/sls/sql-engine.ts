/**
 * Answers `search` and `search | SQL` queries over a list of rows: the search part is evaluated
 * here (see README.md for the subset), the SQL part by SQLite (sql.js, WebAssembly) on a
 * table `log` holding the matching rows.
 */
import initSqlJs from 'sql.js';
import { EmulatorError } from '../http-util.ts';

export interface TimedRow {
  time: number;
  fields: Record<string, string>;
}

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;
let sqlJs: Promise<SqlJs> | undefined;

// ---- search -------------------------------------------------------------------------------
type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'not'; inner: Node }
  | { op: 'all' }
  | { op: 'term'; key?: string; value: string };

function tokenize(search: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*("(?:[^"\\]|\\.)*"|\(|\)|[^\s()]+)/y;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(search)) && match[1]) tokens.push(match[1]);
  return tokens;
}

function parseSearch(search: string): Node {
  const tokens = tokenize(search);
  let i = 0;
  const unquote = (t: string) => (t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\"/g, '"') : t);
  function atom(): Node {
    const token = tokens[i++];
    if (token === undefined) throw new EmulatorError(400, 'ParameterInvalid', 'incomplete search query');
    if (token === '(') {
      const inner = expr();
      if (tokens[i++] !== ')') throw new EmulatorError(400, 'ParameterInvalid', 'missing ) in search query');
      return inner;
    }
    if (token.toLowerCase() === 'not') return { op: 'not', inner: atom() };
    if (token === '*') return { op: 'all' };
    if (token.endsWith(':')) return { op: 'term', key: unquote(token.slice(0, -1)), value: unquote(tokens[i++] ?? '') };
    const colon = token.indexOf(':');
    if (colon > 0 && !token.startsWith('"')) return { op: 'term', key: token.slice(0, colon), value: unquote(token.slice(colon + 1)) };
    return { op: 'term', value: unquote(token) };
  }
  function expr(): Node {
    let left = atom();
    while (i < tokens.length && tokens[i] !== ')') {
      const word = tokens[i]!.toLowerCase();
      if (word === 'and' || word === 'or') {
        i += 1;
        left = { op: word, left, right: atom() };
      } else if (word === 'not') {
        left = { op: 'and', left, right: atom() };
      } else {
        left = { op: 'and', left, right: atom() };
      }
    }
    return left;
  }
  const node = tokens.length ? expr() : ({ op: 'all' } as Node);
  if (i < tokens.length) throw new EmulatorError(400, 'ParameterInvalid', `unexpected ${tokens[i]} in search query`);
  return node;
}

function matchValue(value: string, pattern: string): boolean {
  const v = value.toLowerCase();
  const p = pattern.toLowerCase();
  if (p.endsWith('*')) return v.split(/[^a-z0-9_.-]+/).some((word) => word.startsWith(p.slice(0, -1))) || v.startsWith(p.slice(0, -1));
  if (v === p || v.split(/[^a-z0-9_.-]+/).includes(p) || (p.includes(' ') && v.includes(p))) return true;
  // A phrase of several tokens ("system:serviceaccount:shop") matches the same tokens in a row, as Log Service does.
  const words = v.split(/[^a-z0-9_.-]+/).filter(Boolean);
  const phrase = p.split(/[^a-z0-9_.-]+/).filter(Boolean);
  return phrase.length > 1 && words.some((_, at) => phrase.every((word, k) => words[at + k] === word));
}

function matches(node: Node, fields: Record<string, string>): boolean {
  switch (node.op) {
    case 'all':
      return true;
    case 'not':
      return !matches(node.inner, fields);
    case 'and':
      return matches(node.left, fields) && matches(node.right, fields);
    case 'or':
      return matches(node.left, fields) || matches(node.right, fields);
    case 'term':
      if (node.key !== undefined) return fields[node.key] !== undefined && matchValue(fields[node.key]!, node.value);
      return Object.values(fields).some((value) => matchValue(value, node.value));
  }
}

// ---- SQL ----------------------------------------------------------------------------------
/** SQL tokens that matter for adding FROM: words and parentheses outside string literals and quoted names. */
function sqlWords(sql: string): Array<{ word: string; at: number; depth: number }> {
  const words: Array<{ word: string; at: number; depth: number }> = [];
  let depth = 0;
  for (let i = 0; i < sql.length; ) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      // 'it''s' and "a""b": a doubled quote stays inside.
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      i = j + 1;
    } else if (ch === '(') {
      depth += 1;
      i += 1;
    } else if (ch === ')') {
      depth -= 1;
      i += 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))![0];
      words.push({ word: word.toLowerCase(), at: i, depth });
      i += word.length;
    } else {
      i += 1;
    }
  }
  return words;
}

/** SLS SQL has no FROM: the logstore is the table. Adds `FROM log` before the first top-level clause when the query itself has no FROM (a subquery's does not count). */
function withFrom(sql: string): string {
  const words = sqlWords(sql);
  if (words.some((w) => w.word === 'from' && w.depth === 0)) return sql;
  const clause = words.find(
    (w, i) =>
      w.depth === 0 &&
      (['where', 'having', 'limit'].includes(w.word) || (['group', 'order'].includes(w.word) && words[i + 1]?.word === 'by')),
  );
  return clause ? `${sql.slice(0, clause.at)}FROM log ${sql.slice(clause.at)}` : `${sql} FROM log`;
}

/** Splits `search | SQL` at the first `|` outside a double-quoted phrase. */
function splitQuery(query: string): { search: string; sql: string } {
  let quoted = false;
  for (let i = 0; i < query.length; i += 1) {
    const ch = query[i];
    if (ch === '\\' && quoted) i += 1;
    else if (ch === '"') quoted = !quoted;
    else if (ch === '|' && !quoted) return { search: query.slice(0, i).trim() || '*', sql: query.slice(i + 1).trim() };
  }
  return { search: query.trim() || '*', sql: '' };
}

export interface QueryAnswer {
  rows: Array<Record<string, string>>;
  processedRows: number;
  hasSql: boolean;
  keys: string[];
}

export async function runLogQuery(
  rows: TimedRow[],
  query: string,
  options: { line: number; offset: number; reverse: boolean },
): Promise<QueryAnswer> {
  const { search, sql } = splitQuery(query);
  const tree = parseSearch(search);
  const matching = rows.filter((row) => matches(tree, row.fields)).sort((a, b) => a.time - b.time);
  if (!sql) {
    const ordered = options.reverse ? [...matching].reverse() : matching;
    const page = ordered.slice(options.offset, options.offset + options.line);
    return {
      rows: page.map((row) => ({ __time__: String(row.time), ...row.fields })),
      processedRows: matching.length,
      hasSql: false,
      keys: [...new Set(page.flatMap((row) => Object.keys(row.fields)))],
    };
  }
  sqlJs ??= initSqlJs();
  const SQL = await sqlJs;
  const db = new SQL.Database();
  try {
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row.fields)))];
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    db.run(`CREATE TABLE log (__time__ INTEGER, ${columns.map((c) => `${quote(c)} TEXT`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO log VALUES (?${', ?'.repeat(columns.length)})`);
    for (const row of matching) insert.run([row.time, ...columns.map((c) => row.fields[c] ?? null)]);
    insert.free();
    let result: ReturnType<typeof db.exec>;
    try {
      result = db.exec(withFrom(sql));
    } catch (error) {
      throw new EmulatorError(400, 'ParameterInvalid', (error as Error).message);
    }
    const last = result[result.length - 1];
    const keys = last?.columns ?? [];
    const hasLimit = sqlWords(sql).some((w) => w.word === 'limit' && w.depth === 0);
    const values = (last?.values ?? []).slice(0, hasLimit ? undefined : 100);
    return {
      rows: values.map((value) =>
        Object.fromEntries(keys.map((key, i) => [key, value[i] === null || value[i] === undefined ? 'null' : String(value[i])])),
      ),
      processedRows: matching.length,
      hasSql: true,
      keys,
    };
  } finally {
    db.close();
  }
}
