/**
 * Models often send numbers and booleans as strings ("3", "true"). The schemas we publish stay
 * plain (`integer`, `boolean`: some clients reject `anyOf` unions), and this pre-pass converts
 * such strings for top-level properties before strict validation.
 */
export function coerceScalarStrings(args: Record<string, unknown>, inputSchema: Record<string, unknown>): Record<string, unknown> {
  const properties = (inputSchema.properties ?? {}) as Record<string, { type?: string }>;
  const result: Record<string, unknown> = { ...args };
  for (const [name, value] of Object.entries(args)) {
    if (typeof value !== 'string') continue;
    const type = properties[name]?.type;
    const text = value.trim();
    if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) result[name] = Number(text);
    else if (type === 'boolean' && (text === 'true' || text === 'false')) result[name] = text === 'true';
  }
  return result;
}
