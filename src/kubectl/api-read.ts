/**
 * Bounded reads of a cluster's API server for tools that need a few objects (events, a workload, its pods, pod
 * metrics) without running kubectl: one GET with the caller's kubeconfig credential (client certificate or token,
 * TLS verified against the kubeconfig's CA), JSON only, a deadline and a size cap. Never writes. The credential is
 * never logged or returned; an error names the path and the API server's own Status message only.
 */
import { request } from 'node:https';
import { ToolFailure } from '../errors/tool-failure.ts';
import type { UpstreamCluster } from './kubeconfig.ts';

/** Largest answer read (a namespace's pods or the cluster's Warning events stay well below). */
export const MAX_API_READ_BYTES = 8 * 1024 * 1024;
export const API_READ_TIMEOUT_MS = 15_000;

export interface ApiReadAnswer {
  status: number;
  /** The parsed JSON body (a Kubernetes object, list or Status), or undefined when it was not JSON. */
  body: unknown;
}

/** The `message` of a Kubernetes Status body, cut short. */
export function statusMessage(body: unknown): string {
  const message = body && typeof body === 'object' ? (body as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message.slice(0, 300) : '';
}

function unreachable(path: string, why: string): ToolFailure {
  return new ToolFailure('ApiServerUnreachable', `The cluster's API server did not answer GET ${path}: ${why}.`, {
    hint: 'Check that the API server endpoint is reachable from this server (public or VPC endpoint: README, KUBECTL_PRIVATE_IP) and call again.',
    retryable: true,
  });
}

/** GET `path` (with its query) from the API server. Answers every HTTP status; throws only when there is no answer. */
export function readApiServer(
  upstream: UpstreamCluster,
  path: string,
  signal?: AbortSignal,
  timeoutMs = API_READ_TIMEOUT_MS,
): Promise<ApiReadAnswer> {
  const base = new URL(upstream.server);
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}${path}`, base);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        agent: false,
        headers: { accept: 'application/json', ...(upstream.token ? { authorization: `Bearer ${upstream.token}` } : {}) },
        ...(upstream.caPem ? { ca: upstream.caPem } : {}),
        ...(upstream.clientCertPem ? { cert: upstream.clientCertPem, key: upstream.clientKeyPem } : {}),
        ...(upstream.tlsServerName ? { servername: upstream.tlsServerName } : {}),
        timeout: timeoutMs,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_API_READ_BYTES) {
            res.destroy();
            reject(
              new ToolFailure(
                'ApiAnswerTooLarge',
                `The API server's answer to GET ${path} is larger than ${MAX_API_READ_BYTES / 1024 / 1024} MiB.`,
                { hint: 'Narrow the request (a namespace).' },
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error) => reject(unreachable(path, error.message)));
        res.on('end', () => {
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
    req.on('error', (error) => {
      if (signal?.aborted) reject(new ToolFailure('Cancelled', 'The call was cancelled.'));
      else reject(unreachable(path, error.message));
    });
    req.end();
  });
}
