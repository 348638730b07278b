/**
 * ARMS (Managed Service for Prometheus) as an emulated product:
 * - GetPrometheusInstance (RPC over ACS3, version 2019-08-08, query `ClusterId`, `RegionId`; RAM
 *   `arms:GetPrometheusInstance`) answers `{RequestId, Code: 200, Message, Data}` with `Data` in the
 *   SDK model's PascalCase (`ClusterType`, `HttpApiInterUrl`, `HttpApiIntraUrl`, `AuthToken`,
 *   `EnableAuthToken`…; alibabacloud-typescript-sdk arms-20190808 GetPrometheusInstanceResponseBody).
 *   For an ACK cluster (`aliyun-cs`) the Prometheus instance id is the cluster id, as the official
 *   ack-mcp-server relies on. Only staging-beijing has such an older, ARMS-hosted instance (it has
 *   no SLS metricstore); any other id answers `Code: 404` with no `Data` (the real answer for a
 *   missing instance is unconfirmed: HTTP 200 with a body code is ARMS's usual style);
 * - that instance's Prometheus HTTP API at `HttpApiInterUrl` (`/api/v1/prometheus/{key}/api/v1/query[_range]`),
 *   which requires the instance's token in the `Authorization` header when `EnableAuthToken` is "true".
 */
import { serveAcs3Operation, type Acs3Request } from '../acs3-product.ts';
import type { EmulatorContext } from '../context.ts';
import { EmulatorError, newRequestId, sendJson } from '../http-util.ts';
import type { EmulatedProduct } from '../index.ts';
import { instantParams, rangeParams } from '../prometheus/api-params.ts';
import { instantQuery, PromError, rangeQuery } from '../prometheus/promql.ts';
import { metadataActionOf, metadataAnswer } from '../prometheus/metadata-api.ts';
import { seriesOf } from '../prometheus/series.ts';
import { stableHex, type ClusterRecord, type World } from '../world.ts';

/** The clusters whose Prometheus is an ARMS-hosted instance (not an SLS metricstore). */
export function armsHosted(cluster: ClusterRecord): boolean {
  return cluster.name === 'staging-beijing';
}

export function armsTokenOf(cluster: ClusterRecord): string {
  return `eyJhbGciOiJIUzI1NiJ9.${stableHex(`arms-token:${cluster.cluster_id}`, 24)}`;
}

function keyOf(cluster: ClusterRecord): string {
  return stableHex(`arms-prom:${cluster.cluster_id}`, 20);
}

function findByKey(world: World, key: string): ClusterRecord | undefined {
  return world.accounts.flatMap((account) => account.clusters).find((cluster) => armsHosted(cluster) && keyOf(cluster) === key);
}

function serveQuery(ctx: EmulatorContext, request: Acs3Request): void {
  const requestId = newRequestId();
  const match = /^\/api\/v1\/prometheus\/([^/]+)\/api\/v1\/(query|query_range|series|labels|label\/[^/]+\/values)$/.exec(
    request.url.pathname,
  );
  const cluster = match ? findByKey(ctx.world, match[1]!) : undefined;
  const metadata = match ? metadataActionOf(match[2]!) : undefined;
  const entry = ctx.callLog.add({
    time: Date.now(),
    product: 'arms',
    action: metadata ?? (match?.[2] === 'query_range' ? 'PrometheusQueryRange' : 'PrometheusQuery'),
    method: request.req.method ?? 'GET',
    path: request.url.pathname,
    query: Object.fromEntries(request.url.searchParams),
    accessKeyId: '',
    status: 0,
  });
  const answer = (status: number, body: unknown) => {
    ctx.callLog.settle(entry, { status });
    sendJson(request.res, status, body, requestId);
  };
  if (!cluster) {
    answer(404, { status: 'error', errorType: 'not_found', error: 'no such Prometheus instance' });
    return;
  }
  if (request.req.headers.authorization !== armsTokenOf(cluster)) {
    answer(401, { status: 'error', errorType: 'unauthorized', error: 'invalid or missing token' });
    return;
  }
  const params = request.url.searchParams;
  try {
    const data = metadata
      ? metadataAnswer(match![2]!, params, seriesOf(cluster))
      : match![2] === 'query_range'
        ? (() => {
            const t = rangeParams(params);
            return rangeQuery(params.get('query') ?? '', seriesOf(cluster), t.start, t.end, t.step);
          })()
        : instantQuery(params.get('query') ?? '', seriesOf(cluster), instantParams(params, ctx.now() / 1000).time);
    answer(200, { status: 'success', data });
  } catch (error) {
    if (!(error instanceof PromError)) throw error;
    answer(400, { status: 'error', errorType: error.errorType, error: error.message });
  }
}

export const armsProduct: EmulatedProduct = {
  name: 'arms',
  matches(req, url) {
    return req.headers['x-acs-version'] === '2019-08-08' || url.pathname.startsWith('/api/v1/prometheus/');
  },
  async serve(ctx, request) {
    if (request.url.pathname.startsWith('/api/v1/prometheus/')) return serveQuery(ctx, request);
    const action = String(request.req.headers['x-acs-action'] ?? '');
    await serveAcs3Operation(
      'arms',
      ctx,
      request,
      action === 'GetPrometheusInstance'
        ? {
            action,
            ramAction: 'arms:GetPrometheusInstance',
            run(caller, requestId) {
              const q = request.url.searchParams;
              const clusterId = q.get('ClusterId');
              const regionId = q.get('RegionId');
              if (!clusterId || !regionId)
                throw new EmulatorError(400, 'MissingParameter', 'ClusterId and RegionId are mandatory for this action.');
              const cluster = caller.account.clusters.find(
                (candidate) => candidate.cluster_id === clusterId && candidate.region_id === regionId,
              );
              if (!cluster || !armsHosted(cluster))
                return { RequestId: requestId, Code: 404, Message: `Prometheus instance ${clusterId} not found.`, Data: null };
              const base = `http://${request.req.headers.host ?? '127.0.0.1'}/api/v1/prometheus/${keyOf(cluster)}`;
              return {
                RequestId: requestId,
                Code: 200,
                Message: 'success',
                Data: {
                  ClusterId: cluster.cluster_id,
                  ClusterName: cluster.name,
                  ClusterType: 'aliyun-cs',
                  RegionId: cluster.region_id,
                  UserId: caller.account.accountId,
                  Product: 'arms',
                  AccessType: 'readWrite',
                  HttpApiInterUrl: base,
                  HttpApiIntraUrl: base,
                  EnableAuthToken: 'true',
                  AuthToken: armsTokenOf(cluster),
                  Version: 'V2',
                },
              };
            },
          }
        : undefined,
    );
  },
};
