/** Small value helpers used across layers, written once. */
import { createHash } from 'node:crypto';

/** A JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SHA-256 of a secret, to keep and compare it without keeping it (bearer tokens, kubectl session tokens). */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
