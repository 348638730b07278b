/**
 * A small PromQL evaluator for the emulator (subset documented in README.md): selectors with
 * label matchers (= != =~ !~, quoted values with escapes), range selectors, rate/irate/increase,
 * sum/avg/min/max/count with by/without, + - * / and comparisons (filtering), parentheses, numbers.
 * Errors are thrown as `PromError` with Prometheus's own wording ("parse error: …").
 */
export interface Series {
  labels: Record<string, string>;
  /** The counter or gauge value at time t (seconds). */
  at(t: number): number;
}

export class PromError extends Error {
  constructor(
    readonly errorType: 'bad_data' | 'execution',
    message: string,
  ) {
    super(message);
  }
}

type Matcher = { name: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'selector'; matchers: Matcher[]; range?: number }
  | { kind: 'call'; fn: string; arg: Expr }
  | { kind: 'agg'; op: string; by?: string[]; without?: string[]; arg: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr };

type Instant = Array<{ labels: Record<string, string>; value: number }>;
type Value =
  | { type: 'scalar'; value: number }
  | { type: 'vector'; series: Instant }
  | { type: 'range'; series: Array<{ labels: Record<string, string>; samples: Array<[number, number]> }> };

const SCRAPE = 15;
const AGGREGATIONS = new Set(['sum', 'avg', 'min', 'max', 'count']);
const FUNCTIONS = new Set(['rate', 'irate', 'increase', 'abs']);

// ---- lexer / parser -------------------------------------------------------------------------
interface Token {
  type: 'ident' | 'number' | 'string' | 'duration' | 'op' | 'punct';
  text: string;
  pos: number;
}

function lex(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const rest = query.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\d+(\.\d+)?[smhdw]/.exec(rest)) && tokens[tokens.length - 1]?.text === '[')
      tokens.push({ type: 'duration', text: m[0], pos: i });
    else if ((m = /^\d+(\.\d+)?(e[+-]?\d+)?/i.exec(rest))) tokens.push({ type: 'number', text: m[0], pos: i });
    else if ((m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest))) tokens.push({ type: 'ident', text: m[0], pos: i });
    else if (ch === '"' || ch === "'") {
      let j = i + 1;
      let value = '';
      while (j < query.length && query[j] !== ch) {
        if (query[j] === '\\') {
          value += query[j + 1] ?? '';
          j += 2;
        } else {
          value += query[j];
          j += 1;
        }
      }
      if (j >= query.length) throw new PromError('bad_data', `1:${i + 1}: parse error: unterminated quoted string ${query.slice(i)}`);
      tokens.push({ type: 'string', text: value, pos: i });
      i = j + 1;
      continue;
    } else if ((m = /^(=~|!~|!=|==|>=|<=|[=><+\-*/])/.exec(rest))) tokens.push({ type: 'op', text: m[0], pos: i });
    else if ('(){}[],'.includes(ch)) tokens.push({ type: 'punct', text: ch, pos: i });
    else throw new PromError('bad_data', `1:${i + 1}: parse error: unexpected character: '${ch}'`);
    i += m ? m[0].length : 1;
  }
  return tokens;
}

function durationSeconds(text: string): number {
  const n = Number(text.slice(0, -1));
  return n * { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[text.slice(-1) as 's']!;
}

export function parsePromql(query: string): Expr {
  const tokens = lex(query);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (message: string, at = peek()?.pos ?? query.length): never => {
    throw new PromError('bad_data', `1:${at + 1}: parse error: ${message}`);
  };
  const expect = (text: string) => {
    const t = tokens[i];
    if (t?.text !== text) fail(t ? `unexpected "${t.text}", expected "${text}"` : `unexpected end of input, expected "${text}"`);
    i += 1;
  };
  const PRECEDENCE: Record<string, number> = { '==': 1, '!=': 1, '>': 1, '<': 1, '>=': 1, '<=': 1, '+': 2, '-': 2, '*': 3, '/': 3 };

  function labelList(): string[] {
    expect('(');
    const names: string[] = [];
    while (peek()?.text !== ')') {
      const t = tokens[i++];
      if (t?.type !== 'ident') fail('unexpected token in grouping opts, expected label');
      names.push(t!.text);
      if (peek()?.text === ',') i += 1;
    }
    expect(')');
    return names;
  }

  function selector(name?: string): Expr {
    const matchers: Matcher[] = name ? [{ name: '__name__', op: '=', value: name }] : [];
    if (peek()?.text === '{') {
      i += 1;
      while (peek()?.text !== '}') {
        const label = tokens[i++];
        if (label?.type !== 'ident') fail('unexpected token in label matching, expected label name');
        const op = tokens[i++];
        if (!op || !['=', '!=', '=~', '!~'].includes(op.text))
          fail(`unexpected "${op?.text ?? 'end of input'}" in label matching, expected label matching operator`);
        const value = tokens[i++];
        if (value?.type !== 'string') fail(`unexpected "${value?.text ?? 'end of input'}" in label matching, expected string`);
        matchers.push({ name: label!.text, op: op!.text as Matcher['op'], value: value!.text });
        if (peek()?.text === ',') i += 1;
        else if (peek()?.text !== '}') fail('unexpected character inside braces');
      }
      expect('}');
    }
    if (!matchers.some((m) => (m.op === '=' && m.value !== '') || (m.op === '=~' && m.value !== '.*')))
      fail('vector selector must contain at least one non-empty matcher');
    let range: number | undefined;
    if (peek()?.text === '[') {
      i += 1;
      const d = tokens[i++];
      if (d?.type !== 'duration') fail('bad duration in range selector');
      range = durationSeconds(d!.text);
      expect(']');
    }
    return range === undefined ? { kind: 'selector', matchers } : { kind: 'selector', matchers, range };
  }

  function primary(): Expr {
    const t = tokens[i];
    if (!t) return fail('unexpected end of input');
    if (t.text === '(') {
      i += 1;
      const inner = expr(0);
      expect(')');
      return inner;
    }
    if (t.text === '-') {
      i += 1;
      return { kind: 'binary', op: '*', left: { kind: 'number', value: -1 }, right: primary() };
    }
    if (t.type === 'number') {
      i += 1;
      return { kind: 'number', value: Number(t.text) };
    }
    if (t.text === '{') return selector();
    if (t.type === 'ident') {
      i += 1;
      if (AGGREGATIONS.has(t.text)) {
        let by: string[] | undefined;
        let without: string[] | undefined;
        if (peek()?.text === 'by') {
          i += 1;
          by = labelList();
        } else if (peek()?.text === 'without') {
          i += 1;
          without = labelList();
        }
        expect('(');
        const arg = expr(0);
        expect(')');
        if (!by && !without) {
          if (peek()?.text === 'by') {
            i += 1;
            by = labelList();
          } else if (peek()?.text === 'without') {
            i += 1;
            without = labelList();
          }
        }
        return { kind: 'agg', op: t.text, ...(by ? { by } : {}), ...(without ? { without } : {}), arg };
      }
      if (peek()?.text === '(') {
        if (!FUNCTIONS.has(t.text)) fail(`unknown function with name "${t.text}"`, t.pos);
        i += 1;
        const arg = expr(0);
        expect(')');
        return { kind: 'call', fn: t.text, arg };
      }
      return selector(t.text);
    }
    return fail(`unexpected "${t.text}"`);
  }

  function expr(minPrecedence: number): Expr {
    let left = primary();
    for (;;) {
      const t = peek();
      const precedence = t && t.type === 'op' ? PRECEDENCE[t.text] : undefined;
      if (precedence === undefined || precedence <= minPrecedence - 1 || precedence < minPrecedence) break;
      i += 1;
      const right = expr(precedence + 1);
      left = { kind: 'binary', op: t!.text, left, right };
    }
    return left;
  }

  if (tokens.length === 0) fail('no expression found in input', 0);
  const root = expr(0);
  if (i < tokens.length) fail(`unexpected "${tokens[i]!.text}"`);
  return root;
}

// ---- evaluation -----------------------------------------------------------------------------
export function selects(series: Series, matchers: Matcher[]): boolean {
  return matchers.every((m) => {
    const value = series.labels[m.name] ?? '';
    if (m.op === '=') return value === m.value;
    if (m.op === '!=') return value !== m.value;
    const re = new RegExp(`^(?:${m.value})$`);
    return m.op === '=~' ? re.test(value) : !re.test(value);
  });
}

function withoutName(labels: Record<string, string>): Record<string, string> {
  const { __name__: _name, ...rest } = labels;
  return rest;
}

const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

function evaluate(expr: Expr, all: Series[], t: number): Value {
  switch (expr.kind) {
    case 'number':
      return { type: 'scalar', value: expr.value };
    case 'selector': {
      const chosen = all.filter((s) => selects(s, expr.matchers));
      const last = Math.floor(t / SCRAPE) * SCRAPE;
      if (expr.range === undefined) return { type: 'vector', series: chosen.map((s) => ({ labels: s.labels, value: s.at(last) })) };
      const samples = (s: Series) => {
        const out: Array<[number, number]> = [];
        for (let at = last; at > t - expr.range!; at -= SCRAPE) out.unshift([at, s.at(at)]);
        return out;
      };
      return { type: 'range', series: chosen.map((s) => ({ labels: s.labels, samples: samples(s) })) };
    }
    case 'call': {
      const arg = evaluate(expr.arg, all, t);
      if (expr.fn === 'abs') {
        if (arg.type !== 'vector') throw new PromError('bad_data', 'expected type instant vector in call to function "abs"');
        return { type: 'vector', series: arg.series.map((s) => ({ labels: withoutName(s.labels), value: Math.abs(s.value) })) };
      }
      if (arg.type !== 'range')
        throw new PromError('bad_data', `expected type range vector in call to function "${expr.fn}", got instant vector`);
      const series = arg.series
        .filter((s) => s.samples.length >= 2)
        .map((s) => {
          const [t0, v0] = expr.fn === 'irate' ? s.samples[s.samples.length - 2]! : s.samples[0]!;
          const [t1, v1] = s.samples[s.samples.length - 1]!;
          const delta = v1 - v0;
          return { labels: withoutName(s.labels), value: expr.fn === 'increase' ? delta : delta / (t1 - t0) };
        });
      return { type: 'vector', series };
    }
    case 'agg': {
      const arg = evaluate(expr.arg, all, t);
      if (arg.type !== 'vector')
        throw new PromError(
          'bad_data',
          `expected type instant vector in aggregation expression, got ${arg.type === 'range' ? 'range vector' : 'scalar'}`,
        );
      const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
      for (const s of arg.series) {
        const labels = expr.by
          ? Object.fromEntries(expr.by.filter((l) => s.labels[l] !== undefined).map((l) => [l, s.labels[l]!]))
          : Object.fromEntries(Object.entries(withoutName(s.labels)).filter(([l]) => !(expr.without ?? Object.keys(s.labels)).includes(l)));
        const group = groups.get(key(labels)) ?? { labels, values: [] };
        group.values.push(s.value);
        groups.set(key(labels), group);
      }
      const reduce = (values: number[]) =>
        expr.op === 'sum'
          ? values.reduce((a, b) => a + b, 0)
          : expr.op === 'avg'
            ? values.reduce((a, b) => a + b, 0) / values.length
            : expr.op === 'min'
              ? Math.min(...values)
              : expr.op === 'max'
                ? Math.max(...values)
                : values.length;
      return { type: 'vector', series: [...groups.values()].map((g) => ({ labels: g.labels, value: reduce(g.values) })) };
    }
    case 'binary': {
      const left = evaluate(expr.left, all, t);
      const right = evaluate(expr.right, all, t);
      if (left.type === 'range' || right.type === 'range')
        throw new PromError('bad_data', 'binary expression must contain only scalar and instant vector types');
      const compare = ['==', '!=', '>', '<', '>=', '<='].includes(expr.op);
      const apply = (a: number, b: number): number | boolean => {
        switch (expr.op) {
          case '+':
            return a + b;
          case '-':
            return a - b;
          case '*':
            return a * b;
          case '/':
            return a / b;
          case '==':
            return a === b;
          case '!=':
            return a !== b;
          case '>':
            return a > b;
          case '<':
            return a < b;
          case '>=':
            return a >= b;
          default:
            return a <= b;
        }
      };
      if (left.type === 'scalar' && right.type === 'scalar') {
        if (compare) throw new PromError('bad_data', 'comparisons between scalars must use BOOL modifier');
        return { type: 'scalar', value: apply(left.value, right.value) as number };
      }
      const pairs: Array<{ labels: Record<string, string>; a: number; b: number; keep: number }> = [];
      if (left.type === 'vector' && right.type === 'scalar')
        for (const s of left.series) pairs.push({ labels: s.labels, a: s.value, b: right.value, keep: s.value });
      else if (left.type === 'scalar' && right.type === 'vector')
        for (const s of right.series) pairs.push({ labels: s.labels, a: left.value, b: s.value, keep: s.value });
      else if (left.type === 'vector' && right.type === 'vector') {
        const byKey = new Map(right.series.map((s) => [key(withoutName(s.labels)), s]));
        for (const s of left.series) {
          const other = byKey.get(key(withoutName(s.labels)));
          if (other) pairs.push({ labels: s.labels, a: s.value, b: other.value, keep: s.value });
        }
      }
      const series = compare
        ? pairs.filter((p) => apply(p.a, p.b)).map((p) => ({ labels: p.labels, value: p.keep }))
        : pairs.map((p) => ({ labels: withoutName(p.labels), value: apply(p.a, p.b) as number }));
      return { type: 'vector', series };
    }
  }
}

const format = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15))));

export function instantQuery(query: string, all: Series[], t: number) {
  const value = evaluate(parsePromql(query), all, t);
  if (value.type === 'scalar') return { resultType: 'scalar', result: [t, format(value.value)] };
  if (value.type === 'vector')
    return { resultType: 'vector', result: value.series.map((s) => ({ metric: s.labels, value: [t, format(s.value)] })) };
  return {
    resultType: 'matrix',
    result: value.series.map((s) => ({ metric: s.labels, values: s.samples.map(([at, v]) => [at, format(v)]) })),
  };
}

export function rangeQuery(query: string, all: Series[], start: number, end: number, step: number) {
  const expr = parsePromql(query);
  const out = new Map<string, { metric: Record<string, string>; values: Array<[number, string]> }>();
  for (let t = start; t <= end; t += step) {
    const value = evaluate(expr, all, t);
    if (value.type === 'range')
      throw new PromError('bad_data', 'invalid expression type "range vector" for range query, must be Scalar or instant Vector');
    const series = value.type === 'scalar' ? [{ labels: {}, value: value.value }] : value.series;
    for (const s of series) {
      const k = key(s.labels);
      const entry = out.get(k) ?? { metric: s.labels, values: [] };
      entry.values.push([t, format(s.value)]);
      out.set(k, entry);
    }
  }
  return { resultType: 'matrix', result: [...out.values()] };
}
