/**
 * Starts the emulator and the MCP server wired to it, over real HTTP, for end-to-end tests.
 * Logs are captured instead of printed, and every stack of the test process adds what it saw
 * (log lines, responses) and every secret it used (tokens, AccessKey secrets, STS tokens,
 * kubeconfig keys) to one record: `findSecretLeaks()` scans all of it, and under the test runner
 * that scan runs once more when the process's tests are done, failing the run on any leak.
 */
import type { ToolModuleMap } from '../../src/tools/tool-modules.ts';
import { after } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '../../src/config.ts';
import type { DefaultCredentialChain } from '../../src/credentials/resolve-credentials.ts';
import { createLogger } from '../../src/log.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { startFullEmulator, type FullEmulator } from '../emulator/full-emulator.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import type { EmulatorOptions } from '../emulator/index.ts';
import type { AccessKey, World } from '../emulator/world.ts';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export type LogEntry = Record<string, any>;

export interface Stack {
  emulator: FullEmulator;
  /** The in-process server (its `services` are undefined with `serverProcess`). */
  server: RunningServer | (Omit<RunningServer, 'services'> & { services?: undefined });
  /** The server's child process, with `serverProcess`. */
  process?: ServerProcess;
  mcpUrl: string;
  logs: string[];
  /** An MCP SDK client connected with these extra headers (bearer token added unless given). */
  client(headers?: Record<string, string>): Promise<Client>;
  /** A raw JSON-RPC POST; returns status, headers and parsed body (or text). */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  /** The first log line (already written or still to come) that `matches`. */
  waitForLog(matches: (entry: LogEntry) => boolean): Promise<LogEntry>;
  close(): Promise<void>;
}

// ── what every stack of this process saw and used ───────────────────────────────────────────

const captured = {
  logs: [] as string[],
  responses: [] as string[],
  /** Response bodies still arriving (streams end when their stack closes). */
  pending: [] as Promise<void>[],
  secrets: new Set<string>(),
  accessKeyIds: new Set<string>(),
  worlds: [] as World[],
};

/** Shorter values are too common to scan for (tests send "x" as a malformed secret). */
const MIN_SECRET_LENGTH = 8;

const SECRET_HEADERS = ['x-aliyun-access-key-secret', 'x-aliyun-security-token', 'x-fc-access-key-secret', 'x-fc-security-token'];
const KEY_ID_HEADERS = ['x-aliyun-access-key-id', 'x-fc-access-key-id'];

/** Adds an answer a test received outside `post()` and `client()` to what the scan looks at. */
export function rememberAnswer(text: string): void {
  captured.responses.push(text);
}

/** Adds secrets a test used outside `post()` and `client()` to the scan. */
export function rememberSecrets(...values: string[]): void {
  for (const value of values) captured.secrets.add(value);
}

function rememberHeaders(init: ConstructorParameters<typeof Headers>[0]): void {
  const headers = new Headers(init);
  const authorization = headers.get('authorization');
  if (authorization) captured.secrets.add(authorization.replace(/^\S+\s+/, '').trim());
  for (const name of SECRET_HEADERS) {
    const value = headers.get(name);
    if (value) captured.secrets.add(value.trim());
  }
  for (const name of KEY_ID_HEADERS) {
    const value = headers.get(name);
    if (value) captured.accessKeyIds.add(value.trim());
  }
}

function captureResponse(response: Response): void {
  const body = response.clone().body;
  if (!body) return;
  const entry = captured.responses.push('') - 1;
  const decoder = new TextDecoder();
  captured.pending.push(
    (async () => {
      for await (const chunk of body) captured.responses[entry] += decoder.decode(chunk as Uint8Array, { stream: true });
    })().catch(() => undefined),
  );
}

/** A `fetch` that records the secrets it sends and the answers it gets. */
const capturingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  rememberHeaders(init?.headers);
  const response = await fetch(input, init);
  captureResponse(response);
  return response;
};

function keyMaterial(world: World): { secrets: string[]; ids: string[] } {
  const keys: AccessKey[] = world.accounts.flatMap((account) => account.accessKeys);
  return {
    secrets: keys.flatMap((key) => [key.accessKeySecret, ...(key.securityToken ? [key.securityToken] : [])]),
    ids: keys.map((key) => key.accessKeyId),
  };
}

/** Where any of `secrets` appears in `logs` or `responses`, and any of `ids` (AccessKey ids) unmasked in `logs`. */
export function secretsIn(texts: { logs: string[]; responses: string[] }, secrets: Iterable<string>, ids: Iterable<string> = []): string[] {
  const logs = texts.logs.join('\n');
  const responses = texts.responses.join('\n');
  const forms = (value: string) => [value, JSON.stringify(value).slice(1, -1)];
  const shown = (value: string) => `${value.slice(0, 4)}… (${value.length} characters)`;
  const leaks: string[] = [];
  for (const secret of new Set(secrets)) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    if (forms(secret).some((form) => logs.includes(form))) leaks.push(`secret ${shown(secret)} in a log line`);
    if (forms(secret).some((form) => responses.includes(form))) leaks.push(`secret ${shown(secret)} in a response`);
  }
  // AccessKey ids are not secret, but the log shows them only masked.
  for (const id of new Set(ids)) if (id.length >= 12 && logs.includes(id)) leaks.push(`unmasked AccessKey id ${shown(id)} in a log line`);
  return leaks;
}

/** Where each secret used by this process's tests appeared in a log line or a response (nothing, normally). */
export async function findSecretLeaks(): Promise<string[]> {
  await Promise.all(captured.pending);
  const secrets = [...captured.secrets];
  const ids = [...captured.accessKeyIds];
  for (const world of captured.worlds) {
    const material = keyMaterial(world);
    secrets.push(...material.secrets);
    ids.push(...material.ids);
  }
  return secretsIn(captured, secrets, ids);
}

/** How much the scan has to look at. */
export function capturedVolume(): { logs: number; responses: number; secrets: number } {
  return { logs: captured.logs.length, responses: captured.responses.length, secrets: captured.secrets.size };
}

// Under the test runner (each test file is a child process), scan everything once the file's tests are done.
if (process.env.NODE_TEST_CONTEXT) {
  after(async () => {
    const leaks = await findSecretLeaks();
    if (leaks.length > 0) throw new Error(`secrets leaked in this test process:\n${leaks.join('\n')}`);
  });
}

// ── the stack ────────────────────────────────────────────────────────────────────────────────

/** Headers that carry an emulated account's key as caller credentials. */
export function callerHeaders(key: AccessKey): Record<string, string> {
  return {
    'x-aliyun-access-key-id': key.accessKeyId,
    'x-aliyun-access-key-secret': key.accessKeySecret,
    ...(key.securityToken ? { 'x-aliyun-security-token': key.securityToken } : {}),
  };
}

export interface StackOptions {
  env?: Record<string, string>;
  emulator?: Omit<EmulatorOptions, 'products'>;
  /** The server's default credential chain (default: one that finds nothing); not with `serverProcess`. */
  defaultChain?: DefaultCredentialChain;
  /**
   * Run the server in a child process of its own (`src/main.ts`), as on FC; its log lines are captured the same way.
   * `cpuNice`: the weight of its CPU share (raiseCpuShare in cpu-share.ts).
   */
  serverProcess?: boolean | { cpuNice: number };
  /** Tool name → defining module, as the FC build passes it (a plain tools/call then loads that module alone). */
  toolModules?: ToolModuleMap;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startFullEmulator(options.emulator);
  captured.worlds.push(emulator.world);
  const issueKubeconfig = emulator.env.kubeconfigFor;
  if (issueKubeconfig) {
    emulator.env.kubeconfigFor = (user, groups) => {
      const kubeconfig = issueKubeconfig(user, groups);
      const key = /client-key-data:\s*(\S+)/.exec(kubeconfig)?.[1];
      if (key) {
        captured.secrets.add(key);
        // The key's PEM body, should it appear decoded.
        const pemLine = Buffer.from(key, 'base64')
          .toString('utf8')
          .split('\n')
          .find((line) => line.length >= 40 && !line.startsWith('-----'));
        if (pemLine) captured.secrets.add(pemLine);
      }
      return kubeconfig;
    };
  }
  const logs: string[] = [];
  const listeners: Array<(entry: LogEntry) => void> = [];
  const env: Record<string, string> = {
    MCP_AUTH_TOKEN: TEST_TOKEN,
    ...emulator.serverEnv,
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_READ_TIMEOUT_MS: '3000',
    CREDENTIAL_SOURCES: 'caller',
    PORT: '0',
    ...options.env,
  };
  const config = loadConfig(env);
  for (const token of config.authTokens) captured.secrets.add(token.token);
  for (const name of ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN']) if (env[name]) captured.secrets.add(env[name]);
  const onLogLine = (line: string) => {
    logs.push(line);
    captured.logs.push(line);
    if (listeners.length === 0) return;
    const entry = JSON.parse(line) as LogEntry;
    for (const listener of [...listeners]) listener(entry);
  };
  let child: ServerProcess | undefined;
  let server: Stack['server'];
  if (options.serverProcess) {
    if (options.defaultChain) throw new Error('startStack: a default chain cannot be given to a server process');
    const started = await startServerProcess(env, onLogLine, typeof options.serverProcess === 'object' ? options.serverProcess : {});
    child = started;
    server = { url: started.url, port: started.port, close: () => started.close() };
  } else {
    server = await startServer(config, {
      logger: createLogger(onLogLine),
      defaultChain: options.defaultChain ?? { get: () => Promise.reject(new Error('no default chain in tests')) },
      toolModules: options.toolModules,
    });
  }
  const mcpUrl = `${server.url}/mcp`;
  const clients: Client[] = [];
  return {
    emulator,
    server,
    ...(child ? { process: child } : {}),
    mcpUrl,
    logs,
    async client(headers = {}) {
      const client = new Client({ name: 'ack-mcp-test', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}`, ...headers } },
        fetch: capturingFetch,
      });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async post(body, headers = {}) {
      const all = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${TEST_TOKEN}`,
        ...headers,
      };
      rememberHeaders(all);
      const response = await fetch(mcpUrl, { method: 'POST', headers: all, body: typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await response.text();
      captured.responses.push(text);
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (e.g. an SSE stream): callers read `text`
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    waitForLog(matches) {
      for (const line of logs) {
        const entry = JSON.parse(line) as LogEntry;
        if (matches(entry)) return Promise.resolve(entry);
      }
      return new Promise((resolve) => {
        const listener = (entry: LogEntry) => {
          if (!matches(entry)) return;
          listeners.splice(listeners.indexOf(listener), 1);
          resolve(entry);
        };
        listeners.push(listener);
      });
    },
    async close() {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await server.close();
      await emulator.close();
    },
  };
}
