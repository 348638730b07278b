/** Reading one setting from the environment: the error that stops the start, integers, flags and lists. */

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

export function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false; got "${env[name]}".`);
}

/** A comma-separated list setting; every entry must match `entry` (`usage` says what that is). */
export function list(env: Env, name: string, entry: RegExp, usage: string): string[] {
  const entries = (env[name] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const value of entries)
    if (!entry.test(value)) throw new ConfigError(`${name} entries are ${usage}, separated by commas; got "${value.slice(0, 140)}".`);
  return [...new Set(entries)];
}
