/**
 * What kubectl's answers mask, defined once for the proxy's streaming Secret masker (secret-masking.ts) and the
 * output filter (output-filter.ts, line-masking.ts, credential-masking.ts): the placeholder, its base64 form, and the
 * annotation that holds the plaintext of applied Secrets.
 */

/** What a masked value is replaced with. */
export const MASK = '<masked>';

/** What a masked Secret `data` value is replaced with upstream (base64 of {@link MASK}, so typed clients decode it). */
export const MASKED_DATA = Buffer.from(MASK).toString('base64');

/** The annotation client-side `kubectl apply` leaves: the whole applied manifest, a Secret's values included. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any shape, walked by the maskers
export type Json = any;
