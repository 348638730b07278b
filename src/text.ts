/** Text helpers shared by the log, error messages and answers: the one way to cut text and to say that it was cut. */

/** `text` cut to `max` characters, with `…` when anything was cut (for values quoted in logs and messages). */
export function cutShort(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** `[truncated: …]`: what an answer left out and how to see it. */
export function truncationNote(what: string): string {
  return `[truncated: ${what}]`;
}

/**
 * The marker that ends cut output: how much more there was and how to narrow.
 * @example truncationMarker(12345, 'bytes', 'use --tail') // "[truncated: 12345 more bytes not shown; use --tail]"
 */
export function truncationMarker(omitted: number, unit: 'characters' | 'bytes', hint: string): string {
  return truncationNote(`${omitted} more ${unit} not shown; ${hint}`);
}

/** The longest text an answer carries for the model. */
export const DEFAULT_TEXT_LIMIT = 24_000;

/** Cuts text at `limit` characters, followed on its own line by the truncation marker. */
export function boundText(text: string, limit = DEFAULT_TEXT_LIMIT, hint = 'narrow the request'): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n${truncationMarker(text.length - limit, 'characters', hint)}`;
}
