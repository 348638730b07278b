/**
 * A bounded loopback load loop: `concurrency` keep-alive clients POST the same body until
 * `requests` have been sent or `maxMs` has passed, whichever comes first. Loopback only.
 */
import { Agent, request } from 'node:http';

export interface LoadOptions {
  port: number;
  path?: string;
  /** One body, or several sent in turn (mixed calls). */
  body: string | string[];
  headers?: Record<string, string>;
  concurrency: number;
  requests: number;
  maxMs: number;
  /** A response counts as a success when this returns true (default: HTTP 200). */
  accept?: (status: number, body: string) => boolean;
}

export interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  rps: number;
  firstFailure?: string;
}

export function post(
  agent: Agent,
  port: number,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.requests > 200_000 || options.maxMs > 60_000) throw new Error('load is bounded: at most 200,000 requests and 60 s');
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const accept = options.accept ?? ((status) => status === 200);
  const deadline = performance.now() + options.maxMs;
  let issued = 0;
  let ok = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  async function client(): Promise<void> {
    while (issued < options.requests && performance.now() < deadline) {
      const body = typeof options.body === 'string' ? options.body : options.body[issued % options.body.length]!;
      issued += 1;
      try {
        const response = await post(agent, options.port, options.path ?? '/mcp', body, options.headers ?? {});
        if (accept(response.status, response.body)) ok += 1;
        else {
          failed += 1;
          firstFailure ??= `${response.status} ${response.body.slice(0, 300)}`;
        }
      } catch (error) {
        failed += 1;
        firstFailure ??= String(error);
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { ok, failed, seconds, rps: ok / seconds, ...(firstFailure ? { firstFailure } : {}) };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
