/**
 * Starts the server from environment settings. A wrong or insecure configuration stops the
 * start with one line saying how to fix it (exit code 78, EX_CONFIG); so does a port it cannot
 * listen on (exit code 1). Run directly (`npm start`, `tsx src/main.ts`) it first reads `.env` from
 * the working directory; the FC entry imports it and passes what its build made. Either way the
 * Python ACK MCP servers' setting names are accepted as aliases (src/setting-aliases.ts).
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { ListenError, startServer, type AppOptions } from './server.ts';
import { applySettingAliases, describeAliasUse } from './setting-aliases.ts';

/**
 * Whether the FC entry loaded the application with its code cache (functions/ack-mcp/load-app.ts): `absent` when the
 * package has none, `rejected` when V8 refused it.
 */
export type CodeCacheUse = 'used' | 'rejected' | 'absent';

export interface StartOptions extends Pick<AppOptions, 'toolsList' | 'toolModules'> {
  /** Read `.env` from the working directory before anything else (never on FC). */
  envFile?: boolean;
  /** Whether the FC entry loaded the bundle with its code cache (logged with `listening`). */
  codeCache?: CodeCacheUse;
}

async function readEnvFile(logger: Logger): Promise<void> {
  const { loadEnvFile } = await import('./env-file.ts');
  const load = loadEnvFile(process.env, process.cwd());
  if (load) logger.event('env_file', { path: load.path, loaded: load.loaded, keptFromEnvironment: load.kept });
}

export async function startFromEnvironment(options: StartOptions = {}): Promise<void> {
  const logger = createLogger();
  try {
    if (options.envFile) await readEnvFile(logger);
    for (const use of applySettingAliases(process.env)) logger.warn('setting_alias', { ...use, message: describeAliasUse(use) });
    const config = loadConfig();
    const server = await startServer(config, { logger, toolsList: options.toolsList, toolModules: options.toolModules });
    logger.event('listening', {
      url: server.url,
      accessMode: config.accessMode,
      credentialSources: config.credentialSources,
      tokens: config.authTokens.map((t) => t.name),
      authMode: config.authMode,
      ...(options.codeCache ? { codeCache: options.codeCache } : {}),
      ...(config.oauth ? { issuer: config.oauth.issuer, resource: config.oauth.resource } : {}),
    });
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

// Started directly (npm start, tsx src/main.ts), not imported by the FC application (bundled as CommonJS, where
// `import.meta.url` is undefined).
const self: string | undefined = import.meta.url;
if (typeof self === 'string' && self.endsWith('/main.ts') && process.argv[1] && self === pathToFileURL(process.argv[1]).href)
  void startFromEnvironment({ envFile: true });
