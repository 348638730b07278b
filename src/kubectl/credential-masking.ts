/**
 * Credentials masked anywhere in kubectl's output, whatever printed them: kubeconfig keys and tokens, bearer tokens,
 * JWTs (service-account tokens), Alibaba Cloud AccessKey ids, STS tokens and named secrets. Linear in the text.
 */
import { MASK } from './masking.ts';

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

const replacing =
  (pattern: RegExp, replacement: string | ((...m: string[]) => string)) =>
  (text: string): string =>
    text.replace(pattern, replacement as string);

/** Credential patterns masked anywhere in the output, in this order. */
const CREDENTIALS: Array<(text: string) => string> = [
  // kubeconfig credentials and token fields (YAML and JSON)
  replacing(
    /(?<=^|[\s"{,])((?:client-key-data|client-certificate-data|token|id-token|refresh-token|access-token|password)"?\s*:\s*)(?!\d+ bytes\b)("?)[^\s"]+\2/gim,
    (_m, key, q) => `${key}${q}${MASK}${q}`,
  ),
  replacing(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${MASK}`),
  maskJwts,
  // Alibaba Cloud AccessKey ids and STS security tokens
  replacing(/\bLTAI[A-Za-z0-9]{8,}/g, `LTAI${MASK}`),
  replacing(/\bSTS\.[A-Za-z0-9]{16,}/g, `STS.${MASK}`),
  replacing(/\bCAIS[A-Za-z0-9+/=_-]{20,}/g, `CAIS${MASK}`),
  // named secrets in key/value form: AccessKeySecret, ALIBABA_CLOUD_ACCESS_KEY_SECRET, SecurityToken
  replacing(
    /(?<=^|[\s"{,])((?:alibaba[_-]cloud[_-])?(?:access[_-]?key[_-]?secret|security[_-]?token)"?\s*[:=]\s*)("?)[^\s"]+\2/gim,
    (_m, key, q) => `${key}${q}${MASK}${q}`,
  ),
];

/** `text` with every credential pattern masked. */
export function maskCredentials(text: string): string {
  let masked = text;
  for (const mask of CREDENTIALS) masked = mask(masked);
  return masked;
}
