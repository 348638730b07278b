/**
 * Starts the emulator and the MCP server wired to it, over real HTTP, for end-to-end tests.
 * Logs are captured (for the secret scan) instead of printed.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { startFullEmulator, type FullEmulator } from '../emulator/full-emulator.ts';
import type { EmulatorOptions } from '../emulator/index.ts';
import type { AccessKey } from '../emulator/world.ts';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface Stack {
  emulator: FullEmulator;
  server: RunningServer;
  mcpUrl: string;
  logs: string[];
  /** An MCP SDK client connected with these extra headers (bearer token added unless given). */
  client(headers?: Record<string, string>): Promise<Client>;
  /** A raw JSON-RPC POST; returns status, headers and parsed body (or text). */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  close(): Promise<void>;
}

/** Headers that carry an emulated account's key as caller credentials. */
export function callerHeaders(key: AccessKey): Record<string, string> {
  return {
    'x-aliyun-access-key-id': key.accessKeyId,
    'x-aliyun-access-key-secret': key.accessKeySecret,
    ...(key.securityToken ? { 'x-aliyun-security-token': key.securityToken } : {}),
  };
}

export async function startStack(options: { env?: Record<string, string>; emulator?: Omit<EmulatorOptions, 'products'> } = {}): Promise<Stack> {
  const emulator = await startFullEmulator(options.emulator);
  const logs: string[] = [];
  const config = loadConfig({
    MCP_AUTH_TOKEN: TEST_TOKEN,
    ...emulator.serverEnv,
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_READ_TIMEOUT_MS: '3000',
    CREDENTIAL_SOURCES: 'caller',
    PORT: '0',
    ...options.env,
  });
  const server = await startServer(config, {
    logger: createLogger((line) => logs.push(line)),
    defaultChain: { get: () => Promise.reject(new Error('no default chain in tests')) },
  });
  const mcpUrl = `${server.url}/mcp`;
  const clients: Client[] = [];
  return {
    emulator,
    server,
    mcpUrl,
    logs,
    async client(headers = {}) {
      const client = new Client({ name: 'ack-mcp-test', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}`, ...headers } },
      });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async post(body, headers = {}) {
      const response = await fetch(mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${TEST_TOKEN}`,
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (e.g. an SSE stream): callers read `text`
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async close() {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await server.close();
      await emulator.close();
    },
  };
}
