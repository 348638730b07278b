/**
 * Admission of a write that creates or changes a pod or pod template (docs/kubectl-safety.md, rule 10): the loopback
 * proxy reads the request body kubectl sends (bounded), works out what it sets in the pod spec and checks that against
 * the baseline profile (pod-security.ts) before anything is forwarded. Bodies, by content type:
 * - create (POST) and replace (PUT): the whole object;
 * - strategic-merge and merge patches: a partial object, checked field by field (what the patch leaves out stays as
 *   it is; `$patch`/`$setElementOrder` directives set nothing);
 * - JSON patch: each `add`/`replace` checked as the sparse object its path and value describe; a `move` or `copy`
 *   into (or out of) the pod's spec or metadata is refused, since the value it would place is not in the request;
 * - server-side apply (`application/apply-patch+yaml`): the applied configuration.
 * Bodies are read as JSON, which is what kubectl sends. Anything else (YAML that is not JSON, protobuf, CBOR, a
 * compressed or unreadable body) is refused: what cannot be read is not forwarded.
 */
import type { IncomingMessage } from 'node:http';
import { baselineViolations, podSpecPath, type PodShape, type Violation } from './pod-security.ts';

/** The API server's own limit on a request body (3 MiB). */
export const MAX_ADMISSION_BODY_BYTES = 3 * 1024 * 1024;

export interface AdmissionRefusal {
  ok: false;
  status: 400 | 403 | 413 | 415;
  reason: 'BadRequest' | 'Forbidden' | 'RequestEntityTooLarge' | 'UnsupportedMediaType';
  message: string;
  /** The fields refused (403 only). */
  violations: Violation[];
}

const WHO = "the MCP server's kubectl policy";
const SETTING = 'KUBECTL_ALLOW_PRIVILEGED=true';

function unreadable(status: AdmissionRefusal['status'], reason: AdmissionRefusal['reason'], why: string): AdmissionRefusal {
  return { ok: false, status, reason, message: `${WHO} refused this pod write: ${why} Nothing was sent to the cluster.`, violations: [] };
}

/** The refusal of fields baseline forbids: names each field (the first few), its control, and the setting. */
export function baselineRefusal(violations: Violation[]): AdmissionRefusal {
  const shown = violations.slice(0, 5).map((v) => `${v.path}=${v.value} (${v.control})`);
  const more = violations.length > shown.length ? ` and ${violations.length - shown.length} more` : '';
  return {
    ok: false,
    status: 403,
    reason: 'Forbidden',
    message:
      `${WHO} refused this request: ${shown.join('; ')}${more} ${violations.length === 1 ? 'is' : 'are'} not allowed by the Kubernetes Pod Security ` +
      `Standards "baseline" profile, which this server enforces on every pod and pod template it creates or changes. ` +
      `Remove ${violations.length === 1 ? 'that field' : 'those fields'}; an operator can allow privileged workloads with ${SETTING}.`,
    violations,
  };
}

/** The ephemeral-containers subresource (`kubectl debug`, `--subresource=ephemeralcontainers`) under baseline. */
export const EPHEMERAL_REFUSAL_MESSAGE =
  `${WHO} refused this request: adding ephemeral containers to a running pod (the ephemeralcontainers subresource) is ` +
  `not allowed while the Kubernetes Pod Security Standards "baseline" profile is enforced; an operator can allow it with ${SETTING}. ` +
  'Use logs, describe and events to inspect the pod.';

function mediaType(contentType: string | undefined): string {
  return String(contentType ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}

/**
 * The body as JSON, which is what kubectl sends for every write (server-side apply included, under its YAML media
 * type: JSON is YAML). A body that is YAML but not JSON is refused rather than parsed: a YAML parser takes hundreds of
 * milliseconds for tens of KiB, time the event loop cannot give, and no kubectl sends one.
 */
function parseDocument(text: string, yaml: boolean): { value: unknown } | AdmissionRefusal {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return yaml
      ? unreadable(
          415,
          'UnsupportedMediaType',
          'only JSON bodies are read (kubectl sends JSON, also for server-side apply); this one is YAML or not valid.',
        )
      : unreadable(400, 'BadRequest', 'the body is not valid JSON.');
  }
}

/** RFC 6901 pointer → keys. */
function pointerKeys(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The sparse object a value at `keys` makes (list indexes become object keys; pod-security reads both). */
function sparse(keys: string[], value: unknown): unknown {
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

const overlaps = (a: readonly string[], b: readonly string[]) =>
  a.slice(0, b.length).every((key, i) => key === b[i]) || b.slice(0, a.length).every((key, i) => key === a[i]);

/** What a JSON patch sets, one sparse object per operation; a refusal for what cannot be checked. */
function jsonPatchObjects(ops: unknown, shape: PodShape): unknown[] | AdmissionRefusal {
  if (!Array.isArray(ops)) return unreadable(400, 'BadRequest', 'a JSON patch must be a list of operations.');
  const podKeys = podSpecPath(shape).slice(0, -1); // the pod (or template) object: its spec and metadata
  const objects: unknown[] = [];
  for (const op of ops) {
    const fields = (typeof op === 'object' && op !== null ? op : {}) as Record<string, unknown>;
    const keys = typeof fields.path === 'string' ? pointerKeys(fields.path) : undefined;
    if (!keys) return unreadable(400, 'BadRequest', 'a JSON-patch operation has no valid "path".');
    switch (fields.op) {
      case 'add':
      case 'replace':
        objects.push(sparse(keys, fields.value));
        break;
      case 'remove':
      case 'test':
        break;
      case 'move':
      case 'copy': {
        const from = typeof fields.from === 'string' ? pointerKeys(fields.from) : undefined;
        if (!from || overlaps(keys, podKeys) || overlaps(from, podKeys)) {
          return unreadable(
            403,
            'Forbidden',
            `a JSON-patch "${fields.op}" into or out of a pod spec cannot be checked against the Pod Security Standards; use "add" or "replace" with the value.`,
          );
        }
        break;
      }
      default:
        return unreadable(400, 'BadRequest', `"${String(fields.op).slice(0, 20)}" is not a JSON-patch operation.`);
    }
  }
  return objects;
}

/**
 * Judge a write to a resource of `shape` from its body.
 * @returns `{ ok: true }` when baseline allows everything it sets, else the refusal to answer with.
 */
export function judgePodWrite(
  method: string,
  headers: { 'content-type'?: string; 'content-encoding'?: string },
  body: Buffer,
  shape: PodShape,
): { ok: true } | AdmissionRefusal {
  const encoding = String(headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity') return unreadable(415, 'UnsupportedMediaType', `a ${encoding}-encoded body cannot be checked.`);
  const type = mediaType(headers['content-type']);
  const patch = method.toUpperCase() === 'PATCH';
  const readable = patch
    ? [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
        'application/apply-patch+yaml',
      ]
    : ['application/json', 'application/yaml'];
  if (!readable.includes(type))
    return unreadable(
      415,
      'UnsupportedMediaType',
      `a body of type "${type.slice(0, 60) || 'none'}" cannot be checked (${readable.join(', ')} can).`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return unreadable(400, 'BadRequest', 'the body is not valid UTF-8.');
  }
  const parsed = parseDocument(text, type.endsWith('yaml'));
  if ('ok' in parsed) return parsed;
  const objects = type === 'application/json-patch+json' ? jsonPatchObjects(parsed.value, shape) : [parsed.value];
  if (!Array.isArray(objects)) return objects;
  const violations = objects.flatMap((object) => baselineViolations(object, shape));
  return violations.length ? baselineRefusal(violations) : { ok: true };
}

/**
 * Read a request body up to `limit` bytes. `done(body)` once it ended; `done(undefined)` as soon as it passes the
 * limit (the rest is drained, not kept). A request that errors or is cut never calls `done` (its own handlers end it).
 */
export function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    done(undefined);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > limit) {
      over = true;
      chunks.length = 0;
      done(undefined);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!over) done(Buffer.concat(chunks));
  });
}
