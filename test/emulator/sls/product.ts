/**
 * Log Service as an emulated product: the SLS API (`LOG`-signed: ListLogStores, GetLogsV2,
 * CallAiTools) and the metricstores' Prometheus API (HTTP Basic auth). Every request is
 * authenticated, checked for faults and recorded in the call log as product `sls`.
 * Projects of another account are `ProjectNotExist`, as in Log Service.
 */
import type { IncomingMessage } from 'node:http';
import type { Acs3Request } from '../acs3-product.ts';
import type { CallRecord } from '../call-log.ts';
import type { EmulatorContext } from '../context.ts';
import { EmulatorError, newRequestId } from '../http-util.ts';
import type { EmulatedProduct } from '../index.ts';
import { findAccessKey, type AccessKey, type AccountRecord, type ClusterRecord } from '../world.ts';
import { instantQuery, PromError, rangeQuery } from '../prometheus/promql.ts';
import { seriesOf } from '../prometheus/series.ts';
import { hasPrometheus, logProjectOf, logstoresOf, prometheusProjectOf, rowsOf } from './dataset.ts';
import { parseLogAuthorization, verifyLogSignature } from './log-signature.ts';
import { runLogQuery } from './sql-engine.ts';

const MAX_SKEW_MS = 15 * 60 * 1000;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(request: Acs3Request, status: number, body: unknown, requestId: string): void {
  if (request.res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  request.res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain;charset=utf-8' : 'application/json',
    'x-log-requestid': requestId,
    'content-length': Buffer.byteLength(text),
  });
  request.res.end(text);
}

function checkKey(key: AccessKey, token: string | undefined, now: number): void {
  if (key.securityToken === undefined) return;
  if (!token) throw new EmulatorError(401, 'Unauthorized', 'The security token is required for an STS AccessKey.');
  if (token !== key.securityToken) throw new EmulatorError(401, 'InvalidSecurityToken', 'The security token does not match the AccessKey.');
  if ((key.expiresAt ?? Infinity) <= now) throw new EmulatorError(401, 'SecurityTokenExpired', 'The security token you provided has expired.');
}

/** The project's owner cluster, in the caller's account only. */
function resolveProject(account: AccountRecord, project: string): { kind: 'log'; cluster: ClusterRecord } | { kind: 'prometheus'; clusters: ClusterRecord[] } {
  const logCluster = account.clusters.find((cluster) => logProjectOf(cluster) === project);
  if (logCluster) return { kind: 'log', cluster: logCluster };
  const promClusters = account.clusters.filter((cluster) => prometheusProjectOf(account, cluster) === project);
  if (promClusters.length) return { kind: 'prometheus', clusters: promClusters };
  throw new EmulatorError(404, 'ProjectNotExist', `Project ${project} does not exist`);
}

function projectOf(req: IncomingMessage): string | undefined {
  const explicit = header(req, 'x-log-project');
  if (explicit) return explicit;
  const host = header(req, 'host') ?? '';
  const first = host.split('.')[0] ?? '';
  return host.includes('.') && !/^\d+$/.test(first) ? first : undefined;
}

function jsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new EmulatorError(400, 'PostBodyInvalid', 'The request body is not valid JSON.');
  }
}

async function serveSlsApi(ctx: EmulatorContext, request: Acs3Request, requestId: string, record: (fields: Record<string, unknown>) => void): Promise<void> {
  const { req, url, body } = request;
  const auth = parseLogAuthorization(header(req, 'authorization'));
  if (!auth) throw new EmulatorError(401, 'Unauthorized', 'The Authorization header is missing or malformed.');
  record({ accessKeyId: auth.accessKeyId });
  const found = findAccessKey(ctx.world, auth.accessKeyId);
  if (!found) throw new EmulatorError(401, 'Unauthorized', `AccessKeyId not found: ${auth.accessKeyId}`);
  const failure = verifyLogSignature({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body }, auth.signature, found.key.accessKeySecret);
  if (failure) throw new EmulatorError(401, 'SignatureNotMatch', `Signature ${auth.signature} not matched: ${failure}`);
  checkKey(found.key, header(req, 'x-acs-security-token'), ctx.now());
  const date = Date.parse(header(req, 'date') ?? '');
  if (!Number.isFinite(date) || Math.abs(ctx.now() - date) > MAX_SKEW_MS) throw new EmulatorError(400, 'RequestTimeTooSkewed', 'The request time is too skewed.');
  record({ accountId: found.account.accountId });

  const method = req.method ?? 'GET';
  const path = url.pathname;
  let action = 'Unknown';
  const logs = /^\/logstores\/([^/]+)\/logs$/.exec(path);
  if (method === 'POST' && path === '/ml/tool/call') action = 'CallAiTools';
  else if (method === 'GET' && path === '/logstores') action = 'ListLogStores';
  else if (method === 'POST' && logs) action = 'GetLogsV2';
  record({ action });
  const fault = ctx.faults.take('sls', action);
  if (fault?.kind === 'throttle') throw new EmulatorError(429, 'WriteQuotaExceed', 'Request was denied due to flow control.');
  if (fault?.kind === 'server-error') throw new EmulatorError(500, 'InternalServerError', 'Internal server error.');
  if (fault?.kind === 'service-unavailable') throw new EmulatorError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');

  if (action === 'CallAiTools') {
    const input = jsonBody(body) as { toolName?: string; params?: Record<string, string>; regionId?: string };
    const question = input.params?.['sys.query'] ?? '';
    let answer: string;
    if (input.toolName === 'text_to_sql') answer = 'Warning events by reason:\n```sql\nlevel: Warning | SELECT reason, count(*) AS events GROUP BY reason ORDER BY events DESC LIMIT 10\n```';
    else if (input.toolName === 'diagnosis_sql') answer = `The query refers to a field that does not exist in logstore ${input.params?.logstore}. Use an existing key such as reason or level:\n\`\`\`sql\n* | SELECT reason, count(*) AS n GROUP BY reason\n\`\`\``;
    else if (input.toolName === 'text_to_promql') answer = 'CPU usage per node:\n```promql\n1 - avg by (node) (rate(node_cpu_seconds_total{mode="idle"}[5m]))\n```';
    else throw new EmulatorError(400, 'ParameterInvalid', `unknown tool ${input.toolName}`);
    send(request, 200, `question: ${question.split('\n')[0]}\nregion: ${input.regionId}\n------answer------\n${answer}`, requestId);
    record({ status: 200 });
    return;
  }
  const project = projectOf(req);
  if (!project) throw new EmulatorError(400, 'ProjectNotExist', 'No project in the request host.');
  const owner = resolveProject(found.account, project);
  if (action === 'ListLogStores') {
    const metrics = url.searchParams.get('telemetryType') === 'Metrics';
    const stores = owner.kind === 'log' ? (metrics ? [] : logstoresOf(owner.cluster)) : metrics ? owner.clusters.filter(hasPrometheus).map((c) => `aliyun-prom-${c.cluster_id}`) : [];
    send(request, 200, { count: stores.length, total: stores.length, logstores: stores }, requestId);
    record({ status: 200 });
    return;
  }
  if (action === 'GetLogsV2') {
    const logstore = decodeURIComponent(logs![1]!);
    const rows = owner.kind === 'log' ? rowsOf(owner.cluster, logstore) : undefined;
    if (!rows) throw new EmulatorError(404, 'LogStoreNotExist', `logstore ${logstore} does not exist`);
    const input = jsonBody(body) as { from?: number; to?: number; query?: string; line?: number; offset?: number; reverse?: boolean };
    if (typeof input.from !== 'number' || typeof input.to !== 'number' || input.from >= input.to) throw new EmulatorError(400, 'ParameterInvalid', 'from and to must be set and from < to');
    const now = Math.floor(ctx.now() / 1000);
    const timed = rows.map((row) => ({ time: now - row.ago, fields: row.fields })).filter((row) => row.time >= input.from! && row.time < input.to!);
    const started = Date.now();
    const answer = await runLogQuery(timed, input.query ?? '*', { line: Math.min(input.line ?? 100, 100), offset: input.offset ?? 0, reverse: input.reverse ?? false });
    send(request, 200, {
      meta: { progress: 'Complete', count: answer.rows.length, processedRows: answer.processedRows, elapsedMillisecond: Date.now() - started, hasSQL: answer.hasSql, keys: answer.keys },
      data: answer.rows,
    }, requestId);
    record({ status: 200 });
    return;
  }
  throw new EmulatorError(404, 'InvalidRequest', `${method} ${path} is not emulated`);
}

async function servePrometheus(ctx: EmulatorContext, request: Acs3Request, requestId: string, record: (fields: Record<string, unknown>) => void): Promise<void> {
  const { req, url } = request;
  const match = /^\/prometheus\/([^/]+)\/([^/]+)\/api\/v1\/(query|query_range)$/.exec(url.pathname);
  record({ action: match?.[3] === 'query_range' ? 'PrometheusQueryRange' : 'PrometheusQuery' });
  const basic = /^Basic (.+)$/.exec(header(req, 'authorization') ?? '');
  if (!basic) throw new EmulatorError(401, 'Unauthorized', 'Basic authentication is required.');
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const accessKeyId = decoded.slice(0, colon);
  record({ accessKeyId });
  const found = findAccessKey(ctx.world, accessKeyId);
  if (!found) throw new EmulatorError(401, 'Unauthorized', `AccessKeyId not found: ${accessKeyId}`);
  const password = decoded.slice(colon + 1);
  const dollar = password.indexOf('$');
  const secret = dollar >= 0 ? password.slice(0, dollar) : password;
  if (secret !== found.key.accessKeySecret) throw new EmulatorError(401, 'Unauthorized', 'The AccessKey secret in the Basic credentials is wrong.');
  checkKey(found.key, dollar >= 0 ? password.slice(dollar + 1) : undefined, ctx.now());
  record({ accountId: found.account.accountId });
  if (!match) throw new EmulatorError(404, 'InvalidRequest', `${url.pathname} is not emulated`);
  const fault = ctx.faults.take('sls', match[3] === 'query_range' ? 'PrometheusQueryRange' : 'PrometheusQuery');
  if (fault?.kind === 'server-error' || fault?.kind === 'service-unavailable') throw new EmulatorError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');
  const [, project, metricstore, kind] = match;
  const owner = resolveProject(found.account, decodeURIComponent(project!));
  const cluster = owner.kind === 'prometheus' ? owner.clusters.find((c) => hasPrometheus(c) && `aliyun-prom-${c.cluster_id}` === decodeURIComponent(metricstore!)) : undefined;
  if (!cluster) throw new EmulatorError(404, 'MetricStoreNotExist', `metricstore ${decodeURIComponent(metricstore!)} does not exist`);
  const params = url.searchParams;
  const query = params.get('query') ?? '';
  try {
    const now = ctx.now() / 1000;
    const data =
      kind === 'query_range'
        ? rangeQuery(query, seriesOf(cluster), Number(params.get('start')), Number(params.get('end')), Number(params.get('step')))
        : instantQuery(query, seriesOf(cluster), Number(params.get('time') ?? now));
    send(request, 200, { status: 'success', data }, requestId);
    record({ status: 200 });
  } catch (error) {
    if (!(error instanceof PromError)) throw error;
    send(request, 400, { status: 'error', errorType: error.errorType, error: `invalid parameter "query": ${error.message}` }, requestId);
    record({ status: 400, errorCode: error.errorType });
  }
}

export const slsProduct: EmulatedProduct = {
  name: 'sls',
  matches(req, url) {
    return url.pathname.startsWith('/prometheus/') || (header(req, 'authorization') ?? '').startsWith('LOG ') || header(req, 'x-log-apiversion') !== undefined;
  },
  async serve(ctx, request) {
    const requestId = newRequestId().replace(/-/g, '').slice(0, 24);
    const { req, url } = request;
    const entry: Record<string, unknown> = { time: Date.now(), product: 'sls', action: 'Unknown', method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), accessKeyId: '' };
    let status: number | undefined;
    const record = (fields: Record<string, unknown>) => {
      Object.assign(entry, fields);
      if (typeof fields.status === 'number') status = fields.status;
    };
    try {
      if (url.pathname.startsWith('/prometheus/')) await servePrometheus(ctx, request, requestId, record);
      else await serveSlsApi(ctx, request, requestId, record);
    } catch (error) {
      const failure = error instanceof EmulatorError ? error : new EmulatorError(500, 'InternalServerError', String(error));
      send(request, failure.status, { errorCode: failure.code, errorMessage: failure.message }, requestId);
      record({ status: failure.status, errorCode: failure.code });
    }
    ctx.callLog.add({ ...(entry as unknown as Omit<CallRecord, "seq">), status: status ?? 0 });
  },
};
