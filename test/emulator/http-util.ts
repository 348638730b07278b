import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/** Error raised by emulated operations; becomes an Alibaba-style JSON error body. */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** More members of the error body (ACK's `accessDeniedDetail`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export async function readBody(req: IncomingMessage, limit = 8 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new EmulatorError(413, 'RequestEntityTooLarge', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'x-acs-request-id': requestId,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The error body shape ACK (ROA) and the RPC products answer with. */
export function errorBody(error: EmulatorError, requestId: string, recommend = true): Record<string, unknown> {
  return {
    code: error.code,
    message: error.message,
    requestId,
    ...error.extra,
    ...(recommend ? { recommend: `https://api.aliyun.com/troubleshoot?q=${error.code}&product=CS` } : {}),
  };
}
