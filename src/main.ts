/**
 * Starts the server from environment settings. A wrong or insecure configuration stops the
 * start with a message saying how to fix it (exit code 78, EX_CONFIG).
 */
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startServer } from './server.ts';

const logger = createLogger();
try {
  const config = loadConfig();
  const server = await startServer(config, { logger });
  logger.event('listening', { url: server.url, accessMode: config.accessMode, credentialSources: config.credentialSources, tokens: config.authTokens.map((t) => t.name) });
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`ack-mcp-server: ${error.message}\n`);
    process.exit(78);
  }
  throw error;
}
