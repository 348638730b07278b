/**
 * Reads a JSON-RPC request body with a size bound and checks its shape and every message's
 * envelope (`json-rpc-envelope.ts`), so that bad requests get a precise HTTP status and JSON-RPC
 * error before the MCP layer sees them: -32700 only for text that is not JSON, -32600 for JSON
 * that is not a valid request (HTTP 400), including JSON nested deeper than MAX_JSON_DEPTH, refused
 * before parsing (JSON.parse of 100,000 nested arrays blocks the event loop for hundreds of ms).
 */
import { envelopeProblem, type RpcId } from './json-rpc-envelope.ts';

export type BodyResult =
  | { ok: true; value: unknown; messages: unknown[] }
  | { ok: false; status: 200 | 400 | 413 | 415; code: number; message: string; id?: RpcId | null };

/** Deeper than any MCP message needs (tool arguments are flat objects): refused before parsing. */
export const MAX_JSON_DEPTH = 64;

/** Whether JSON text nests objects/arrays deeper than `max`: one linear pass over the bytes, strings skipped. */
function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c)
        i += 1; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth -= 1;
  }
  return false;
}

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const [type] = value.split(';');
  return type?.trim().toLowerCase() === 'application/json';
}

/**
 * A refused body is still read (and dropped) up to this many bytes before the answer, FC's own limit: a server
 * that closes a connection with unread data resets it, and the client sees the reset instead of the answer.
 */
export const DISCARD_LIMIT_BYTES = 32 * 1024 * 1024;

/** Reads and drops what is left of a body, at most `limit` bytes (beyond that the connection may be reset). */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<void> {
  let read = 0;
  try {
    while (read <= limit) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // the client went away: nothing left to answer
  }
}

export async function readJsonBody(request: Request, maxBytes: number, maxBatch: number): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  const refuse = async <T extends BodyResult>(answer: T): Promise<T> => {
    if (request.body && !request.bodyUsed && !(declared > DISCARD_LIMIT_BYTES))
      await discardRest(request.body.getReader(), DISCARD_LIMIT_BYTES);
    return answer;
  };
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return refuse({ ok: false, status: 415, code: -32000, message: 'Unsupported Media Type: send Content-Type: application/json.' });
  }
  const tooLarge = { ok: false, status: 413, code: -32000, message: `Request body exceeds ${maxBytes} bytes.` } as const;
  if (Number.isFinite(declared) && declared > maxBytes) return refuse(tooLarge);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (Number.isFinite(declared)) {
    // A declared length bounds the body (the HTTP parser reads exactly that many bytes), so read it
    // whole: @hono/node-server then reads the socket directly instead of through a web stream.
    chunks.push(new Uint8Array(await request.arrayBuffer()));
  } else if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await discardRest(reader, DISCARD_LIMIT_BYTES - size);
        return tooLarge;
      }
      chunks.push(value);
    }
  }
  const bytes = Buffer.concat(chunks);
  if (nestsDeeperThan(bytes, MAX_JSON_DEPTH)) {
    return { ok: false, status: 400, code: -32600, message: `Invalid Request: the body nests deeper than ${MAX_JSON_DEPTH} levels.` };
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, status: 400, code: -32700, message: 'Parse error: the body is not valid JSON.' };
  }
  if (!Array.isArray(value)) {
    const problem = envelopeProblem(value);
    if (!problem) return { ok: true, value, messages: [value] };
    // Invalid params of a valid request are an answer to that request; anything else is a bad request.
    return { ok: false, status: problem.code === -32602 && problem.id !== null ? 200 : 400, ...problem };
  }
  if (value.length === 0) return { ok: false, status: 400, code: -32600, message: 'Invalid Request: empty batch.' };
  if (value.length > maxBatch) {
    return { ok: false, status: 400, code: -32600, message: `Invalid Request: a batch may hold at most ${maxBatch} messages.` };
  }
  for (const [index, message] of value.entries()) {
    const problem = envelopeProblem(message);
    if (problem) {
      const text = problem.message.replace(/^(Invalid \w+): /, `$1: message ${index + 1} of the batch: `);
      return { ok: false, status: 400, code: problem.code, message: `${text} Nothing in the batch was run.`, id: null };
    }
  }
  return { ok: true, value, messages: value };
}
