/**
 * Composes the server: catalogue (built once, on first need), logger, credential chain, the per-process services
 * (kubectl proxy and run slots, caches: `services.ts`) and the HTTP app. `startServer` listens; `createAckMcpApp` is
 * what tests and the FC entry use. Two servers in one process share nothing but the catalogue (immutable).
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { createDefaultCredentialChain, type DefaultCredentialChain } from './credentials/resolve-credentials.ts';
import { createApp } from './http/app.ts';
import { createLogger, type Logger } from './log.ts';
import type { ToolsListJson } from './mcp/direct-answer.ts';
import { createServerServices, type ServerServices } from './services.ts';
import { isEveryToolset, TOOLSETS, type Toolset } from './toolsets.ts';
import type { ToolModuleMap } from './tools/tool-modules.ts';

export interface AppOptions {
  logger?: Logger;
  defaultChain?: DefaultCredentialChain;
  /** `tools/list` answers computed ahead by the build (`tools-list.json` of the FC package). */
  toolsList?: ToolsListJson;
  /** Tool name → defining module, computed ahead by the build (`tool-modules.json`): a call loads its tool's module alone. */
  toolModules?: ToolModuleMap;
  /** The per-process services; default: a new set whose kubectl audit lines go to `logger`. */
  services?: ServerServices;
}

/** The tool catalogue of a toolset selection, loaded (zod, every tool definition) on first need. */
export async function loadToolCatalog(toolsets: readonly Toolset[] = TOOLSETS) {
  return (await import('./mcp/catalog-instance.ts')).toolCatalog(toolsets);
}

export function createAckMcpApp(config: Config, options: AppOptions = {}) {
  const logger = options.logger ?? createLogger();
  return createApp({
    config,
    services: options.services ?? createServerServices({ auditLogger: logger }),
    catalog: () => loadToolCatalog(config.toolsets),
    // The build computes the answers for every toolset; a narrower selection computes its own on first need.
    toolsList: isEveryToolset(config.toolsets) ? options.toolsList : undefined,
    toolModules: options.toolModules,
    logger,
    defaultChain:
      options.defaultChain ?? createDefaultCredentialChain((reason) => logger.warn('default_credentials_unavailable', { reason })),
  });
}

/** The server could not listen (port taken, no permission): the message says what to change. */
export class ListenError extends Error {
  override name = 'ListenError';
}

function listenError(error: NodeJS.ErrnoException, config: Config): Error {
  const where = `${config.host}:${config.port}`;
  if (error.code === 'EADDRINUSE')
    return new ListenError(`Cannot listen on ${where}: the port is already in use. Stop the other process or set PORT to a free port.`);
  if (error.code === 'EACCES')
    return new ListenError(`Cannot listen on ${where}: permission denied (ports below 1024 need privileges). Set PORT to 1024 or above.`);
  if (error.code === 'EADDRNOTAVAIL')
    return new ListenError(`Cannot listen on ${where}: the address is not available on this machine. Check HOST.`);
  return error;
}

/** A server nobody authenticates: only callers' own keys can act (assertSecureStartup refuses anything else). */
function isOpen(config: Config): boolean {
  return config.authMode === 'token' && config.authTokens.length === 0 && !config.authByGateway;
}

export interface RunningServer {
  url: string;
  port: number;
  /** This server's per-process services (tests watch the kubectl proxy and run slots through them). */
  services: ServerServices;
  close(): Promise<void>;
}

/**
 * Listens on `config.host:config.port`.
 * @throws ListenError when the port is taken or not allowed
 */
export async function startServer(config: Config, options: AppOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const services = options.services ?? createServerServices({ auditLogger: logger });
  const app = createAckMcpApp(config, { ...options, logger, services });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const listening: ServerType = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(listening));
    listening.once('error', (error) => reject(listenError(error, config)));
  });
  if (isOpen(config)) {
    logger.warn('open_endpoint', {
      message:
        'No MCP_AUTH_TOKEN is set: anyone who can reach this endpoint can call the tools. They act only with the Alibaba Cloud keys ' +
        'they send themselves (CREDENTIAL_SOURCES=caller). Set MCP_AUTH_TOKEN to require a token.',
    });
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    services,
    close: async () => {
      await new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
      // Only services this server created are its to stop.
      if (!options.services) await services.close();
    },
  };
}
