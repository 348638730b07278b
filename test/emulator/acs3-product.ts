/**
 * The shared request path of every ACS3-signed product (CS, CMS, STS): log the arrival,
 * authenticate, apply faults, authorise, run the operation, answer, complete the log entry.
 * Products only say which operation a request names and what it does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { authenticateAcs3, authorize, claimedAccessKeyId, type Caller } from './authenticate.ts';
import type { CallRecord } from './call-log.ts';
import type { EmulatorContext } from './context.ts';
import type { FaultSpec } from './faults.ts';
import { EmulatorError, errorBody, newRequestId, sendJson } from './http-util.ts';

export interface Acs3Operation {
  action: string;
  /** The RAM action checked against the key's policy; absent when the operation needs none (STS GetCallerIdentity). */
  ramAction?: string;
  mutating?: boolean;
  run(caller: Caller, requestId: string): Record<string, unknown> | unknown[] | Promise<Record<string, unknown> | unknown[]>;
}

export interface Acs3Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  rawPath: string;
  body: Buffer;
  /** The region of the regional endpoint that received the request; undefined on the central endpoint. */
  endpointRegion?: string | undefined;
}

const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

function sendRaw(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-acs-request-id': requestId,
    ...headers,
  });
  res.end(body);
}

/** Answers a fault that fires before the operation; returns false for the kinds that fire after it. */
function answerFaultBefore(fault: FaultSpec, res: ServerResponse, requestId: string, entry: CallRecord, ctx: EmulatorContext): boolean {
  const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    ctx.callLog.settle(entry, { status, errorCode: code, fault: code });
    sendRaw(
      res,
      status,
      'application/json;charset=utf-8',
      JSON.stringify(errorBody(new EmulatorError(status, code, message), requestId)),
      requestId,
      headers,
    );
  };
  switch (fault.kind) {
    case 'throttle':
      error(
        400,
        'Throttling.User',
        'Request was denied due to user flow control.',
        fault.retryAfterMs === undefined ? {} : { 'x-acs-retry-after': String(fault.retryAfterMs) },
      );
      return true;
    case 'server-error':
      error(500, 'InternalError', 'The request processing has failed due to some unknown error.');
      return true;
    case 'service-unavailable':
      error(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
      return true;
    case 'html-502':
      ctx.callLog.settle(entry, { status: 502 });
      sendRaw(res, 502, 'text/html', BAD_GATEWAY_PAGE, requestId);
      return true;
    case 'success-false-200':
      // CloudMonitor reports some failures in the body of an HTTP 200 (`Success: false`, a `Code`).
      ctx.callLog.settle(entry, { status: 200, errorCode: '500', fault: 'success-false-200' });
      sendRaw(
        res,
        200,
        'application/json;charset=utf-8',
        JSON.stringify({
          RequestId: requestId,
          Code: '500',
          Message: 'The request processing has failed due to some unknown error.',
          Success: false,
        }),
        requestId,
      );
      return true;
    case 'codeless-400':
      ctx.callLog.settle(entry, { status: 400 });
      sendRaw(res, 400, 'application/json;charset=utf-8', JSON.stringify({ message: 'weird', requestId }), requestId);
      return true;
    default:
      return false;
  }
}

/** Answers after the operation ran, as the fault (if any) says. */
async function answerAfter(
  fault: FaultSpec | undefined,
  res: ServerResponse,
  answer: Record<string, unknown> | unknown[],
  requestId: string,
  entry: CallRecord,
  ctx: EmulatorContext,
) {
  const json = JSON.stringify(answer);
  switch (fault?.kind) {
    case 'empty-504':
      ctx.callLog.settle(entry, { status: 504 });
      sendRaw(res, 504, 'text/plain', '', requestId);
      return;
    case 'garbled-200':
      ctx.callLog.settle(entry, { status: 200 });
      sendRaw(res, 200, 'application/json;charset=utf-8', json.slice(0, Math.max(1, Math.floor(json.length / 2))), requestId);
      return;
    case 'wrong-shape-200':
      ctx.callLog.settle(entry, { status: 200 });
      sendRaw(res, 200, 'application/json;charset=utf-8', JSON.stringify('OK'), requestId);
      return;
    case 'slow':
      try {
        await delay(fault.delayMs ?? 5_000, undefined, ctx.closing ? { signal: ctx.closing } : undefined);
      } catch {
        return; // the emulator closed while holding the answer back
      }
      break;
    default:
      break;
  }
  ctx.callLog.settle(entry, { status: 200 });
  if (!res.destroyed) sendJson(res, 200, answer, requestId);
}

export async function serveAcs3Operation(
  product: string,
  ctx: EmulatorContext,
  request: Acs3Request,
  operation: Acs3Operation | undefined,
): Promise<void> {
  const { req, res, url, rawPath, body } = request;
  const requestId = newRequestId();
  const entry = ctx.callLog.add({
    time: Date.now(),
    product,
    action: operation?.action ?? String(req.headers['x-acs-action'] ?? 'Unknown'),
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    accessKeyId: claimedAccessKeyId(req),
    endpoint: request.endpointRegion ?? 'central',
    status: 0,
  });
  try {
    const caller = authenticateAcs3(ctx.world, ctx.nonces, req, url, rawPath, body, ctx.now());
    ctx.callLog.settle(entry, { accountId: caller.account.accountId });
    if (!operation) throw new EmulatorError(404, 'InvalidAction.NotFound', `Specified api is not found, please check your url and method.`);
    const headerAction = req.headers['x-acs-action'];
    if (headerAction !== operation.action) {
      throw new EmulatorError(400, 'InvalidAction.Mismatch', `x-acs-action ${String(headerAction)} does not name ${operation.action}.`);
    }
    const fault = ctx.faults.take(product, operation.action);
    if (fault) ctx.callLog.settle(entry, { fault: fault.kind });
    if (fault && answerFaultBefore(fault, res, requestId, entry, ctx)) return;
    if (operation.ramAction) authorize(caller, operation.ramAction, product);
    const answer = await operation.run(caller, requestId);
    // An operation whose answer is a JSON array (DescribeKubernetesVersionMetadata) is sent as it is.
    await answerAfter(
      fault,
      res,
      Array.isArray(answer) ? answer : { ...answer, request_id: answer.request_id ?? requestId },
      requestId,
      entry,
      ctx,
    );
  } catch (error) {
    const failure = error instanceof EmulatorError ? error : new EmulatorError(500, 'InternalError', String(error));
    ctx.callLog.settle(entry, { status: failure.status, errorCode: failure.code });
    if (!res.destroyed) sendJson(res, failure.status, errorBody(failure, requestId), requestId);
  }
}
