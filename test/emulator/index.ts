/**
 * The local Alibaba Cloud emulator: one HTTP server that answers the products the MCP
 * server calls, checks their signatures, records every call and can inject faults.
 *
 * ```ts
 * const emulator = await startEmulator();
 * // point the server at it: CS_ENDPOINT=emulator.endpoint (host:port), protocol http
 * emulator.faults.inject({ kind: 'throttle', action: 'DescribeClusterNodePools' });
 * emulator.callLog.of('DescribeClusterNodePools');
 * await emulator.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Acs3Request } from './acs3-product.ts';
import { NonceRegistry } from './authenticate.ts';
import { CallLog } from './call-log.ts';
import type { EmulatorContext } from './context.ts';
import { serveCs } from './cs/product.ts';
import type { CsEnvironment } from './cs/routes.ts';
import { FaultInjector } from './faults.ts';
import { EmulatorError, errorBody, newRequestId, readBody, sendJson } from './http-util.ts';
import { createDemoWorld, type World } from './world.ts';

/** A product the emulator serves besides CS; the first whose `matches` is true serves the request. */
export interface EmulatedProduct {
  name: string;
  matches(req: IncomingMessage, url: URL): boolean;
  serve(ctx: EmulatorContext, request: Acs3Request): Promise<void>;
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  world?: World;
  env?: CsEnvironment;
  products?: EmulatedProduct[];
}

export interface Emulator extends EmulatorContext {
  /** `host:port`, the form the @alicloud SDKs take as `endpoint`. */
  endpoint: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const ctx: EmulatorContext = {
    world: options.world ?? createDemoWorld(),
    callLog: new CallLog(),
    faults: new FaultInjector(),
    nonces: new NonceRegistry(),
    env: options.env ?? {},
    now: () => Date.now(),
  };
  const products = options.products ?? [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://emulator.local');
    const rawPath = rawUrl.split('?')[0] ?? '/';
    try {
      const body = await readBody(req);
      const request: Acs3Request = { req, res, url, rawPath, body };
      const product = products.find((candidate) => candidate.matches(req, url));
      if (product) await product.serve(ctx, request);
      else await serveCs(ctx, request);
    } catch (error) {
      const requestId = newRequestId();
      const failure = error instanceof EmulatorError ? error : new EmulatorError(500, 'InternalError', 'Emulator failure.');
      if (!res.headersSent && !res.destroyed) sendJson(res, failure.status, errorBody(failure, requestId), requestId);
    }
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    ...ctx,
    endpoint: `${host}:${port}`,
    url: `http://${host}:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
