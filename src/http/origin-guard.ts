/**
 * Cross-origin and DNS-rebinding protection, as the MCP Streamable HTTP transport asks: a request whose `Origin`
 * is not in ALLOWED_ORIGINS is refused with 403 (empty list: every browser page is refused); requests without
 * `Origin` (agents, servers) pass. When ALLOWED_HOSTS is set, `Host` must be one of its names (an entry without
 * a port allows any port). `GET /healthz` is never refused: FC's health check sends neither and it reveals nothing.
 */
import type { MiddlewareHandler } from 'hono';
import { cutShort } from '../text.ts';
import type { AppEnv } from './app-env.ts';
import { jsonRpcError } from './json-rpc-errors.ts';

export interface OriginGuardSettings {
  /** Lower-case `scheme://host[:port]` origins (`ALLOWED_ORIGINS`). */
  allowedOrigins: readonly string[];
  /** Lower-case `host[:port]` entries (`ALLOWED_HOSTS`); empty: Host is not checked. */
  allowedHosts: readonly string[];
}

/** `host` or `host:port` of a Host header, lower-cased (IPv6 literals keep their brackets). */
function splitHost(header: string): { name: string; port: string | undefined } {
  const value = header.trim().toLowerCase();
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(value);
  return match ? { name: match[1]!, port: match[2] || undefined } : { name: value, port: undefined };
}

function hostAllowed(allowed: readonly string[], header: string): boolean {
  const { name, port } = splitHost(header);
  return allowed.some((entry) => {
    const wanted = splitHost(entry);
    return wanted.name === name && (wanted.port === undefined || wanted.port === port);
  });
}

export function originGuard(settings: OriginGuardSettings): MiddlewareHandler<AppEnv> {
  return async function guardOriginAndHost(c, next) {
    if (c.req.method === 'GET' && c.req.path === '/healthz') return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && !settings.allowedOrigins.includes(origin.trim().toLowerCase())) {
      c.set('rejection', 'origin_not_allowed');
      const message = `Forbidden: requests from browser pages (Origin ${cutShort(origin, 100)}) are not allowed. The operator may allow an origin in ALLOWED_ORIGINS.`;
      return c.json(jsonRpcError(-32000, message), 403);
    }
    const host = c.req.header('host') ?? '';
    if (settings.allowedHosts.length > 0 && !hostAllowed(settings.allowedHosts, host)) {
      c.set('rejection', 'host_not_allowed');
      const message = `Forbidden: Host ${cutShort(host || '(none)', 100)} is not one this server answers to. The operator lists the host names in ALLOWED_HOSTS.`;
      return c.json(jsonRpcError(-32000, message), 403);
    }
    return next();
  };
}
