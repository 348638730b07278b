/**
 * Starts the server from environment settings. A wrong or insecure configuration stops the
 * start with one line saying how to fix it (exit code 78, EX_CONFIG); so does a port it cannot
 * listen on (exit code 1). Run directly (`tsx src/main.ts`) it starts at once; the FC entry
 * imports it and passes what its build made.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { ListenError, startServer, type AppOptions } from './server.ts';

export async function startFromEnvironment(options: Pick<AppOptions, 'toolsList'> = {}): Promise<void> {
  const logger = createLogger();
  try {
    const config = loadConfig();
    const server = await startServer(config, { logger, ...options });
    logger.event('listening', { url: server.url, accessMode: config.accessMode, credentialSources: config.credentialSources, tokens: config.authTokens.map((t) => t.name) });
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ListenError) {
      process.stderr.write(`ack-mcp-server: ${error.message}\n`);
      process.exit(error instanceof ConfigError ? 78 : 1);
    }
    throw error;
  }
}

// Started directly (tsx src/main.ts), not imported by the FC entry (whose bundle is index.mjs).
if (import.meta.url.endsWith('/main.ts') && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await startFromEnvironment();
