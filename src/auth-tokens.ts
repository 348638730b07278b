/**
 * The static bearer tokens callers present (`MCP_AUTH_TOKEN`, `MCP_AUTH_TOKENS`), read and checked once by
 * `loadConfig`: long enough, not an unrendered deploy template, names unique.
 */
import { ConfigError, type Env } from './setting-values.ts';

export interface AuthToken {
  name: string;
  token: string;
  readOnly: boolean;
}

const MIN_TOKEN_LENGTH = 16;

function checkToken(token: string, where: string): string {
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`${where} is shorter than ${MIN_TOKEN_LENGTH} characters. Use a random token, e.g. \`openssl rand -hex 32\`.`);
  }
  // A deploy template's expression left unrendered (`${env(...)}`, `${secret(...)}`) is public text, not a secret.
  if (/\$\{|\{\{/.test(token))
    throw new ConfigError(`${where} looks like an unrendered template expression, not a token: check the deployment's settings.`);
  return token;
}

/**
 * Tokens come from `MCP_AUTH_TOKEN` (one token, named "default") and/or `MCP_AUTH_TOKENS`:
 * comma-separated `name:token` or `name:token:read-only` entries.
 */
export function parseAuthTokens(env: Env): AuthToken[] {
  const tokens: AuthToken[] = [];
  const single = env.MCP_AUTH_TOKEN?.trim();
  if (single) tokens.push({ name: 'default', token: checkToken(single, 'MCP_AUTH_TOKEN'), readOnly: false });
  for (const entry of (env.MCP_AUTH_TOKENS ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name, token, mode, ...rest] = entry.split(':');
    if (!name || !token || rest.length > 0 || (mode !== undefined && mode !== 'read-only' && mode !== 'read-write')) {
      throw new ConfigError('MCP_AUTH_TOKENS entries must be `name:token` or `name:token:read-only`, separated by commas.');
    }
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name))
      throw new ConfigError(`MCP_AUTH_TOKENS: token name "${name}" must be 1-64 of [A-Za-z0-9_.-].`);
    if (tokens.some((existing) => existing.name === name)) throw new ConfigError(`MCP_AUTH_TOKENS: token name "${name}" is used twice.`);
    tokens.push({ name, token: checkToken(token, `MCP_AUTH_TOKENS entry "${name}"`), readOnly: mode === 'read-only' });
  }
  return tokens;
}
