/**
 * Serves what the direct path does not (batches, progress streams, everything unusual) with the
 * MCP SDK: a fresh server and transport for this one HTTP request.
 *
 * - Before the SDK parses a request, its params are checked with the SDK's own schema for the
 *   methods this server serves, so bad params get -32602 Invalid params with a readable message
 *   (the SDK would answer -32603 with a raw zod dump).
 * - A progress stream (SSE) ends when its body has been sent or the client went away;
 *   `finished` resolves then, after every call of the request has settled (a client that went
 *   away aborts them), so the request's log line can carry the calls' outcomes and durations.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  CallToolRequestSchema,
  InitializeRequestSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { buildMcpServer, type RequestHooks } from './build-server.ts';
import type { ToolCatalog } from './tool-catalog.ts';

/** The request schemas the SDK parses requests of the methods we serve with. */
const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  initialize: InitializeRequestSchema,
  ping: PingRequestSchema,
  'tools/list': ListToolsRequestSchema,
  'tools/call': CallToolRequestSchema,
};

/** A -32602 answer for a request whose params the SDK would refuse, else undefined. */
export function invalidParamsAnswer(message: JSONRPCMessage): JSONRPCMessage | undefined {
  if (!('method' in message) || !('id' in message)) return undefined;
  const schema = REQUEST_SCHEMAS[message.method];
  const parsed = schema?.safeParse(message);
  if (!parsed || parsed.success) return undefined;
  const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`);
  return { jsonrpc: '2.0', id: message.id, error: { code: -32602, message: `Invalid params for ${message.method}: ${issues.join('; ')}.` } };
}

/** `body` that calls `onEnd` once, when it has been read to the end, failed, or was cancelled. */
function untilEnd(body: ReadableStream<Uint8Array>, onEnd: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          end();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        controller.error(error);
        end();
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}

export interface SdkAnswer {
  response: Response;
  /** Resolves when the answer has been sent (or the client went away) and every call has settled. */
  finished: Promise<void>;
}

export async function serveWithSdk(catalog: ToolCatalog, hooks: RequestHooks, request: Request, body: unknown, stream: boolean): Promise<SdkAnswer> {
  let inFlight = 0;
  let settled: (() => void) | undefined;
  const server = buildMcpServer(catalog, {
    ...hooks,
    onCallStarted: () => void (inFlight += 1),
    onCallFinished(record) {
      hooks.onCallFinished(record);
      inFlight -= 1;
      if (inFlight === 0) settled?.();
    },
  });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: !stream });
  await server.connect(transport);
  const deliver = transport.onmessage!;
  transport.onmessage = (message, extra) => {
    const refusal = invalidParamsAnswer(message);
    if (refusal) void transport.send(refusal).catch(() => undefined);
    else deliver(message, extra);
  };
  // The transport insists on both media types in Accept; a JSON-only client gets JSON anyway.
  const headers = new Headers(request.headers);
  headers.set('accept', 'application/json, text/event-stream');
  const response = await transport.handleRequest(new Request(request.url, { method: 'POST', headers }), { parsedBody: body });
  if (!stream || !response.body) {
    await server.close();
    return { response, finished: Promise.resolve() };
  }
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const onEnd = async () => {
    await server.close(); // aborts the calls still running when the client went away
    if (inFlight > 0) await new Promise<void>((resolve) => (settled = resolve));
    finish();
  };
  const sent = untilEnd(response.body, () => void onEnd());
  return { response: new Response(sent, { status: response.status, headers: response.headers }), finished };
}
