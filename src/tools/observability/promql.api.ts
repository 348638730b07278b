/**
 * PromQL through the metricstore's Prometheus-compatible HTTP API:
 * `GET https://{project}.{region}.log.aliyuncs.com/prometheus/{project}/{metricstore}/api/v1/query[_range]`
 * with HTTP Basic auth (AccessKey id : secret, or `{secret}${securityToken}` for STS keys).
 * The query goes as one URL-encoded parameter, so any PromQL (quotes included) arrives intact.
 * With `SLS_ENDPOINT` set to an IP/localhost gateway, the request goes to that host; the project
 * stays in the path.
 */
import { slsProjectHost } from '../../clients/sls-client.ts';
import type { Config } from '../../config.ts';
import type { AliyunCredentials } from '../../credentials/aliyun-credentials.ts';
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

/** A failed HTTP exchange that `callRead` may retry (5xx, 429) and `toToolFailure` can map. */
class PrometheusHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function basicAuth(credentials: AliyunCredentials): string {
  const password = credentials.securityToken ? `${credentials.accessKeySecret}$${credentials.securityToken}` : credentials.accessKeySecret;
  return `Basic ${Buffer.from(`${credentials.accessKeyId}:${password}`).toString('base64')}`;
}

export function prometheusUrl(config: Config, region: string, project: string, metricstore: string, request: PromRequest): URL {
  const host = slsProjectHost(config, region, project);
  const kind = 'step' in request ? 'query_range' : 'query';
  const url = new URL(`${config.endpointProtocol}://${host}/prometheus/${encodeURIComponent(project)}/${encodeURIComponent(metricstore)}/api/v1/${kind}`);
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
  data?: PromData;
  errorType?: string;
  error?: string;
  warnings?: string[];
  /** Log Service's own error shape (unknown project/metricstore, auth). */
  errorCode?: string;
  errorMessage?: string;
}

export async function queryPrometheus(
  config: Config,
  credentials: AliyunCredentials,
  retry: RetryPolicy,
  target: { region: string; project: string; metricstore: string },
  request: PromRequest,
  signal: AbortSignal,
): Promise<{ data: PromData; warnings: string[] }> {
  const url = prometheusUrl(config, target.region, target.project, target.metricstore, request);
  const answer = await callRead(
    retry,
    async () => {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { authorization: basicAuth(credentials), accept: 'application/json', 'user-agent': 'ack-mcp-server' },
          signal: AbortSignal.any([signal, AbortSignal.timeout(config.upstream.readTimeoutMs)]),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        const name = (error as { name?: string }).name ?? '';
        throw Object.assign(new Error(`Prometheus API unreachable: ${cause?.code ?? name}`), { code: cause?.code ?? name, name });
      }
      const text = await response.text();
      let body: PromAnswer;
      try {
        body = JSON.parse(text) as PromAnswer;
      } catch {
        body = { errorCode: `HTTP${response.status}`, errorMessage: text.slice(0, 500) || response.statusText };
      }
      if (response.status >= 500 || response.status === 429) {
        throw new PrometheusHttpError(response.status, body.errorCode ?? body.errorType ?? `HTTP${response.status}`, body.errorMessage ?? body.error ?? text.slice(0, 500));
      }
      return { status: response.status, body, requestId: response.headers.get('x-log-requestid') ?? undefined };
    },
    signal,
  );
  const { body, status, requestId } = answer;
  if (body.status === 'success' && body.data) return { data: body.data, warnings: body.warnings ?? [] };
  if (body.errorType || body.error) {
    throw new ToolFailure(`Prometheus.${body.errorType ?? 'error'}`, body.error ?? 'Prometheus answered with an error.', { httpStatus: status, requestId });
  }
  throw new ToolFailure(body.errorCode ?? `HTTP${status}`, body.errorMessage ?? `The Prometheus API answered HTTP ${status}.`, { httpStatus: status, requestId });
}
