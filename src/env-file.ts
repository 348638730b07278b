/**
 * `npm start` reads `.env` from the working directory, as the Python ACK MCP servers did: `KEY=value` lines in
 * dotenv's syntax (quotes, `export`, comments), parsed by the `dotenv` package. A variable the environment
 * already has is kept (the real environment wins, even when empty). Never on Function Compute, whose
 * settings come from the function's configuration alone.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { ConfigError, runsOnFc } from './config.ts';

type Env = Record<string, string | undefined>;

/** A `.env` file larger than this is not a settings file. */
const MAX_ENV_FILE_BYTES = 1024 * 1024;

export interface EnvFileLoad {
  path: string;
  /** Names taken from the file. */
  loaded: string[];
  /** Names the file sets but the environment already had (kept as they were). */
  kept: string[];
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Fills `env` from `<directory>/.env`. Returns undefined when there is no such file or when on FC.
 * @throws ConfigError when the file exists but cannot be read (a directory, no permission, too large)
 */
export function loadEnvFile(env: Env, directory: string): EnvFileLoad | undefined {
  if (runsOnFc(env)) return undefined;
  const path = join(directory, '.env');
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_ENV_FILE_BYTES)
      throw new ConfigError(`${path} is ${size} bytes, more than a settings file holds (1 MiB at most). Remove or fix it.`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new ConfigError(`Cannot read ${path} (${errorCode(error)}): fix its permissions, or remove it to use the environment alone.`);
  }
  const result: EnvFileLoad = { path, loaded: [], kept: [] };
  for (const [name, value] of Object.entries(dotenv.parse(text))) {
    if (Object.hasOwn(env, name)) {
      result.kept.push(name);
    } else {
      env[name] = value;
      result.loaded.push(name);
    }
  }
  return result;
}
