/**
 * Structured logging: one JSON line per request (and one per unexpected error) on stdout,
 * which FC ships to Log Service. Callers pass only safe fields: AccessKey ids masked, never
 * secrets, tokens or headers.
 */
export type LogSink = (line: string) => void;

export interface Logger {
  request(fields: Record<string, unknown>): void;
  event(event: string, fields?: Record<string, unknown>): void;
  error(event: string, error: unknown, fields?: Record<string, unknown>): void;
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/(LTAI[0-9A-Za-z]{2})[0-9A-Za-z]{8,}([0-9A-Za-z]{4})/g, '$1****$2'],
  [/(STS\.[0-9A-Za-z]{2})[0-9A-Za-z]{8,}([0-9A-Za-z]{4})/g, '$1****$2'],
  [/(Bearer\s+)\S+/gi, '$1****'],
];

/** Last line of defence: masks anything shaped like an AccessKey id or bearer token in free text. */
export function scrub(text: string): string {
  return SECRET_PATTERNS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

export function createLogger(sink: LogSink = (line) => process.stdout.write(`${line}\n`)): Logger {
  const write = (fields: Record<string, unknown>) => sink(scrub(JSON.stringify({ time: new Date().toISOString(), ...fields })));
  return {
    request: (fields) => write({ level: 'info', event: 'request', ...fields }),
    event: (event, fields = {}) => write({ level: 'info', event, ...fields }),
    error: (event, error, fields = {}) => {
      const err = error as { name?: string; message?: string; stack?: string };
      write({ level: 'error', event, ...fields, error: { name: err?.name, message: err?.message, stack: err?.stack } });
    },
  };
}
