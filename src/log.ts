/**
 * Structured logging: one JSON line per request (and one per event or unexpected error) on
 * stdout, which FC ships to Log Service. Callers pass only safe fields: AccessKey ids masked,
 * never secrets, tokens or headers. As a last line of defence every string VALUE is masked
 * before it is serialised (never the serialised line), so a hostile value can neither hide the
 * line's other fields nor make it invalid JSON.
 */
export type LogSink = (line: string) => void;

export interface Logger {
  request(fields: Record<string, unknown>): void;
  event(event: string, fields?: Record<string, unknown>): void;
  /** Something an operator should act on (an open endpoint, credentials that cannot be found). */
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, error: unknown, fields?: Record<string, unknown>): void;
}

/**
 * Key-shaped text, matched only within the characters such a key can have: an AccessKey id,
 * an STS AccessKey id, a bearer credential (RFC 6750 token68).
 */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/(LTAI[0-9A-Za-z]{2})[0-9A-Za-z]{8,}([0-9A-Za-z]{4})/g, '$1****$2'],
  [/(STS\.[0-9A-Za-z]{2})[0-9A-Za-z]{8,}([0-9A-Za-z]{4})/g, '$1****$2'],
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1****'],
];
/**
 * Text that may hold one of the above, in a value or in its JSON form (where whitespace after
 * "Bearer" may be escaped, hence the backslash). Almost no line does, so most lines are
 * serialised once, without a replacer.
 */
const SUSPECT = /LTAI[0-9A-Za-z]{14}|STS\.[0-9A-Za-z]{14}|[Bb][Ee][Aa][Rr][Ee][Rr][\s\\]/;

/** Masks anything shaped like an AccessKey id or a bearer token in one piece of text. */
export function scrub(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return SECRET_PATTERNS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

function maskValue(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? scrub(value) : value;
}

/**
 * `fields` as one JSON line with every string value masked. JSON escapes no letter, digit or
 * dot, so a line whose JSON shows nothing suspect has no value to mask.
 */
export function logLine(fields: Record<string, unknown>): string {
  const line = JSON.stringify(fields);
  return SUSPECT.test(line) ? JSON.stringify(fields, maskValue) : line;
}

export function createLogger(sink: LogSink = (line) => process.stdout.write(`${line}\n`)): Logger {
  const write = (level: string, event: string, fields: Record<string, unknown>) =>
    sink(logLine({ time: new Date().toISOString(), level, event, ...fields }));
  return {
    request: (fields) => write('info', 'request', fields),
    event: (event, fields = {}) => write('info', event, fields),
    warn: (event, fields = {}) => write('warn', event, fields),
    error: (event, error, fields = {}) => {
      const err = error as { name?: string; message?: string; stack?: string };
      write('error', event, { ...fields, error: { name: err?.name, message: err?.message, stack: err?.stack } });
    },
  };
}
