/**
 * One plain (not upgraded) request the policy allowed, forwarded to the API server and its answer relayed to kubectl.
 * Secret answers pass through the masking stream, and only in a form it can read. Every stream has an error path: a
 * reset on either side ends this request alone (kubectl sees a cut or a 502 `Status`), and is audited with its status.
 */
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { maskable, responseHeaders } from './proxy-headers.ts';
import { trackInflight, type Session } from './proxy-session.ts';
import { statusBody, type RestAllowed } from './rest-policy.ts';
import { SecretMaskingStream } from './secret-masking.ts';

export interface ForwardOptions {
  session: Session;
  req: IncomingMessage;
  res: ServerResponse;
  allowed: RestAllowed;
  /** `performance.now()` when the request arrived. */
  started: number;
  /** A new request to the API server for `allowed` (counted in the session), not yet ended. */
  upstream: () => ClientRequest;
  /** The request body, already read (and judged: pod admission); otherwise the request is streamed through. */
  body?: Buffer;
}

function replyStatus(res: ServerResponse, status: number, reason: string, message: string): void {
  const body = statusBody({ status, reason, message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Forward the request and relay the answer; a read the API server reset on a kept-alive connection is sent once more. */
export function forwardRequest(options: ForwardOptions, mayRetry = true): void {
  const { session, req, res, allowed, started } = options;
  const method = req.method ?? 'GET';
  const upstream = options.upstream();
  const untrack = trackInflight(session, () => upstream.destroy());
  let answered = false;
  const finish = (status: number) => {
    untrack();
    if (answered) return;
    answered = true;
    session.audit.answer(status, performance.now() - started);
  };
  upstream.on('response', (answer: IncomingMessage) => {
    const status = answer.statusCode ?? 502;
    const masking = allowed.secrets && method !== 'HEAD';
    if (masking && !maskable(answer.headers)) {
      // Fail closed: a Secret in a form the masking stream cannot read (protobuf, YAML, compressed) is not passed on.
      answer.resume();
      finish(502);
      replyStatus(
        res,
        502,
        'BadGateway',
        "the MCP server's kubectl policy only passes Secret responses it can mask (uncompressed JSON); the API server sent another form, and nothing of it was passed on.",
      );
      return;
    }
    const headers = responseHeaders(answer.headers);
    if (masking) delete headers['content-length']; // masking changes the length
    res.writeHead(status, headers);
    const done = (error: Error | null | undefined) => {
      if (error) res.destroy(); // cut short: never passed on unfinished or unmasked
      finish(error ? 502 : status);
    };
    if (masking) pipeline(answer, new SecretMaskingStream(), res, done);
    else pipeline(answer, res, done);
  });
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    // A kept-alive socket the far end closed while idle (e.g. after the instance was frozen): a read is safe to resend.
    const idleReset = upstream.reusedSocket && error.code === 'ECONNRESET' && (method === 'GET' || method === 'HEAD');
    if (!answered && mayRetry && idleReset && !session.closed && !res.destroyed) {
      untrack();
      session.upstreamRequests -= 1;
      forwardRequest(options, false);
      return;
    }
    if (res.headersSent || res.destroyed) {
      finish(res.headersSent ? 502 : 499);
      res.destroy();
      return;
    }
    finish(502);
    const message = session.closed
      ? 'the kubectl call ended'
      : `the MCP server could not reach the cluster's API server (${error.code ?? 'connection failed'})`;
    replyStatus(res, 502, 'ServiceUnavailable', message);
  });
  // kubectl went away (killed at its deadline, or reset): stop the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  if (options.body) {
    upstream.end(options.body);
  } else if (method === 'GET' || method === 'HEAD') {
    // No body to stream for reads: end now so a retry does not need to replay it.
    req.resume();
    upstream.end();
  } else {
    pipeline(req, upstream, (error) => {
      if (error) upstream.destroy();
    });
  }
}
