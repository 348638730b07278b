/**
 * Bounding and masking kubectl output (rule 8 of shared/docs/kubectl-safety.md). Pure, no I/O.
 *
 * This is the second layer: the proxy already masked Secret values in the API server's answers (secret-masking.ts).
 * Masking works on text so that it also applies to cut or non-JSON output: JSON that parses is masked structurally
 * (and re-printed with kubectl's 4-space indent); YAML, cut JSON and everything else line by line (line-masking.ts).
 * Output that was cut may have lost the `kind:` line that tells a Secret's `data` from a ConfigMap's (kubectl prints
 * `data` before `kind`): then a `data` block whose object's kind is not in the text is masked too. Every step is
 * linear in the output (any text can come out of a go-template), and none throws.
 */
import { dropJsonManagedFields, MASK, maskCutJson, maskYamlLike } from './line-masking.ts';

export { MASK };
/** What a masked Secret `data` value is replaced with upstream (base64 of {@link MASK}, so typed clients decode it). */
export const MASKED_DATA = Buffer.from(MASK).toString('base64');

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Deeper JSON is masked line by line: re-printing it whole would recurse that deep (no Kubernetes object does). */
const MAX_JSON_DEPTH = 1000;

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any shape, walked by the masker
type Json = any;

/** Mask parsed JSON in place, without recursion; false when it nests deeper than {@link MAX_JSON_DEPTH}. */
function maskJson(root: Json): boolean {
  const pending: Array<[Json, number]> = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (depth > MAX_JSON_DEPTH) return false;
    if (!Array.isArray(value)) {
      if (value.kind === 'Secret') {
        for (const key of ['data', 'stringData']) {
          if (value[key] && typeof value[key] === 'object') for (const k of Object.keys(value[key])) value[key][k] = MASK;
        }
      }
      const meta = value.metadata;
      if (meta && typeof meta === 'object') {
        delete meta.managedFields;
        if (meta.annotations && LAST_APPLIED in meta.annotations) meta.annotations[LAST_APPLIED] = MASK;
      }
    }
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return true;
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/y;
const TOKEN_RUN = /[A-Za-z0-9_-]*/y;

/**
 * JWTs (service-account tokens): `eyJ` at a word boundary, then three dot-separated parts. A start that fails skips
 * the rest of its run of token characters (any later start in it fails the same way), so each is read once.
 */
function maskJwts(text: string): string {
  const starts = /\beyJ/g;
  let out = '';
  let kept = 0;
  for (let start = starts.exec(text); start; start = starts.exec(text)) {
    JWT.lastIndex = start.index;
    const jwt = JWT.exec(text);
    if (jwt) {
      out += `${text.slice(kept, start.index)}${MASK}`;
      kept = JWT.lastIndex;
      starts.lastIndex = kept;
      continue;
    }
    TOKEN_RUN.lastIndex = start.index;
    TOKEN_RUN.exec(text);
    starts.lastIndex = TOKEN_RUN.lastIndex;
  }
  return out + text.slice(kept);
}

const replacing = (pattern: RegExp, replacement: string | ((...m: string[]) => string)) => (text: string): string => text.replace(pattern, replacement as string);

/** Credential patterns masked anywhere in the output, in this order. */
const CREDENTIALS: Array<(text: string) => string> = [
  // kubeconfig credentials and token fields (YAML and JSON)
  replacing(/(?<=^|[\s"{,])((?:client-key-data|client-certificate-data|token|id-token|refresh-token|access-token|password)"?\s*:\s*)(?!\d+ bytes\b)("?)[^\s"]+\2/gim, (_m, key, q) => `${key}${q}${MASK}${q}`),
  replacing(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${MASK}`),
  maskJwts,
  // Alibaba Cloud AccessKey ids and STS security tokens
  replacing(/\bLTAI[A-Za-z0-9]{8,}/g, `LTAI${MASK}`),
  replacing(/\bSTS\.[A-Za-z0-9]{16,}/g, `STS.${MASK}`),
  replacing(/\bCAIS[A-Za-z0-9+/=_-]{20,}/g, `CAIS${MASK}`),
  // named secrets in key/value form: AccessKeySecret, ALIBABA_CLOUD_ACCESS_KEY_SECRET, SecurityToken
  replacing(/(?<=^|[\s"{,])((?:alibaba[_-]cloud[_-])?(?:access[_-]?key[_-]?secret|security[_-]?token)"?\s*[:=]\s*)("?)[^\s"]+\2/gim, (_m, key, q) => `${key}${q}${MASK}${q}`),
];

/** Whether brackets outside strings nest deeper than `limit` (checked before parsing: parsing them all costs). */
function nestsDeeper(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

/** JSON that parses (and is not too deep), masked and re-printed the way kubectl prints it; else undefined. */
function maskWholeJson(text: string): string | undefined {
  const trimmed = text.trimStart();
  if ((!trimmed.startsWith('{') && !trimmed.startsWith('[')) || nestsDeeper(trimmed, MAX_JSON_DEPTH)) return undefined;
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!maskJson(parsed)) return undefined;
  try {
    return `${JSON.stringify(parsed, null, 4)}${text.endsWith('\n') ? '\n' : ''}`;
  } catch {
    return undefined; // the stack ran out re-printing it after all
  }
}

/**
 * Mask what kubectl output must never show: Secret `data`/`stringData` values, the last-applied-configuration
 * annotation (it holds the plaintext of applied Secrets), `managedFields` (stripped: noise), AccessKey ids
 * (`LTAI…`), STS tokens, kubeconfig `client-key-data`/`client-certificate-data`/`token` values, bearer tokens, JWTs.
 * @param options.cut the text is the start of a longer output (then an object's kind may be missing: see above)
 * @example maskKubectlOutput(stdout) // "data:\n  password: <masked>\n..."
 */
export function maskKubectlOutput(text: string, options: { cut?: boolean } = {}): string {
  const cut = options.cut ?? false;
  let masked = maskWholeJson(text) ?? dropJsonManagedFields(maskCutJson(maskYamlLike(text, cut), cut));
  for (const mask of CREDENTIALS) masked = mask(masked);
  // What the proxy put in place of a Secret data value (e.g. `-o jsonpath={.data.x}`) reads as what it is.
  return masked.replaceAll(MASKED_DATA, MASK);
}

/** Collects a stream up to `limit` bytes and counts what it had to drop. */
export class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private droppedBytes = 0;

  /** @param limit maximum bytes kept (e.g. 256 KiB); later bytes are only counted. */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const room = this.limit - this.kept;
    if (room >= buf.length) {
      this.chunks.push(buf);
      this.kept += buf.length;
      return;
    }
    if (room > 0) {
      this.chunks.push(buf.subarray(0, room));
      this.kept += room;
    }
    this.droppedBytes += buf.length - Math.max(room, 0);
  }

  /** Bytes kept. */
  get bytes(): number {
    return this.kept;
  }

  /** Bytes dropped because the limit was reached. */
  get dropped(): number {
    return this.droppedBytes;
  }

  get truncated(): boolean {
    return this.droppedBytes > 0;
  }

  /** The kept bytes as UTF-8, without a character split at the cut (its bytes count as dropped in `dropped`). */
  toString(): string {
    const all = Buffer.concat(this.chunks, this.kept);
    let end = all.length;
    if (this.truncated) {
      // Step back over an incomplete multi-byte sequence at the cut.
      let i = end - 1;
      while (i >= 0 && i > end - 4 && (all[i]! & 0xc0) === 0x80) i--;
      if (i >= 0) {
        const lead = all[i]!;
        const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        if (end - i < need) {
          this.droppedBytes += end - i;
          this.kept = i;
          end = i;
        }
      }
    }
    return all.subarray(0, end).toString('utf8');
  }
}

/** Default advice for narrowing a kubectl query. */
export const NARROWING_HINT =
  'Narrow the query: -l <label-selector>, --field-selector, -n <namespace> instead of -A, -o custom-columns=..., or --tail=<lines> / --since=<duration> for logs.';

/**
 * The line appended to cut output.
 * @example truncationMarker(12345, NARROWING_HINT) // "\n[output truncated: 12345 more bytes not shown. Narrow the query: ...]"
 */
export function truncationMarker(dropped: number, hint: string = NARROWING_HINT): string {
  return `\n[output truncated: ${dropped} more bytes not shown. ${hint}]\n`;
}
