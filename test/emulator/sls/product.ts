/**
 * Log Service as an emulated product: the SLS API (`LOG`-signed: ListLogStores, GetLogsV2,
 * CallAiTools, see `log-api.ts`) and the metricstores' Prometheus API (HTTP Basic auth, see
 * `../prometheus/http-api.ts`). Every request is authenticated, checked for faults and RAM, and
 * recorded in the call log as product `sls`. Projects of another account are `ProjectNotExist`.
 */
import type { CallRecord } from '../call-log.ts';
import { EmulatorError, newRequestId } from '../http-util.ts';
import type { EmulatedProduct } from '../index.ts';
import { servePrometheus } from '../prometheus/http-api.ts';
import { header, send } from './common.ts';
import { serveSlsApi } from './log-api.ts';

export const slsProduct: EmulatedProduct = {
  name: 'sls',
  matches(req, url) {
    return (
      url.pathname.startsWith('/prometheus/') ||
      (header(req, 'authorization') ?? '').startsWith('LOG ') ||
      header(req, 'x-log-apiversion') !== undefined
    );
  },
  async serve(ctx, request) {
    const requestId = newRequestId().replace(/-/g, '').slice(0, 24);
    const { req, url } = request;
    const entry: Record<string, unknown> = {
      time: Date.now(),
      product: 'sls',
      action: 'Unknown',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      accessKeyId: '',
      host: header(req, 'host') ?? '',
    };
    const record = (fields: Record<string, unknown>) => void Object.assign(entry, fields);
    try {
      if (url.pathname.startsWith('/prometheus/')) await servePrometheus(ctx, request, requestId, record);
      else await serveSlsApi(ctx, request, requestId, record);
    } catch (error) {
      const failure = error instanceof EmulatorError ? error : new EmulatorError(500, 'InternalServerError', String(error));
      send(request, failure.status, { errorCode: failure.code, errorMessage: failure.message }, requestId);
      record({ status: failure.status, errorCode: failure.code });
    }
    ctx.callLog.add({ ...(entry as unknown as Omit<CallRecord, 'seq'>), status: typeof entry.status === 'number' ? entry.status : 0 });
  },
};
