import type { Acs3Request } from '../acs3-product.ts';
import { serveAcs3Operation } from '../acs3-product.ts';
import type { EmulatorContext } from '../context.ts';
import { EmulatorError } from '../http-util.ts';
import { matchCsRoute } from './routes.ts';

/** Serves one ACK (CS) request. */
export async function serveCs(ctx: EmulatorContext, request: Acs3Request): Promise<void> {
  const matched = matchCsRoute(request.req.method ?? 'GET', request.url.pathname);
  await serveAcs3Operation(
    'cs',
    ctx,
    request,
    matched && {
      action: matched.route.action,
      ramAction: matched.route.ramAction,
      mutating: matched.route.mutating ?? false,
      run(caller, requestId) {
        let body: Record<string, unknown> = {};
        if (request.body.length > 0) {
          try {
            body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
          } catch {
            throw new EmulatorError(400, 'InvalidParameter', 'The request body is not valid JSON.');
          }
        }
        return matched.route.handle({
          caller,
          world: ctx.world,
          params: matched.params,
          query: request.url.searchParams,
          body,
          now: ctx.now(),
          requestId,
          env: ctx.env,
          endpointRegion: request.endpointRegion,
        });
      },
    },
  );
}
