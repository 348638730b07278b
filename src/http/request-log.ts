/**
 * The request's log line: one per HTTP request, written when the answer has been sent (for a
 * progress stream, when the stream ended). Text that comes from the caller is logged only in a
 * known form or cut short: JSON-RPC methods outside MCP's as "other", paths and the request id
 * bounded. Secrets never reach it; `log.ts` masks key-shaped values as a last line of defence.
 */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../log.ts';
import { cutShort } from '../text.ts';
import type { AppEnv } from './app-env.ts';

/** The methods a client sends in MCP (requests and notifications), by the 2025-11-25 schema. */
const MCP_METHODS = new Set([
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'tasks/get',
  'tasks/result',
  'tasks/list',
  'tasks/cancel',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/roots/list_changed',
  'notifications/tasks/status',
]);

/** A message's method as logged: an MCP method, "other", or "response" for a client's response. */
export function methodForLog(message: unknown): string {
  const method = (message as { method?: unknown } | null)?.method;
  if (method === undefined) return 'response';
  return typeof method === 'string' && MCP_METHODS.has(method) ? method : 'other';
}

/** FC's request id of the request (`x-fc-request-id`), bounded: it is the caller's text off FC. */
export function fcRequestId(headers: Headers): string | undefined {
  const id = headers.get('x-fc-request-id');
  return id === null ? undefined : cutShort(id, 64);
}

export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    const fields: Record<string, unknown> = {};
    c.set('logFields', fields);
    await next();
    const write = () =>
      logger.request({
        requestId: fcRequestId(c.req.raw.headers),
        method: c.req.method,
        path: cutShort(c.req.path, 128),
        status: c.res.status,
        durationMs: Math.round(performance.now() - started),
        token: c.get('caller')?.tokenName,
        ...(c.get('rejection') ? { rejection: c.get('rejection') } : {}),
        ...fields,
      });
    const answered = c.get('answered');
    if (answered) void answered.then(write);
    else write();
  };
}
