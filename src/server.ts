/**
 * Composes the server: catalogue (built once, on first need), logger, credential chain and HTTP app.
 * `startServer` listens; `createAckMcpApp` is what tests and the FC entry use.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { createDefaultCredentialChain, type DefaultCredentialChain } from './credentials/resolve-credentials.ts';
import { createApp } from './http/app.ts';
import { createLogger, type Logger } from './log.ts';
import type { ToolsListJson } from './mcp/direct-answer.ts';
import { loadMcpRuntime } from './mcp/load-runtime.ts';

export interface AppOptions {
  logger?: Logger;
  defaultChain?: DefaultCredentialChain;
  /** `tools/list` answers computed ahead by the build (`tools-list.json` of the FC package). */
  toolsList?: ToolsListJson;
}

/** The process-wide tool catalogue, loaded with the MCP runtime (SDK, zod, tool definitions) on first need. */
export async function loadToolCatalog() {
  return (await loadMcpRuntime()).toolCatalog();
}

export function createAckMcpApp(config: Config, options: AppOptions = {}) {
  return createApp({
    config,
    catalog: loadToolCatalog,
    toolsList: options.toolsList,
    logger: options.logger ?? createLogger(),
    defaultChain: options.defaultChain ?? createDefaultCredentialChain(),
  });
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(config: Config, options: AppOptions = {}): Promise<RunningServer> {
  const app = createAckMcpApp(config, options);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const listening: ServerType = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
