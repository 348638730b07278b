/**
 * The proxy's gate for pod writes (docs/kubectl-safety.md, rule 10): reads the body kubectl sends (bounded), judges it
 * with pod-admission.ts, and either forwards that body or refuses. The read counts as in flight, so closing the call's
 * session ends it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { judgePodWrite, MAX_ADMISSION_BODY_BYTES, readBody } from './pod-admission.ts';
import type { PodShape } from './pod-security.ts';
import { type Session, trackInflight } from './proxy-session.ts';

export interface PodWriteGate {
  req: IncomingMessage;
  res: ServerResponse;
  session: Session;
  method: string;
  shape: PodShape;
  /** Sends the request upstream with the body already read. */
  forward(body: Buffer): void;
  /** Answers the refusal (a Kubernetes Status) without sending anything upstream. */
  refuse(refusal: { status: number; reason: string; message: string }): void;
}

export function admitPodWrite({ req, res, session, method, shape, forward, refuse }: PodWriteGate): void {
  const untrack = trackInflight(session, () => res.destroy());
  readBody(req, MAX_ADMISSION_BODY_BYTES, (body) => {
    untrack();
    if (session.closed || res.destroyed) return void res.destroy();
    if (!body) {
      res.shouldKeepAlive = false; // the rest of that body is not read
      refuse({
        status: 413,
        reason: 'RequestEntityTooLarge',
        message: `the MCP server's kubectl policy reads pod writes up to ${MAX_ADMISSION_BODY_BYTES} bytes (the API server's own limit); nothing was sent.`,
      });
      return;
    }
    const verdict = judgePodWrite(method, req.headers, body, shape);
    if ('ok' in verdict && verdict.ok) forward(body);
    else refuse(verdict);
  });
}
