/**
 * The policy the loopback proxy enforces on every REST request kubectl makes (docs/kubectl-safety.md,
 * "kubectl that holds no credentials"). Pure, no I/O. It judges the request the API server would see, so a flag
 * trick that slips past the argument rules still cannot do more than the mode allows:
 * - read-only: GET and HEAD, plus the POSTs of the self access reviews kubectl needs (`auth can-i`, `auth whoami`);
 * - Secrets (any verb, list and watch included) only when the deployment allows them, and never over an upgraded
 *   connection (the proxy masks their values in plain responses only);
 * - the `exec`, `attach`, `portforward` and `proxy` subresources only in read-write mode with exec allowed;
 * - service-account token requests never (they mint credentials);
 * - unless privileged workloads are allowed, a write (POST, PUT, PATCH) to a resource that holds a pod spec is marked
 *   for admission (the proxy checks its body against the Pod Security Standards baseline profile, pod-admission.ts)
 *   and writes to the `ephemeralcontainers` subresource are refused.
 *
 * The request target is parsed once, here: it must be an origin-form path (and query) that a URL parser leaves exactly
 * as it is, with no `#`. The proxy then forwards that very string, so what was judged is what the API server gets (a
 * `#` or a dot segment can no longer make the check and the forwarded request disagree). Paths are decoded segment by
 * segment the way the API server decodes them (`%73ecrets` is `secrets`); a path that does not decode to plain
 * segments is refused rather than guessed at.
 */
import type { KubectlMode } from './command-policy.ts';
import { EPHEMERAL_REFUSAL_MESSAGE } from './pod-admission.ts';
import { podShapeOf, type PodShape } from './pod-security.ts';

export interface RestPolicy {
  mode: KubectlMode;
  allowSecrets: boolean;
  allowExec: boolean;
  /** Let writes create privileged pods (`KUBECTL_ALLOW_PRIVILEGED`); unset or false: baseline is enforced. */
  allowPrivileged?: boolean;
}

export type RestRule = 'path' | 'mode' | 'secret' | 'exec' | 'credential' | 'admission';

export interface RestRefusal {
  ok: false;
  rule: RestRule;
  status: 400 | 403;
  reason: 'BadRequest' | 'Forbidden';
  /** Written for the agent: kubectl prints it as `Error from server (Forbidden): <message>`. */
  message: string;
}

/** A request the policy allows, with what to forward. */
export interface RestAllowed {
  ok: true;
  /** Path and query exactly as judged: forward this string and nothing else. */
  path: string;
  /** The path without the query (for the audit line). */
  pathname: string;
  /** It reads or writes core Secrets: the response must be masked before kubectl sees it. */
  secrets: boolean;
  /** It creates or changes a pod or pod template: its body must pass baseline admission before it is forwarded. */
  admission?: PodShape;
}

/** The parts of an API path that matter to the policy. */
export interface RestTarget {
  group: string;
  resource: string;
  subresource: string;
}

const SELF_REVIEWS = [
  /^\/apis\/authorization\.k8s\.io\/v1(?:beta1)?\/selfsubject(?:access|rules)reviews$/,
  /^\/apis\/authentication\.k8s\.io\/v1(?:alpha1|beta1)?\/selfsubjectreviews$/,
];
const STREAMING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);
const WHO = "the MCP server's kubectl policy";

function refused(rule: RestRule, message: string): RestRefusal {
  return rule === 'path'
    ? { ok: false, rule, status: 400, reason: 'BadRequest', message: `${WHO} refused a request path: ${message}` }
    : { ok: false, rule, status: 403, reason: 'Forbidden', message: `${WHO} refused this request: ${message}` };
}

/**
 * The request target as the proxy judges and forwards it: an origin-form path and query that the WHATWG URL parser
 * leaves unchanged. Refuses a `#` (a parser drops what follows, the API server never sees it) and anything the parser
 * would rewrite (dot segments, backslashes, unescaped characters, `//host` forms).
 */
export function parseRequestTarget(url: string): { ok: true; pathname: string; search: string } | RestRefusal {
  if (!url.startsWith('/') || url.startsWith('//')) return refused('path', 'only origin-form paths are proxied.');
  if (url.includes('#')) return refused('path', 'a "#" has no place in an API request.');
  let parsed: URL;
  try {
    parsed = new URL(url, 'https://api-server.invalid');
  } catch {
    return refused('path', 'it is not a valid URL path.');
  }
  if (parsed.pathname + parsed.search !== url) {
    return refused('path', 'it is not in canonical form (dot segments, backslashes or unescaped characters).');
  }
  return { ok: true, pathname: parsed.pathname, search: parsed.search };
}

/** Decoded path segments, or a refusal when the path is not a plain origin-form path. */
export function decodeSegments(pathname: string): string[] | RestRefusal {
  if (!pathname.startsWith('/')) return refused('path', 'only origin-form paths are proxied.');
  const raw = pathname.split('/').slice(1);
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  const segments: string[] = [];
  for (const part of raw) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return refused('path', 'it is not valid percent-encoding.');
    }
    if (decoded === '' && raw.length > 1) return refused('path', 'empty path segments are not allowed.');
    if (decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded))
      return refused('path', 'dot segments and encoded separators are not allowed.');
    segments.push(decoded);
  }
  return segments;
}

/** Where a decoded path points in the resource space; undefined outside /api and /apis (discovery, /version, /openapi). */
export function restTarget(segments: string[]): RestTarget | undefined {
  let rest: string[];
  let group = '';
  if (segments[0] === 'api' && segments.length >= 2) rest = segments.slice(2);
  else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1]!.toLowerCase();
    rest = segments.slice(3);
  } else return undefined;
  rest = rest.map((s) => s.toLowerCase());
  if (rest[0] === 'watch' || rest[0] === 'proxy') {
    // Legacy forms: /api/v1/watch/..., /api/v1/proxy/... (the latter is the proxy verb itself).
    if (rest[0] === 'proxy') return { group, resource: 'proxy', subresource: 'proxy' };
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  return { group, resource: rest[0] ?? '', subresource: rest[2] ?? '' };
}

/**
 * Judge one request. `url` is the request target as received (path and query); `upgrade` when the client asks to
 * upgrade the connection (WebSocket, SPDY).
 * @returns what to forward when allowed, else the refusal to answer with.
 * @example checkRestRequest('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { mode: 'read-only', allowSecrets: false, allowExec: false })
 *   // → { ok: false, rule: 'mode', status: 403, ... }
 */
export function checkRestRequest(
  method: string,
  url: string,
  policy: RestPolicy,
  options: { upgrade?: boolean } = {},
): RestAllowed | RestRefusal {
  const verb = method.toUpperCase();
  const parsed = parseRequestTarget(url);
  if (!parsed.ok) return parsed;
  const { pathname } = parsed;
  const segments = decodeSegments(pathname);
  if (!Array.isArray(segments)) return segments;
  const target = restTarget(segments);
  const core = target?.group === '';

  if (target && STREAMING_SUBRESOURCES.has(target.subresource)) {
    if (!(policy.allowExec && policy.mode === 'read-write')) {
      return refused(
        'exec',
        `the ${target.subresource} subresource (exec, attach, port-forward and proxy) is disabled on this server. Use logs, describe and events to inspect workloads.`,
      );
    }
  }
  const secrets = target !== undefined && core && target.resource === 'secrets';
  if (secrets && !policy.allowSecrets) {
    return refused(
      'secret',
      'Secrets are not readable through this server (the operator has not set KUBECTL_ALLOW_SECRETS). Inspect the workloads that use a Secret instead: `describe pod` shows which Secrets are mounted.',
    );
  }
  if (secrets && options.upgrade) {
    return refused(
      'secret',
      'Secrets are only served as plain responses, whose values this server masks; upgraded connections (WebSocket watches) on Secrets are refused. Use `get secrets` without --watch.',
    );
  }
  if (target && core && target.resource === 'serviceaccounts' && target.subresource === 'token') {
    return refused('credential', 'service-account tokens cannot be requested through this server.');
  }
  const write = verb === 'POST' || verb === 'PUT' || verb === 'PATCH';
  if (policy.mode === 'read-only' && verb !== 'GET' && verb !== 'HEAD') {
    const selfReview = verb === 'POST' && SELF_REVIEWS.some((pattern) => pattern.test(`/${segments.join('/')}`));
    if (!selfReview) {
      return refused(
        'mode',
        `${verb} changes the cluster and this server (or token) runs kubectl read-only. Use get, describe, logs or events; writes need a read-write deployment.`,
      );
    }
  }
  if (target && core && target.resource === 'pods' && target.subresource === 'ephemeralcontainers' && write && !policy.allowPrivileged) {
    return { ok: false, rule: 'admission', status: 403, reason: 'Forbidden', message: EPHEMERAL_REFUSAL_MESSAGE };
  }
  const shape =
    target && write && target.subresource === '' && !policy.allowPrivileged ? podShapeOf(target.group, target.resource) : undefined;
  return { ok: true, path: url, pathname, secrets, ...(shape ? { admission: shape } : {}) };
}

/** A Kubernetes `Status` body for a refusal (what kubectl knows how to print). */
export function statusBody(refusal: { status: number; reason: string; message: string }): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: refusal.message,
    reason: refusal.reason,
    code: refusal.status,
  });
}
