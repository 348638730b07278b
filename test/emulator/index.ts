/**
 * The local Alibaba Cloud emulator: HTTP servers that answer the products the MCP server calls,
 * check their signatures, record every call and can inject faults. One server is the central
 * endpoint (it answers every region, like `cs.aliyuncs.com`, and every other product); one more
 * per hosted region is that region's ACK endpoint, which knows only that region's clusters.
 *
 * ```ts
 * const emulator = await startEmulator();
 * // point the server at it: CS_ENDPOINT=emulator.endpoint,
 * // CS_REGION_ENDPOINTS=cn-hangzhou=<emulator.regionEndpoints['cn-hangzhou']>,…, protocol http
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
  /** Regions that get their own endpoint (default: every region the world has clusters in). */
  regions?: string[];
}

export interface Emulator extends EmulatorContext {
  /** `host:port` of the central endpoint, the form the @alicloud SDKs take as `endpoint`. */
  endpoint: string;
  /** `host:port` of each hosted region's own endpoint. */
  regionEndpoints: Record<string, string>;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const closing = new AbortController();
  const ctx: EmulatorContext = {
    closing: closing.signal,
    world: options.world ?? createDemoWorld(),
    callLog: new CallLog(),
    faults: new FaultInjector(),
    nonces: new NonceRegistry(),
    env: options.env ?? {},
    now: () => Date.now(),
  };
  const products = options.products ?? [];

  async function handle(req: IncomingMessage, res: ServerResponse, endpointRegion: string | undefined): Promise<void> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://emulator.local');
    const rawPath = rawUrl.split('?')[0] ?? '/';
    try {
      const body = await readBody(req);
      const request: Acs3Request = { req, res, url, rawPath, body, endpointRegion };
      const product = products.find((candidate) => candidate.matches(req, url));
      if (product) await product.serve(ctx, request);
      else await serveCs(ctx, request);
    } catch (error) {
      const requestId = newRequestId();
      const failure = error instanceof EmulatorError ? error : new EmulatorError(500, 'InternalError', 'Emulator failure.');
      if (!res.headersSent && !res.destroyed) sendJson(res, failure.status, errorBody(failure, requestId), requestId);
    }
  }

  const host = options.host ?? '127.0.0.1';
  async function listen(port: number, endpointRegion: string | undefined): Promise<Server> {
    const server = createServer((req, res) => void handle(req, res, endpointRegion));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return server;
  }

  const central = await listen(options.port ?? 0, undefined);
  const regions =
    options.regions ?? [...new Set(ctx.world.accounts.flatMap((account) => account.clusters.map((cluster) => cluster.region_id)))].sort();
  const regional = await Promise.all(regions.map(async (region) => [region, await listen(0, region)] as const));
  const addressOf = (server: Server) => `${host}:${(server.address() as AddressInfo).port}`;
  const { port } = central.address() as AddressInfo;
  return {
    ...ctx,
    endpoint: addressOf(central),
    regionEndpoints: Object.fromEntries(regional.map(([region, server]) => [region, addressOf(server)])),
    url: `http://${host}:${port}`,
    port,
    async close() {
      closing.abort();
      await Promise.all(
        [central, ...regional.map(([, server]) => server)].map((server) => {
          server.closeAllConnections();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        }),
      );
    },
  };
}
