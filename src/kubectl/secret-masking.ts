/**
 * Masks Secret values in API-server responses before kubectl sees them, so no printer can bring them back
 * (`-o jsonpath={.data.x}`, `go-template` with `base64decode`, `custom-columns`, a value too large for the output
 * filter to see whole). The proxy pipes every response about core Secrets through {@link SecretMaskingStream}.
 *
 * It rewrites the JSON as it streams, with bounded memory whatever the response size (a list of Helm release Secrets
 * runs to megabytes) and for any sequence of JSON documents (a watch is one event per line). The decision to mask a
 * string is made from the keys before it, so nothing is emitted before it is known to be safe:
 * - every string under a `data` member becomes {@link MASKED_DATA} (base64 of `<masked>`: typed clients such as
 *   `kubectl describe` still decode it), every string under `stringData` becomes `<masked>`; this covers a Secret, a
 *   SecretList's items, a Table's `rows[].object` and a watch event's `object`;
 * - `metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]` keeps its JSON shape with the
 *   manifest's `data`/`stringData` values masked the same way (so client-side `kubectl apply` still computes its
 *   patch), or becomes `<masked>` when it is not JSON or is too large.
 * Malformed JSON ends the stream with an error: the proxy then cuts the response instead of passing anything on.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { type Json, LAST_APPLIED, MASK, MASKED_DATA } from './masking.ts';

/** Annotations are at most 256 KiB in total (API server validation); past this a last-applied value is just masked. */
const MAX_ANNOTATION_BYTES = 512 * 1024;
/** Keys are buffered to be compared; a longer key matches nothing we look for. */
const MAX_KEY_BYTES = 1024;
const LONG_KEY = '\0long key';
const MAX_LITERAL_CHARS = 64;
const LITERAL = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

/** The last-applied manifest of a Secret with its values masked, as JSON; `<masked>` when it is not a JSON object. */
export function maskLastApplied(annotation: string): string {
  let manifest: Json;
  try {
    manifest = JSON.parse(annotation);
  } catch {
    return MASK;
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return MASK;
  for (const [key, placeholder] of [
    ['data', MASKED_DATA],
    ['stringData', MASK],
  ] as const) {
    const values = manifest[key];
    if (values === undefined || values === null) continue;
    if (typeof values !== 'object' || Array.isArray(values)) return MASK;
    for (const name of Object.keys(values)) values[name] = placeholder;
  }
  return `${JSON.stringify(manifest)}\n`;
}

interface Frame {
  container: 'object' | 'array';
  /** Objects: the current member's key (once read). */
  key: string | undefined;
  /** What may come next: a key, the colon, a value, or a comma / the end. */
  expect: 'key' | 'colon' | 'value' | 'next';
  /** A comma was just read (so the container may not close yet). */
  afterComma: boolean;
}

/** What the current string is: a key (kept and remembered), passed through, replaced, or a last-applied value. */
type StringRole = 'key' | 'pass' | 'data' | 'stringData' | 'annotation';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isLiteral = (b: number) =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x2b || b === 0x2d || b === 0x2e;

/** The rewriting itself, chunk by chunk: `write` returns what may be passed on so far. */
export class SecretMasker {
  private readonly stack: Frame[] = [];
  private mode: 'structure' | 'string' | 'literal' = 'structure';
  private role: StringRole = 'pass';
  private escaped = false;
  /** Raw bytes of the current key or last-applied string (quotes included), while it is being kept. */
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private overflow = false;
  /** The number, `true`, `false` or `null` being read. */
  private literal = '';

  /** @throws Error on malformed JSON (nothing of the bad part is returned). */
  write(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    const keeping = () => this.role === 'key' || this.role === 'annotation';
    const replacing = () => this.role !== 'key' && this.role !== 'pass';
    // Start of this chunk's bytes still to pass on; -1 while a replaced string is swallowed.
    let passFrom = this.mode === 'string' && replacing() ? -1 : 0;
    let keepFrom = 0; // start of the current string's bytes in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.mode === 'string') {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          if (keeping()) this.keep(chunk.subarray(keepFrom, i + 1));
          const replaced = replacing();
          this.endString(out);
          if (replaced) passFrom = i + 1;
        }
        continue;
      }
      if (this.mode === 'literal') {
        if (isLiteral(b)) {
          if (this.literal.length < MAX_LITERAL_CHARS) this.literal += String.fromCharCode(b);
          else this.fail('an overlong literal');
          continue;
        }
        this.endLiteral();
      }
      if (isSpace(b)) continue;
      const top = this.stack[this.stack.length - 1];
      const expect = top ? top.expect : 'value';
      if (b === QUOTE) {
        if (expect === 'key') this.role = 'key';
        else if (expect === 'value') this.role = this.valueRole();
        else this.fail('a string where none may stand');
        this.mode = 'string';
        this.escaped = false;
        this.kept = [];
        this.keptBytes = 0;
        this.overflow = false;
        keepFrom = i;
        if (replacing()) {
          if (passFrom >= 0 && i > passFrom) out.push(chunk.subarray(passFrom, i));
          passFrom = -1;
        }
        continue;
      }
      if (b === 0x3a /* : */) {
        if (expect !== 'colon') this.fail('a misplaced ":"');
        top!.expect = 'value';
        continue;
      }
      if (b === 0x2c /* , */) {
        if (expect !== 'next' || !top) this.fail('a misplaced ","');
        top.expect = top.container === 'object' ? 'key' : 'value';
        top.key = undefined;
        top.afterComma = true;
        continue;
      }
      if (b === 0x7b /* { */ || b === 0x5b /* [ */) {
        if (expect !== 'value') this.fail('a misplaced bracket');
        if (top) top.afterComma = false;
        this.stack.push({
          container: b === 0x7b ? 'object' : 'array',
          key: undefined,
          expect: b === 0x7b ? 'key' : 'value',
          afterComma: false,
        });
        continue;
      }
      if (b === 0x7d /* } */ || b === 0x5d /* ] */) {
        const container = b === 0x7d ? 'object' : 'array';
        // Closes after a member or element, or right after opening (`{}`, `[]`), never after a comma.
        const closable =
          top !== undefined &&
          top.container === container &&
          (expect === 'next' || (expect === (container === 'object' ? 'key' : 'value') && !top.afterComma));
        if (!closable) this.fail('a misplaced bracket');
        this.stack.pop();
        this.valueDone();
        continue;
      }
      if (isLiteral(b)) {
        if (expect !== 'value') this.fail('a misplaced value');
        if (top) top.afterComma = false;
        this.mode = 'literal';
        this.literal = String.fromCharCode(b);
        continue;
      }
      this.fail(`an unexpected byte 0x${b.toString(16)}`);
    }
    if (this.mode === 'string' && keeping()) this.keep(chunk.subarray(keepFrom));
    if (passFrom >= 0 && passFrom < chunk.length) out.push(chunk.subarray(passFrom));
    return out;
  }

  /** The body ended. @throws Error when it ended inside a value (a cut response). */
  end(): void {
    if (this.mode === 'literal') this.endLiteral();
    if (this.mode === 'string' || this.stack.length > 0) this.fail('the response ended inside a JSON value');
  }

  private endLiteral(): void {
    if (!LITERAL.test(this.literal)) this.fail('a malformed literal');
    this.mode = 'structure';
    this.valueDone();
  }

  private fail(what: string): never {
    throw new Error(`cannot mask the Secret response: ${what}`);
  }

  private keep(bytes: Buffer): void {
    if (this.overflow) return;
    const limit = this.role === 'key' ? MAX_KEY_BYTES : MAX_ANNOTATION_BYTES;
    if (this.keptBytes + bytes.length > limit) {
      this.overflow = true;
      this.kept = [];
      return;
    }
    this.kept.push(Buffer.from(bytes));
    this.keptBytes += bytes.length;
  }

  /** How a string value starting now is treated, from the keys that lead to it. */
  private valueRole(): StringRole {
    const s = this.stack;
    const n = s.length;
    if (n > 0) s[n - 1]!.afterComma = false;
    if (n >= 3 && s[n - 1]!.key === LAST_APPLIED && s[n - 2]!.key === 'annotations' && s[n - 3]!.key === 'metadata') return 'annotation';
    for (let i = n - 2; i >= 0; i--) {
      const key = s[i]!.key;
      if (key === 'data' || key === 'stringData') return key;
    }
    return 'pass';
  }

  private endString(out: Buffer[]): void {
    this.mode = 'structure';
    const raw = this.overflow ? undefined : Buffer.concat(this.kept).toString('utf8');
    this.kept = [];
    if (this.role === 'key') {
      const top = this.stack[this.stack.length - 1]!;
      try {
        top.key = raw === undefined ? LONG_KEY : (JSON.parse(raw) as string);
      } catch {
        this.fail('a malformed key');
      }
      top.expect = 'colon';
      top.afterComma = false;
      return;
    }
    if (this.role === 'data') out.push(Buffer.from(JSON.stringify(MASKED_DATA)));
    else if (this.role === 'stringData') out.push(Buffer.from(JSON.stringify(MASK)));
    else if (this.role === 'annotation') {
      let masked = MASK;
      try {
        if (raw !== undefined) masked = maskLastApplied(JSON.parse(raw) as string);
      } catch {
        masked = MASK;
      }
      out.push(Buffer.from(JSON.stringify(masked)));
    }
    this.valueDone();
  }

  /** A value ended: its container now expects a comma or its end (at the top level: the next document). */
  private valueDone(): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.expect = 'next';
  }
}

/** {@link SecretMasker} as a stream, for piping a response through. */
export class SecretMaskingStream extends Transform {
  private readonly masker = new SecretMasker();

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      for (const piece of this.masker.write(chunk)) this.push(piece);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.masker.end();
      done();
    } catch (error) {
      done(error as Error);
    }
  }
}

/** Mask a whole Secret response at once (the same rewriting as the stream). @throws Error on malformed JSON */
export function maskSecretResponse(body: string): string {
  const masker = new SecretMasker();
  const out = masker.write(Buffer.from(body));
  masker.end();
  return Buffer.concat(out).toString('utf8');
}
