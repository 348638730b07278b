/**
 * The hostile-traffic corpus (hostile-traffic.corpus.jsonl): one JSON case per line; blank lines and lines starting
 * with `//` are skipped. A case is sent one of three ways and says what must come back:
 *
 *   {"id": "kebab-id", "about": "why this case exists",
 *    "tenant": "demo" | "demo-sts" | "demo-sts-expired" | "demo-sts-bogus" | "other" | "none",   (default demo)
 *    "tool": "kubectl", "args": {...}, "headers": {...}           a tools/call (POST /mcp) with the tenant's keys
 *    "http": {"method", "path", "headers", "body", "auth"}         a raw HTTP request (auth: send the bearer token, default true)
 *    "proxy": {"stage": "connect-reset" | "tls-reset" | "request-line-reset" | "after-401-reset" | "upgrade-reset" |
 *              "upgrade-401-reset"}                                a TLS connection to the kubectl proxy, reset (TCP RST) right
 *                                                                  after connecting / the handshake / a request line / the 401
 *                                                                  to a bogus token / an Upgrade request / the 401 to that
 *    "repeat": 3, "after": ["other-id"], "deadlineMs": 60000,
 *    "expect": {"ok": true} | {"error": "Code" | "*"} | {"rpcError": -32600} | {"status": 413} | {"text": "regex"} (any mix)}
 *
 * Values anywhere in `args`, `headers` or `http` may be generators, expanded before sending:
 *   {"$repeat": "a", "times": 2000000}                  → "aaa…"
 *   {"$seq": "cm-{i}", "count": 800, "join": " "}        → "cm-1 cm-2 … cm-800" (an array without `join`)
 *   {"$nest": 100000, "open": "[", "close": "]", "inner": "1"} → "[[[…1…]]]"
 *   {"$concat": ["a", {"$repeat": "b", "times": 3}]}     → "abbb"
 *   {"$json": <value>}                                   → the value (expanded) as JSON text
 * and strings may hold `${cluster:prod-hangzhou}` (a cluster id by name), `${account:demo}` (an account id) and
 * `${marker}` (unique per sent instance: put it where the upstream sees it, e.g. `-l hostile=${marker}` or in a log
 * query, and the test checks that exactly the tenant's key reached the upstream for it).
 */
import { readFileSync } from 'node:fs';

export type Tenant = 'demo' | 'demo-sts' | 'demo-sts-expired' | 'demo-sts-bogus' | 'other' | 'none';
export const TENANTS: readonly Tenant[] = ['demo', 'demo-sts', 'demo-sts-expired', 'demo-sts-bogus', 'other', 'none'];
export const PROXY_STAGES = [
  'connect-reset',
  'tls-reset',
  'request-line-reset',
  'after-401-reset',
  'upgrade-reset',
  'upgrade-401-reset',
] as const;
export type ProxyStage = (typeof PROXY_STAGES)[number];

export interface Expectation {
  ok?: boolean;
  /** A tool error code (`Error Code: …`), or `*` for any error (tool error or JSON-RPC error). */
  error?: string;
  rpcError?: number;
  status?: number;
  /** A regular expression the answer's text must match. */
  text?: string;
}

export interface HostileCase {
  id: string;
  about?: string;
  tenant: Tenant;
  tool?: string;
  args?: unknown;
  headers?: unknown;
  http?: { method?: string; path?: string; headers?: unknown; body?: unknown; auth?: boolean };
  proxy?: { stage: ProxyStage };
  repeat: number;
  after: string[];
  deadlineMs: number;
  expect: Expectation;
  /** 1-based line in the corpus file. */
  line: number;
}

const KEYS = new Set(['id', 'about', 'tenant', 'tool', 'args', 'headers', 'http', 'proxy', 'repeat', 'after', 'deadlineMs', 'expect']);

function fail(line: number, message: string): never {
  throw new Error(`hostile-traffic corpus line ${line}: ${message}`);
}

/** Reads and checks the corpus; a malformed line fails with its line number. */
export function loadCorpus(path: URL): HostileCase[] {
  const cases: HostileCase[] = [];
  const ids = new Set<string>();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = index + 1;
      if (!text.trim() || text.trim().startsWith('//')) return;
      let raw: Record<string, any>;
      try {
        raw = JSON.parse(text) as Record<string, any>;
      } catch (error) {
        fail(line, `not JSON (${(error as Error).message})`);
      }
      for (const key of Object.keys(raw)) if (!KEYS.has(key)) fail(line, `unknown field "${key}"`);
      if (typeof raw.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(raw.id)) fail(line, 'id must be kebab-case');
      if (ids.has(raw.id)) fail(line, `id "${raw.id}" is used twice`);
      ids.add(raw.id);
      const kinds = ['tool', 'http', 'proxy'].filter((kind) => raw[kind] !== undefined);
      if (kinds.length !== 1) fail(line, 'give exactly one of tool, http, proxy');
      const tenant = raw.tenant ?? 'demo';
      if (!TENANTS.includes(tenant)) fail(line, `tenant must be one of ${TENANTS.join(', ')}`);
      if (raw.proxy && !PROXY_STAGES.includes(raw.proxy.stage)) fail(line, `proxy.stage must be one of ${PROXY_STAGES.join(', ')}`);
      const expect = raw.expect as Expectation | undefined;
      if (!expect || typeof expect !== 'object' || Object.keys(expect).length === 0) fail(line, 'expect is required');
      if (raw.after !== undefined && !(Array.isArray(raw.after) && raw.after.every((id: unknown) => typeof id === 'string')))
        fail(line, 'after is a list of ids');
      cases.push({
        id: raw.id,
        about: raw.about,
        tenant,
        tool: raw.tool,
        args: raw.args ?? {},
        headers: raw.headers ?? {},
        http: raw.http,
        proxy: raw.proxy,
        repeat: raw.repeat ?? 1,
        after: raw.after ?? [],
        deadlineMs: raw.deadlineMs ?? 60_000,
        expect,
        line,
      });
    });
  for (const entry of cases) for (const id of entry.after) if (!ids.has(id)) fail(entry.line, `after names an unknown id "${id}"`);
  return cases;
}

/** What `${…}` placeholders stand for. */
export interface Placeholders {
  cluster(name: string): string;
  account(name: string): string;
  marker: string;
}

function substitute(text: string, values: Placeholders): string {
  return text.replace(
    /\$\{(cluster|account):([a-z0-9-]+)\}|\$\{marker\}/g,
    (_match, kind: string | undefined, name: string | undefined) => {
      if (kind === 'cluster') return values.cluster(name!);
      if (kind === 'account') return values.account(name!);
      return values.marker;
    },
  );
}

function asText(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`a generator needs text here, got ${JSON.stringify(value)?.slice(0, 80)}`);
  return value;
}

/** Expands generators and placeholders (see the module comment). */
export function expand(value: unknown, values: Placeholders): unknown {
  if (typeof value === 'string') return substitute(value, values);
  if (Array.isArray(value)) return value.map((item) => expand(item, values));
  if (value === null || typeof value !== 'object') return value;
  const spec = value as Record<string, unknown>;
  if ('$repeat' in spec) return asText(expand(spec.$repeat, values)).repeat(Number(spec.times));
  if ('$seq' in spec) {
    const template = asText(expand(spec.$seq, values));
    const items = Array.from({ length: Number(spec.count) }, (_, i) => template.replaceAll('{i}', String(i + 1)));
    return typeof spec.join === 'string' ? items.join(spec.join) : items;
  }
  if ('$nest' in spec) {
    const depth = Number(spec.$nest);
    return `${asText(spec.open).repeat(depth)}${typeof spec.inner === 'string' ? spec.inner : ''}${asText(spec.close).repeat(depth)}`;
  }
  if ('$concat' in spec) return (spec.$concat as unknown[]).map((part) => asText(expand(part, values))).join('');
  if ('$json' in spec) return JSON.stringify(expand(spec.$json, values));
  return Object.fromEntries(Object.entries(spec).map(([key, item]) => [key, expand(item, values)]));
}
