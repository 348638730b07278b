/**
 * The kubectl audit log: one JSON line per REST request kubectl makes through the proxy (method, path, status,
 * cluster, identity hash, whether the policy refused it). No query strings, bodies, headers or tokens.
 * Written with the server's log format (`createLogger`) to stdout unless a test or the host installs another logger.
 */
import { createLogger, type Logger } from '../log.ts';

export interface KubectlAuditRecord {
  cluster: string;
  /** First characters of the caller's identity key (an HMAC, not reversible). */
  identity: string;
  method: string;
  /** The path forwarded upstream, exactly as judged (no query string); for a refused request, the path asked for. */
  path: string;
  status: number;
  /** Set when the proxy refused the request; the rule that refused it. */
  refused?: string;
  durationMs: number;
}

let auditLogger: Logger | undefined;

/** Route audit lines to `logger` (the server's, or a test's capturing one). */
export function setKubectlAuditLogger(logger: Logger): void {
  auditLogger = logger;
}

export function auditKubectlRequest(record: KubectlAuditRecord): void {
  auditLogger ??= createLogger();
  auditLogger.event('kubectl_api_request', { ...record });
}
