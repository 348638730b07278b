/** Text helpers shared by the log, error messages and answers. */

/** `text` cut to `max` characters, with `…` when anything was cut. */
export function cutShort(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
