/**
 * Serves a 2025-era request (no per-request `_meta` envelope) that the direct path does not
 * answer (batches, progress streams, everything unusual) with the MCP SDK's Streamable HTTP
 * transport: a fresh server and transport for this one HTTP request. JSON answers unless the
 * client asked for progress over a stream (some clients, e.g. a popular Dify plugin, read only JSON).
 *
 * - Before the SDK parses a request, its params are checked with the SDK's own schema for the
 *   methods this server serves, so bad params get -32602 Invalid params with a readable message
 *   (the SDK would answer with a raw zod dump).
 * - A batch (JSON-RPC allows them up to 2025-03-26) is answered with an array, even when it holds
 *   one request (the SDK answers that with the bare response).
 * - A progress stream (SSE) ends when its body has been sent or the client went away;
 *   `finished` resolves then, after every call of the request has settled (a client that went
 *   away aborts them), so the request's log line can carry the calls' outcomes and durations.
 */
import { specTypeSchemas, WebStandardStreamableHTTPServerTransport, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { buildMcpServer, type RequestHooks } from './build-server.ts';
import { untilEnd, type SdkAnswer } from './sdk-answer.ts';
import type { CatalogSource } from './run-tool-call.ts';

/** The SDK's schemas for the requests of the methods we serve. */
const REQUEST_SCHEMAS: Record<string, keyof typeof specTypeSchemas> = {
  initialize: 'InitializeRequest',
  ping: 'PingRequest',
  'tools/list': 'ListToolsRequest',
  'tools/call': 'CallToolRequest',
  'prompts/list': 'ListPromptsRequest',
  'prompts/get': 'GetPromptRequest',
  'resources/list': 'ListResourcesRequest',
};

/** A -32602 answer for a request whose params the SDK would refuse, else undefined. */
export function invalidParamsAnswer(message: JSONRPCMessage): JSONRPCMessage | undefined {
  if (!('method' in message) || !('id' in message)) return undefined;
  const name = REQUEST_SCHEMAS[message.method];
  if (name === undefined) return undefined;
  const parsed = specTypeSchemas[name]['~standard'].validate(message);
  if (parsed instanceof Promise || !parsed.issues) return undefined;
  const issues = parsed.issues
    .slice(0, 3)
    .map(
      (issue) => `${(issue.path ?? []).map((key) => (typeof key === 'object' ? key.key : key)).join('.') || 'params'}: ${issue.message}`,
    );
  return {
    jsonrpc: '2.0',
    id: message.id,
    error: { code: -32602, message: `Invalid params for ${message.method}: ${issues.join('; ')}.` },
  };
}

/** A batch's answer as an array, also when the SDK answered its single request with the bare response. */
async function asBatchAnswer(response: Response): Promise<Response> {
  if (!(response.headers.get('content-type') ?? '').includes('application/json')) return response;
  const text = await response.text();
  const body = text.startsWith('[') ? text : `[${text}]`;
  return new Response(body, { status: response.status, headers: response.headers });
}

export async function serveLegacy(
  catalog: CatalogSource,
  hooks: RequestHooks,
  request: Request,
  body: unknown,
  stream: boolean,
): Promise<SdkAnswer> {
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
    return { response: Array.isArray(body) ? await asBatchAnswer(response) : response, finished: Promise.resolve() };
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
