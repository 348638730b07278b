/**
 * The shared request path of every ACS3-signed product (CS, CMS, STS): authenticate, apply
 * faults, authorise, run the operation, log the call. Products only say which operation a
 * request names and what it does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { authenticateAcs3, authorize, claimedAccessKeyId, type Caller } from './authenticate.ts';
import type { EmulatorContext } from './context.ts';
import { EmulatorError, errorBody, newRequestId, sendJson } from './http-util.ts';

export interface Acs3Operation {
  action: string;
  /** The RAM action checked against the key's policy; absent when the operation needs none (STS GetCallerIdentity). */
  ramAction?: string;
  mutating?: boolean;
  run(caller: Caller, requestId: string): Record<string, unknown> | Promise<Record<string, unknown>>;
}

export interface Acs3Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  rawPath: string;
  body: Buffer;
}

export async function serveAcs3Operation(
  product: string,
  ctx: EmulatorContext,
  request: Acs3Request,
  operation: Acs3Operation | undefined,
): Promise<void> {
  const { req, res, url, rawPath, body } = request;
  const requestId = newRequestId();
  const action = operation?.action ?? String(req.headers['x-acs-action'] ?? 'Unknown');
  const record = {
    time: Date.now(),
    product,
    action,
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    accessKeyId: claimedAccessKeyId(req),
  };
  let caller: Caller | undefined;
  try {
    caller = authenticateAcs3(ctx.world, ctx.nonces, req, url, rawPath, body, ctx.now());
    if (!operation) throw new EmulatorError(404, 'InvalidAction.NotFound', `Specified api is not found, please check your url and method.`);
    const headerAction = req.headers['x-acs-action'];
    if (headerAction !== operation.action) {
      throw new EmulatorError(400, 'InvalidAction.Mismatch', `x-acs-action ${String(headerAction)} does not name ${operation.action}.`);
    }
    const fault = ctx.faults.take(product, operation.action);
    if (fault?.kind === 'throttle') throw new EmulatorError(400, 'Throttling.User', 'Request was denied due to user flow control.');
    if (fault?.kind === 'server-error') throw new EmulatorError(500, 'InternalError', 'The request processing has failed due to some unknown error.');
    if (fault?.kind === 'service-unavailable') {
      throw new EmulatorError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
    }
    if (operation.ramAction) authorize(caller, operation.ramAction);
    const answer = await operation.run(caller, requestId);
    if (fault?.kind === 'slow') await delay(fault.delayMs ?? 5_000);
    ctx.callLog.add({ ...record, accountId: caller.account.accountId, status: 200, ...(fault ? { fault: fault.kind } : {}) });
    if (!res.destroyed) sendJson(res, 200, { ...answer, request_id: answer.request_id ?? requestId }, requestId);
  } catch (error) {
    const failure = error instanceof EmulatorError ? error : new EmulatorError(500, 'InternalError', String(error));
    ctx.callLog.add({
      ...record,
      ...(caller ? { accountId: caller.account.accountId } : {}),
      status: failure.status,
      errorCode: failure.code,
      ...(/Throttling|InternalError|ServiceUnavailable/.test(failure.code) ? { fault: failure.code } : {}),
    });
    if (!res.destroyed) sendJson(res, failure.status, errorBody(failure, requestId), requestId);
  }
}
