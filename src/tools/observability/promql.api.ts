/**
 * PromQL through the metricstore's Prometheus-compatible HTTP API:
 * `GET https://{project}.{region}.log.aliyuncs.com/prometheus/{project}/{metricstore}/api/v1/query[_range]`
 * with HTTP Basic auth (AccessKey id : secret, or `{secret}${securityToken}` for STS keys).
 * The query goes as one URL-encoded parameter, so any PromQL (quotes included) arrives intact.
 * With `SLS_ENDPOINT` set to an IP/localhost gateway, the request goes to that address and the
 * Host header still names the project (Log Service routes by Host), which is why this uses
 * `node:http(s)` rather than `fetch` (fetch does not let a caller set Host).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { projectHostHeader, slsProjectHost } from '../../clients/sls-client.ts';
import type { Config } from '../../config.ts';
import type { AliyunCredentials } from '../../credentials/aliyun-credentials.ts';
import { hintFor, isThrottlingAnswer } from '../../errors/hints.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';

export type PromSample = [number, string];
export interface PromSeries {
  metric: Record<string, string>;
  value?: PromSample;
  values?: PromSample[];
}
export interface PromData {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  result: PromSeries[] | PromSample;
}

export type PromRequest = { query: string; time?: number | undefined } | { query: string; start: number; end: number; step: number };

/** A failed HTTP exchange that `callRead` may retry (5xx, throttling) and `toToolFailure` can map. */
class PrometheusHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface HttpAnswer {
  status: number;
  text: string;
  requestId: string | undefined;
}

/** One GET with the given headers (Host included), bounded by `signal`. */
function httpGet(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<HttpAnswer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: 'GET', headers, signal }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const requestId = response.headers['x-log-requestid'];
        resolve({
          status: response.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          requestId: typeof requestId === 'string' ? requestId : undefined,
        });
      });
    });
    request.on('error', (error) => reject(signal.aborted && signal.reason instanceof Error ? signal.reason : error));
    request.end();
  });
}

export function basicAuth(credentials: AliyunCredentials): string {
  const password = credentials.securityToken ? `${credentials.accessKeySecret}$${credentials.securityToken}` : credentials.accessKeySecret;
  return `Basic ${Buffer.from(`${credentials.accessKeyId}:${password}`).toString('base64')}`;
}

/** Where a Prometheus HTTP API lives: the URL before `/api/v1/…`, and the headers it needs. */
export interface PromEndpoint {
  base: string;
  headers: Record<string, string>;
}

/** A metricstore's API: `{project}.{endpoint}/prometheus/{project}/{metricstore}`, Basic auth with the AccessKey. */
export function slsPrometheusEndpoint(
  config: Config,
  credentials: AliyunCredentials,
  target: { region: string; project: string; metricstore: string },
): PromEndpoint {
  const host = slsProjectHost(config, target.region, target.project);
  return {
    base: `${config.endpointProtocol}://${host}/prometheus/${encodeURIComponent(target.project)}/${encodeURIComponent(target.metricstore)}`,
    headers: { host: projectHostHeader(config, target.region, target.project), authorization: basicAuth(credentials) },
  };
}

/** An ARMS-hosted instance's API (GetPrometheusInstance `HttpApiInterUrl`), with its token when it has one. */
export function armsPrometheusEndpoint(url: string, authToken: string | undefined): PromEndpoint {
  return { base: url.replace(/\/+$/, ''), headers: authToken ? { authorization: authToken } : {} };
}

export function prometheusQueryUrl(endpoint: PromEndpoint, request: PromRequest): URL {
  const kind = 'step' in request ? 'query_range' : 'query';
  const url = new URL(`${endpoint.base}/api/v1/${kind}`);
  url.searchParams.set('query', request.query);
  if ('step' in request) {
    url.searchParams.set('start', String(request.start));
    url.searchParams.set('end', String(request.end));
    url.searchParams.set('step', String(request.step));
  } else if (request.time !== undefined) {
    url.searchParams.set('time', String(request.time));
  }
  return url;
}

interface PromAnswer {
  status?: string;
  data?: unknown;
  errorType?: string;
  error?: string;
  warnings?: string[];
  /** Log Service's own error shape (unknown project/metricstore, auth). */
  errorCode?: string;
  errorMessage?: string;
}

export async function queryPrometheus(
  config: Config,
  retry: RetryPolicy,
  endpoint: PromEndpoint,
  request: PromRequest,
  signal: AbortSignal,
): Promise<{ data: PromData; warnings: string[] }> {
  return prometheusGet<PromData>(config, retry, prometheusQueryUrl(endpoint, request), endpoint, signal);
}

/** One GET of the Prometheus HTTP API (query, series, label values…): its `data`, or its error as a ToolFailure. */
export async function prometheusGet<T>(
  config: Config,
  retry: RetryPolicy,
  url: URL,
  endpoint: PromEndpoint,
  signal: AbortSignal,
): Promise<{ data: T; warnings: string[] }> {
  const answer = await callRead(
    retry,
    async () => {
      const headers = { ...endpoint.headers, accept: 'application/json', 'user-agent': 'ack-mcp-server' };
      // Node's own errors keep `code` and `syscall` (what `callRead` classifies by); aborts and timeouts pass as they are.
      const response = await httpGet(url, headers, AbortSignal.any([signal, AbortSignal.timeout(config.upstream.readTimeoutMs)]));
      const { text } = response;
      let body: PromAnswer;
      try {
        body = JSON.parse(text) as PromAnswer;
      } catch {
        body = { errorCode: `HTTP${response.status}`, errorMessage: text.slice(0, 500) || `HTTP ${response.status}` };
      }
      if (response.status >= 500 || isThrottlingAnswer(body.errorCode, response.status)) {
        throw new PrometheusHttpError(
          response.status,
          body.errorCode ?? body.errorType ?? `HTTP${response.status}`,
          body.errorMessage ?? body.error ?? text.slice(0, 500),
        );
      }
      return { status: response.status, body, requestId: response.requestId };
    },
    signal,
  );
  const { body, status, requestId } = answer;
  if (body.status === 'success' && body.data !== undefined) return { data: body.data as T, warnings: body.warnings ?? [] };
  if (body.errorType || body.error) {
    throw new ToolFailure(`Prometheus.${body.errorType ?? 'error'}`, body.error ?? 'Prometheus answered with an error.', {
      httpStatus: status,
      requestId,
    });
  }
  const code = body.errorCode ?? `HTTP${status}`;
  const message = body.errorMessage ?? `The Prometheus API answered HTTP ${status}.`;
  throw new ToolFailure(code, message, { httpStatus: status, requestId, hint: hintFor(code, status, message) });
}
