/**
 * A metricstore's Prometheus HTTP API, as Log Service serves it:
 * `/prometheus/{project}/{metricstore}/api/v1/query[_range]` (and the metadata endpoints of `metadata-api.ts`) with HTTP Basic auth (AccessKey id,
 * secret or `secret$securityToken`). Log Service's own failures (auth, RAM, unknown project or
 * metricstore) use its `errorCode` shape; query failures use Prometheus's (`status: error`, `bad_data`).
 */
import type { Acs3Request } from '../acs3-product.ts';
import type { EmulatorContext } from '../context.ts';
import { EmulatorError } from '../http-util.ts';
import { findAccessKey } from '../world.ts';
import {
  authorizeLog,
  checkToken,
  header,
  resolveProject,
  send,
  storeResource,
  unknownAccessKey,
  type RecordFields,
} from '../sls/common.ts';
import { instantParams, rangeParams } from './api-params.ts';
import { metadataActionOf, metadataAnswer } from './metadata-api.ts';
import { instantQuery, PromError, rangeQuery } from './promql.ts';
import { seriesOf } from './series.ts';

/** Querying a metricstore is reading a logstore for RAM. */
const QUERY = { ramAction: 'log:GetLogStoreLogs' } as const;

export async function servePrometheus(ctx: EmulatorContext, request: Acs3Request, requestId: string, record: RecordFields): Promise<void> {
  const { req, url } = request;
  const match = /^\/prometheus\/([^/]+)\/([^/]+)\/api\/v1\/(query|query_range|series|labels|label\/[^/]+\/values)$/.exec(url.pathname);
  const metadata = match ? metadataActionOf(match[3]!) : undefined;
  const action = metadata ?? (match?.[3] === 'query_range' ? 'PrometheusQueryRange' : 'PrometheusQuery');
  record({ action });
  const basic = /^Basic (.+)$/.exec(header(req, 'authorization') ?? '');
  if (!basic) throw new EmulatorError(401, 'Unauthorized', 'Basic authentication is required.');
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const accessKeyId = decoded.slice(0, colon);
  record({ accessKeyId });
  const found = findAccessKey(ctx.world, accessKeyId);
  if (!found) throw unknownAccessKey(accessKeyId);
  const password = decoded.slice(colon + 1);
  const dollar = password.indexOf('$');
  const secret = dollar >= 0 ? password.slice(0, dollar) : password;
  if (secret !== found.key.accessKeySecret)
    throw new EmulatorError(401, 'Unauthorized', 'The AccessKey secret in the Basic credentials is wrong.');
  checkToken(found.key, dollar >= 0 ? password.slice(dollar + 1) : undefined, ctx.now());
  record({ accountId: found.account.accountId });
  if (!match) throw new EmulatorError(404, 'InvalidRequest', `${url.pathname} is not emulated`);
  const fault = ctx.faults.take('sls', action);
  if (fault) record({ fault: fault.kind });
  if (fault?.kind === 'server-error' || fault?.kind === 'service-unavailable' || fault?.kind === 'server-busy')
    throw new EmulatorError(503, 'ServerBusy', 'The server is busy, please try again later.');
  const project = decodeURIComponent(match[1]!);
  const metricstore = decodeURIComponent(match[2]!);
  const owner = resolveProject(ctx.world, found.account, project);
  authorizeLog(found.key, QUERY.ramAction, storeResource(found.account, owner, project, metricstore));
  const cluster =
    owner.kind === 'prometheus' && owner.metricstores.includes(metricstore)
      ? owner.clusters.find((c) => `aliyun-prom-${c.cluster_id}` === metricstore)
      : undefined;
  if (!cluster) throw new EmulatorError(404, 'MetricStoreNotExist', `metricstore ${metricstore} does not exist`);
  const params = url.searchParams;
  const query = params.get('query') ?? '';
  // Prometheus checks the time parameters first, then parses the query.
  type Outcome = { data: unknown } | { error: { status: 'error'; errorType: string; error: string } };
  const answer = (fn: () => unknown, queryError: boolean): Outcome => {
    try {
      return { data: fn() };
    } catch (error) {
      if (!(error instanceof PromError)) throw error;
      const message = queryError && error.errorType === 'bad_data' ? `invalid parameter "query": ${error.message}` : error.message;
      return { error: { status: 'error' as const, errorType: error.errorType, error: message } };
    }
  };
  if (metadata) {
    const listed = answer(() => metadataAnswer(match[3]!, params, seriesOf(cluster)), false);
    if ('error' in listed) {
      send(request, 400, listed.error, requestId);
      record({ status: 400, errorCode: listed.error.errorType });
      return;
    }
    send(request, 200, { status: 'success', data: listed.data }, requestId);
    record({ status: 200 });
    return;
  }
  const times = answer(() => (match[3] === 'query_range' ? rangeParams(params) : instantParams(params, ctx.now() / 1000)), false);
  const result =
    'error' in times
      ? times
      : answer(() => {
          const t = (times as { data: unknown }).data as { start: number; end: number; step: number } | { time: number };
          return 'step' in t
            ? rangeQuery(query, seriesOf(cluster), t.start, t.end, t.step)
            : instantQuery(query, seriesOf(cluster), t.time);
        }, true);
  if ('error' in result) {
    send(request, 400, result.error, requestId);
    record({ status: 400, errorCode: result.error.errorType });
    return;
  }
  send(request, 200, { status: 'success', data: result.data }, requestId);
  record({ status: 200 });
}
