/**
 * How the hostile-traffic test sends each kind of case (hostile-traffic.cases.ts) and judges what came back:
 * a tools/call, a raw HTTP request, or a connection to the kubectl proxy reset at a chosen stage.
 */
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { rememberAnswer, TEST_TOKEN, type Stack } from '../support/stack.ts';
import type { Expectation, ProxyStage } from './hostile-traffic.cases.ts';

export interface Answer {
  status: number;
  text: string;
  /** The parsed JSON body, when it was JSON. */
  body: any;
}

const BASE_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/**
 * One request on a connection of its own (node:http, no keep-alive: no race with a server closing an idle
 * connection; and fetch cannot set Host, and loses an early answer when the server stops reading a body it
 * refused). The answer counts once it arrived, even if the server then closes while the body is still going.
 */
function exchange(
  stack: Stack,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal,
): Promise<Answer> {
  const url = new URL(stack.server.url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, signal, agent: false }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', reject);
      res.on('end', () => {
        rememberAnswer(text);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, body: parsed });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

/** A tools/call over POST /mcp with the bearer token and `headers` (the tenant's keys and the case's own). */
export function sendTool(stack: Stack, name: string, args: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<Answer> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
  return exchange(stack, 'POST', '/mcp', { ...BASE_HEADERS, authorization: `Bearer ${TEST_TOKEN}`, ...headers }, body, signal);
}

/** A raw request: `body` sent as given, headers on top of JSON-RPC's, the bearer token unless `auth` is false. */
export function sendHttp(
  stack: Stack,
  spec: { method?: string; path?: string; headers?: Record<string, string>; body?: string; auth?: boolean },
  tenantHeaders: Record<string, string>,
  signal: AbortSignal,
): Promise<Answer> {
  const method = spec.method ?? 'POST';
  const headers = {
    ...BASE_HEADERS,
    ...(spec.auth === false ? {} : { authorization: `Bearer ${TEST_TOKEN}` }),
    ...tenantHeaders,
    ...spec.headers,
  };
  return exchange(
    stack,
    method,
    spec.path ?? '/mcp',
    headers,
    spec.body !== undefined || method === 'POST' ? (spec.body ?? '') : undefined,
    signal,
  );
}

/**
 * Opens a connection to the kubectl proxy at `port` and resets it (TCP RST) at `stage`: right after connecting,
 * after the TLS handshake, after the first request line, after an Upgrade request, or after the 401 answer to a
 * bogus token (plain or Upgrade request). Answers what happened; the test's real check is that the server lives on.
 */
export function sendProxyReset(port: number, stage: ProxyStage, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const raw: Socket = connect({ host: '127.0.0.1', port });
    const done = (text: string) => {
      raw.resetAndDestroy();
      resolve({ status: 0, text: `reset ${text}`, body: undefined });
    };
    signal.addEventListener('abort', () => raw.destroy(), { once: true });
    raw.once('error', (error) => reject(error));
    raw.once('connect', () => {
      if (stage === 'connect-reset') return done('before TLS');
      const tls: TLSSocket = tlsConnect({ socket: raw, rejectUnauthorized: false, servername: 'localhost' });
      tls.once('error', (error) => reject(error));
      tls.once('secureConnect', () => {
        if (stage === 'tls-reset') return done('after the TLS handshake');
        if (stage === 'request-line-reset') {
          tls.write('GET /api HTTP/1.1\r\n', () => done('after the request line'));
          return;
        }
        const upgrading = stage === 'upgrade-reset' || stage === 'upgrade-401-reset';
        const upgrade = upgrading
          ? 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
          : '';
        const path = upgrading ? '/api/v1/namespaces/default/pods/x/exec?command=sh&stdin=true' : '/api';
        const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer not-a-session-token\r\n${upgrade}\r\n`;
        if (stage === 'upgrade-reset') {
          tls.write(request, () => done('after an Upgrade request'));
          return;
        }
        let head = '';
        tls.on('data', (chunk: Buffer) => {
          head += chunk.toString('latin1');
          if (head.includes('\r\n')) done(`after "${head.split('\r\n')[0]}"`);
        });
        tls.write(request);
      });
    });
  });
}

const STACK_TRACE = /\n\s+at \S+ \(|\bat (?:async )?[\w.<>]+ \([^)]*:\d+:\d+\)|node:internal|\.ts:\d+:\d+/;

/** The error code of a tool result's text (`Error Code: …`), if it is one. */
function toolErrorCode(text: string): string | undefined {
  return /^Error ([A-Za-z][\w.]*)(?::|\s|$)/.exec(text)?.[1];
}

/** What is wrong with `answer` for `expect` (nothing: []), and whether it is a clear answer at all. */
export function judge(expect: Expectation, answer: Answer, kind: 'tool' | 'http' | 'proxy'): string[] {
  const problems: string[] = [];
  if (STACK_TRACE.test(answer.text)) problems.push('the answer holds a stack trace');
  const rpcError = answer.body?.error as { code?: number; message?: string } | undefined;
  const result = answer.body?.result as { isError?: boolean; content?: Array<{ text?: string }> } | undefined;
  const toolText = result?.content?.map((part) => part.text ?? '').join('\n') ?? '';
  const shown = kind === 'tool' && result ? toolText : (rpcError?.message ?? answer.text);
  if (kind === 'tool' && !result && !rpcError) problems.push(`no JSON-RPC answer (HTTP ${answer.status}): ${answer.text.slice(0, 200)}`);
  if (kind === 'tool' && result?.isError && !toolErrorCode(toolText))
    problems.push(`an error without a clear code: ${toolText.slice(0, 200)}`);
  if (rpcError && (typeof rpcError.message !== 'string' || !rpcError.message)) problems.push('a JSON-RPC error without a message');
  if (expect.ok && (result?.isError || rpcError || answer.status >= 400)) problems.push(`expected success, got: ${shown.slice(0, 300)}`);
  if (expect.error !== undefined) {
    const failed = result?.isError === true || rpcError !== undefined;
    if (!failed) problems.push(`expected an error, got success: ${shown.slice(0, 200)}`);
    else if (expect.error !== '*' && toolErrorCode(toolText) !== expect.error)
      problems.push(`expected error ${expect.error}, got: ${shown.slice(0, 300)}`);
  }
  if (expect.rpcError !== undefined && rpcError?.code !== expect.rpcError)
    problems.push(`expected JSON-RPC error ${expect.rpcError}, got ${JSON.stringify(answer.body ?? answer.text).slice(0, 300)}`);
  if (expect.status !== undefined && answer.status !== expect.status)
    problems.push(`expected HTTP ${expect.status}, got ${answer.status}: ${answer.text.slice(0, 200)}`);
  if (expect.text !== undefined && !new RegExp(expect.text).test(shown))
    problems.push(`expected text /${expect.text}/, got: ${shown.slice(0, 300)}`);
  return problems;
}
