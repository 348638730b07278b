/**
 * The kubectl audit log: one JSON line per kubectl call (event `kubectl_api_requests`), written when the call ends,
 * however many REST requests kubectl made through the proxy. It holds the cluster and identity hash, the number of
 * requests, counts per verb and resource, counts per status, the first distinct requests (method and path), and the
 * refused requests (rule, method, path), each list bounded. A `get` of five thousand names writes one bounded line,
 * not five thousand. No query strings, bodies, headers or tokens.
 * Written to the logger the proxy was given (the server's: `server.ts` creates the proxy with it).
 */
import type { Logger } from '../log.ts';
import { decodeSegments, restTarget, type RestRule } from './rest-policy.ts';

/** Who made the call: the cluster id and the first characters of the caller's identity key (an HMAC, not reversible). */
export interface KubectlAuditSubject {
  cluster: string;
  identity: string;
  /** The signed-in user (AUTH_MODE oauth/both): subject and display name, never the token. */
  user?: { sub: string; name?: string } | undefined;
}

/** Bounds of one call's audit line. */
export const AUDIT_LIMITS = { kinds: 32, firstRequests: 20, refusals: 20, pathChars: 256 } as const;

/** "pods", "deployments.apps", "pods/log", "discovery" (API and group lists), "/openapi" (other non-resource paths). */
export function auditedResource(path: string): string {
  const segments = decodeSegments(path);
  if (!Array.isArray(segments)) return 'invalid path';
  const target = restTarget(segments);
  if (!target) return `/${segments[0] ?? ''}`.slice(0, 64);
  if (!target.resource) return 'discovery';
  const name = `${target.resource}${target.group ? `.${target.group}` : ''}${target.subresource ? `/${target.subresource}` : ''}`;
  return name.slice(0, 128);
}

/** One call's requests, collected as they happen and written as one line by `flush()`. */
export class KubectlCallAudit {
  private requests = 0;
  private refused = 0;
  private answered = 0;
  private readonly kinds = new Map<string, number>();
  private readonly statuses = new Map<string, number>();
  private readonly first = new Set<string>();
  private readonly refusals: Array<{ method: string; path: string; rule: RestRule; status: number }> = [];
  private slowestMs = 0;
  private flushed = false;

  constructor(
    private readonly subject: KubectlAuditSubject,
    private readonly logger: Logger,
  ) {}

  /** A request kubectl made (`path` without the query): counted when it is judged, forwarded or not. */
  request(method: string, path: string): void {
    this.requests += 1;
    const kind = `${method} ${auditedResource(path)}`;
    const counted = this.kinds.has(kind) || this.kinds.size < AUDIT_LIMITS.kinds ? kind : 'other';
    this.kinds.set(counted, (this.kinds.get(counted) ?? 0) + 1);
    if (this.first.size < AUDIT_LIMITS.firstRequests) this.first.add(`${method} ${path.slice(0, AUDIT_LIMITS.pathChars)}`);
  }

  /** The policy refused the request counted last with `request()`. */
  refusal(method: string, path: string, rule: RestRule, status: number): void {
    this.refused += 1;
    if (this.refusals.length < AUDIT_LIMITS.refusals)
      this.refusals.push({ method, path: path.slice(0, AUDIT_LIMITS.pathChars), rule, status });
    this.answer(status, 0);
  }

  /** How a request ended: the status kubectl got (502: the API server could not be reached; 499: kubectl left first). */
  answer(status: number, durationMs: number): void {
    this.answered += 1;
    this.statuses.set(String(status), (this.statuses.get(String(status)) ?? 0) + 1);
    this.slowestMs = Math.max(this.slowestMs, Math.round(durationMs));
  }

  /** Write the call's line (once; nothing when kubectl made no request). Requests still open are counted as unfinished. */
  flush(): void {
    if (this.flushed || this.requests === 0) return;
    this.flushed = true;
    this.logger.event('kubectl_api_requests', {
      ...this.subject,
      requests: this.requests,
      refused: this.refused,
      unfinished: this.requests - this.answered,
      counts: Object.fromEntries(this.kinds),
      statuses: Object.fromEntries(this.statuses),
      first: [...this.first],
      refusals: this.refusals,
      refusalsLeftOut: this.refused - this.refusals.length,
      slowestMs: this.slowestMs,
    });
  }
}
