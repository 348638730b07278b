/**
 * Serves a request of the stateless revision (2026-07-28: the per-request `_meta` envelope,
 * `server/discover`, `resultType`, `input_required`) with the SDK's own entry, `createMcpHandler`,
 * strict for that revision (`legacy: 'reject'`: 2025-era traffic never reaches it, `serve-request.ts`
 * routes it to `serve-legacy.ts` with the SDK's own classifier). The SDK validates the envelope and
 * the revision's HTTP headers and answers an unsupported version with the revision's error
 * (-32022, with the supported list). One entry per catalogue source; the per-request hooks reach the
 * server factory through the `Request` the entry hands it back.
 */
import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { buildMcpServer, type RequestHooks } from './build-server.ts';
import type { CatalogSource } from './run-tool-call.ts';
import { untilEnd, type SdkAnswer } from './sdk-answer.ts';

const entries = new WeakMap<CatalogSource, McpHttpHandler>();
const hooksOf = new WeakMap<Request, RequestHooks>();

function entryFor(catalog: CatalogSource): McpHttpHandler {
  let entry = entries.get(catalog);
  if (!entry) {
    entry = createMcpHandler(
      ({ requestInfo }) => {
        const hooks = requestInfo && hooksOf.get(requestInfo);
        if (!hooks) throw new Error('a 2026-07-28 request reached the server factory without its hooks');
        return buildMcpServer(catalog, hooks);
      },
      { legacy: 'reject', responseMode: 'auto', keepAliveMs: 0 },
    );
    entries.set(catalog, entry);
  }
  return entry;
}

export async function serveModern(catalog: CatalogSource, hooks: RequestHooks, request: Request, body: unknown): Promise<SdkAnswer> {
  let inFlight = 0;
  let settled: (() => void) | undefined;
  hooksOf.set(request, {
    ...hooks,
    onCallStarted: () => void (inFlight += 1),
    onCallFinished(record) {
      hooks.onCallFinished(record);
      inFlight -= 1;
      if (inFlight === 0) settled?.();
    },
  });
  const response = await entryFor(catalog).fetch(request, { parsedBody: body });
  if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream'))
    return { response, finished: Promise.resolve() };
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const onEnd = async () => {
    if (inFlight > 0) await new Promise<void>((resolve) => (settled = resolve));
    finish();
  };
  const sent = untilEnd(response.body, () => void onEnd());
  return { response: new Response(sent, { status: response.status, headers: response.headers }), finished };
}
