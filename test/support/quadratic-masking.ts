/**
 * The masking of kubectl output as it was before it was made linear (src/kubectl/output-filter.ts at 9f5f573),
 * unchanged but for its name: the oracle that the linear masking is compared with, on a generated corpus, in
 * src/kubectl/output-filter.linear.test.ts. Its decisions are right; it took time quadratic in the output (a
 * `data:` line looked at every line after it) and threw on a carriage return or deeply nested JSON. Not used by the
 * server.
 */
import { MASK, MASKED_DATA } from '../../src/kubectl/masking.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = any;

function maskJson(value: Json): void {
  if (Array.isArray(value)) {
    for (const v of value) maskJson(v);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
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
  for (const v of Object.values(value)) maskJson(v);
}

interface Line {
  text: string;
  /** Column where the key starts (after any `- ` list markers). */
  indent: number;
  /** The line opens a list item (`- key: ...`). */
  item: boolean;
  content: string;
}

function analyse(text: string): Line {
  const m = /^(\s*)((?:- +)*)(.*)$/.exec(text)!;
  return { text, indent: m[1]!.length + m[2]!.length, item: m[2]!.length > 0, content: m[3]! };
}

/**
 * Is the YAML object holding line `at` (a key at indent I) a Secret? Looks at its sibling keys. When the text was
 * `cut` and the object runs to its end without a `kind:` line, it may be one: treated as a Secret.
 */
function isSecretObject(lines: Line[], at: number, cut: boolean): boolean {
  const indent = lines[at]!.indent;
  let start = at;
  while (start > 0 && !lines[start]!.item) {
    const prev = lines[start - 1]!;
    if (prev.content !== '' && prev.indent < indent) break;
    if (prev.item && prev.indent < indent) break;
    start--;
  }
  let kind: string | undefined;
  for (let i = start; i < lines.length; i++) {
    const l = lines[i]!;
    if (i > start && l.content !== '' && (l.indent < indent || (l.item && l.indent === indent))) return kind === 'Secret';
    const m = l.indent === indent ? /^kind: *["']?([^"'\s]*)["']?\s*$/.exec(l.content) : null;
    if (m) kind = m[1];
  }
  return kind === 'Secret' || (kind === undefined && cut);
}

/** The same for kubectl's JSON (4-space indent, one member per line) when it no longer parses (cut). */
function isSecretJsonObject(lines: string[], at: number, cut: boolean): boolean {
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const indent = indentOf(lines[at]!);
  const kindAt = (line: string) => (indentOf(line) === indent ? /^\s*"kind":\s*"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] : undefined);
  for (let i = at - 1; i >= 0 && lines[i]!.trim() !== '' && indentOf(lines[i]!) >= indent; i--) {
    const kind = kindAt(lines[i]!);
    if (kind !== undefined) return kind === 'Secret';
  }
  for (let i = at + 1; i < lines.length; i++) {
    if (lines[i]!.trim() !== '' && indentOf(lines[i]!) < indent) return false;
    const kind = kindAt(lines[i]!);
    if (kind !== undefined) return kind === 'Secret';
  }
  return cut;
}

/** Cut JSON: mask `data`/`stringData` members of Secrets (values cut short included) and last-applied annotations. */
function maskCutJson(text: string, cut: boolean): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = /^(\s*)"(?:data|stringData)":\s*\{\s*$/.exec(line);
    if (!open || !isSecretJsonObject(lines, i, cut)) {
      out.push(line);
      continue;
    }
    out.push(line);
    const indent = open[1]!.length;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const child = lines[j]!;
      if (child.trim() !== '' && child.length - child.trimStart().length <= indent) break;
      const member = /^(\s*"(?:[^"\\]|\\.)*":\s*)/.exec(child);
      out.push(member ? `${member[1]}"${MASK}"${/,\s*$/.test(child) ? ',' : ''}` : `${' '.repeat(indent + 4)}"${MASK}"`);
    }
    i = j - 1;
  }
  return out.join('\n').replace(/("kubectl\.kubernetes\.io\/last-applied-configuration":\s*)"(?:[^"\\\n]|\\.)*"?/g, `$1"${MASK}"`);
}

function maskYamlLike(text: string, cut: boolean): string {
  const lines = text.split('\n').map(analyse);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const blockEnd = (from: number): number => {
      let j = from;
      while (j < lines.length && lines[j]!.content !== '' && lines[j]!.indent > line.indent) j++;
      return j;
    };
    // managedFields: drop the key and its block ("- " items count as deeper: their keys sit 2 columns in).
    if (/^managedFields:\s*$/.test(line.content)) {
      i = blockEnd(i + 1) - 1;
      continue;
    }
    // last-applied-configuration (YAML key or describe's Annotations line): mask, drop the value's lines.
    const la = line.text.indexOf(`${LAST_APPLIED}:`);
    if (la >= 0) {
      out.push(`${line.text.slice(0, la + LAST_APPLIED.length + 1)} ${MASK}`);
      i = blockEnd(i + 1) - 1;
      continue;
    }
    // Secret data / stringData: keep the keys, mask the values.
    if (/^(data|stringData):\s*$/.test(line.content) && isSecretObject(lines, i, cut)) {
      out.push(line.text);
      let j = i + 1;
      let childIndent = -1;
      while (j < lines.length && lines[j]!.indent > line.indent && lines[j]!.content !== '') {
        const child = lines[j]!;
        if (childIndent < 0) childIndent = child.indent;
        if (child.indent === childIndent) {
          const key = /^("[^"]*"|'[^']*'|[^:]+):/.exec(child.content);
          out.push(`${' '.repeat(child.indent)}${key ? key[1] : child.content}: ${MASK}`);
        }
        j++;
      }
      i = j - 1;
      continue;
    }
    out.push(line.text);
  }
  return out.join('\n');
}

/** Credential patterns masked anywhere in the output. */
const PATTERNS: Array<[RegExp, string | ((...m: string[]) => string)]> = [
  // kubeconfig credentials and token fields (YAML and JSON)
  [
    /(?<=^|[\s"{,])((?:client-key-data|client-certificate-data|token|id-token|refresh-token|access-token|password)"?\s*:\s*)(?!\d+ bytes\b)("?)[^\s"]+\2/gim,
    (_m, key, q) => `${key}${q}${MASK}${q}`,
  ],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${MASK}`],
  // JWTs (service-account tokens)
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, MASK],
  // Alibaba Cloud AccessKey ids and STS security tokens
  [/\bLTAI[A-Za-z0-9]{8,}/g, `LTAI${MASK}`],
  [/\bSTS\.[A-Za-z0-9]{16,}/g, `STS.${MASK}`],
  [/\bCAIS[A-Za-z0-9+/=_-]{20,}/g, `CAIS${MASK}`],
  // named secrets in key/value form: AccessKeySecret, ALIBABA_CLOUD_ACCESS_KEY_SECRET, SecurityToken
  [
    /(?<=^|[\s"{,])((?:alibaba[_-]cloud[_-])?(?:access[_-]?key[_-]?secret|security[_-]?token)"?\s*[:=]\s*)("?)[^\s"]+\2/gim,
    (_m, key, q) => `${key}${q}${MASK}${q}`,
  ],
];

/**
 * Mask what kubectl output must never show: Secret `data`/`stringData` values, the last-applied-configuration
 * annotation (it holds the plaintext of applied Secrets), `managedFields` (stripped: noise), AccessKey ids
 * (`LTAI…`), STS tokens, kubeconfig `client-key-data`/`client-certificate-data`/`token` values, bearer tokens, JWTs.
 * @param options.cut the text is the start of a longer output (then an object's kind may be missing: see above)
 * @example maskKubectlOutput(stdout) // "data:\n  password: <masked>\n..."
 */
export function quadraticMaskKubectlOutput(text: string, options: { cut?: boolean } = {}): string {
  const cut = options.cut ?? false;
  let masked: string;
  const trimmed = text.trimStart();
  let parsed: Json;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed !== undefined) {
    maskJson(parsed);
    masked = `${JSON.stringify(parsed, null, 4)}${text.endsWith('\n') ? '\n' : ''}`;
  } else {
    masked = maskYamlLike(text, cut);
    // Cut or streamed JSON: mask Secret data blocks and last-applied annotations line by line.
    masked = maskCutJson(masked, cut);
    masked = masked.replace(/("managedFields":\s*)\[[\s\S]*?\n(\s*)\](,?)/g, '');
  }
  for (const [pattern, replacement] of PATTERNS) masked = masked.replace(pattern, replacement as string);
  // What the proxy put in place of a Secret data value (e.g. `-o jsonpath={.data.x}`) reads as what it is.
  return masked.replaceAll(MASKED_DATA, MASK);
}
