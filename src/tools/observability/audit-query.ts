/**
 * The audit-log search, built from filter values that are hostile: each value is checked against an allow-list
 * of the characters its field can hold (so no quote, backslash, `|`, space or operator can reach the query), then
 * sent as a quoted phrase (`key: "value"`). A trailing `*` asks for a prefix: a prefix of letters, digits, `.`,
 * `_`, `-` is Log Service's own prefix search (`key: kube*`); one holding a delimiter (`system:*`) is searched as
 * the phrase of its whole tokens and then matched exactly here (`exactMatch`), so the answer is what was asked.
 * Keys are ACK's audit logstore keys (the official ACK MCP server's query: `user.username`, `objectRef.*`, `verb`).
 */
import { z } from 'zod';
import { ToolFailure } from '../../errors/tool-failure.ts';

export const AUDIT_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;

/** kubectl short names → resource names (those the official server maps). */
const SHORT_NAMES: Record<string, string> = {
  pod: 'pods',
  po: 'pods',
  deployment: 'deployments',
  deploy: 'deployments',
  service: 'services',
  svc: 'services',
  configmap: 'configmaps',
  cm: 'configmaps',
  secret: 'secrets',
  role: 'roles',
  rolebinding: 'rolebindings',
  clusterrole: 'clusterroles',
  clusterrolebinding: 'clusterrolebindings',
  node: 'nodes',
  no: 'nodes',
  namespace: 'namespaces',
  ns: 'namespaces',
  pv: 'persistentvolumes',
  pvc: 'persistentvolumeclaims',
  sa: 'serviceaccounts',
  rs: 'replicasets',
  ds: 'daemonsets',
  sts: 'statefulsets',
  ing: 'ingresses',
  ep: 'endpoints',
  cj: 'cronjobs',
  job: 'jobs',
  hpa: 'horizontalpodautoscalers',
  netpol: 'networkpolicies',
  crd: 'customresourcedefinitions',
  event: 'events',
  ev: 'events',
};

/** What each filter's values may contain; a trailing `*` (prefix) is allowed on user, namespace and resource_name. */
const FIELDS = {
  user: { key: 'user.username', chars: /^[A-Za-z0-9._:@/+=-]{1,253}$/, words: 'letters, digits and . _ : @ / + = -' },
  namespace: { key: 'objectRef.namespace', chars: /^[a-z0-9-]{1,63}$/, words: 'lowercase letters, digits and -' },
  resource_name: { key: 'objectRef.name', chars: /^[A-Za-z0-9._:-]{1,253}$/, words: 'letters, digits and . _ : -' },
} as const;
export type FilterName = keyof typeof FIELDS;

/**
 * A list argument as the official server takes it: an array, or a string holding a JSON array or comma-separated
 * words (read before validation, so the advertised schema stays a plain array of strings).
 */
export const listArg = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (!text.startsWith('[')) return text.split(',');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return value; // not a list: refused by the schema below
    }
  },
  z.array(z.string().max(100)).max(20),
);

/** Trimmed, lowercase, without duplicates or empty entries. */
export function parseList(values: string[] | undefined): string[] {
  return [...new Set((values ?? []).map((item) => item.trim().toLowerCase()).filter(Boolean))];
}

export function normaliseVerbs(verbs: string[]): string[] {
  for (const verb of verbs) {
    if (!(AUDIT_VERBS as readonly string[]).includes(verb)) {
      throw new ToolFailure('InvalidArguments', `verbs: "${verb.slice(0, 40)}" is not an API-server audit verb.`, {
        hint: `Use ${AUDIT_VERBS.join(', ')}. Nothing was sent.`,
      });
    }
  }
  return verbs;
}

export function normaliseResourceTypes(types: string[]): string[] {
  return types.map((type) => {
    const name = SHORT_NAMES[type] ?? type;
    if (!/^[a-z][a-z0-9.-]{0,62}(\/[a-z]{1,30})?$/.test(name)) {
      throw new ToolFailure('InvalidArguments', `resource_types: "${type.slice(0, 40)}" is not a Kubernetes resource name.`, {
        hint: 'Use plural resource names such as pods, deployments, secrets, pods/exec (or short names: po, deploy, svc, cm). Nothing was sent.',
      });
    }
    return name;
  });
}

export interface ValueFilter {
  field: FilterName;
  value: string;
  prefix: boolean;
}

/** Checks one filter value (`exact`, or `prefix*`) against its field's allow-list. */
export function valueFilter(field: FilterName, raw: string): ValueFilter {
  const spec = FIELDS[field];
  const prefix = raw.endsWith('*');
  const value = prefix ? raw.slice(0, -1) : raw;
  if (!spec.chars.test(value)) {
    throw new ToolFailure(
      'InvalidArguments',
      `${field} "${raw.slice(0, 60)}" may hold only ${spec.words}, with an optional trailing * for a prefix.`,
      {
        hint: 'Give an exact value (kubernetes-admin) or a prefix ending in * (system:serviceaccount:*). Nothing was sent.',
      },
    );
  }
  return { field, value, prefix };
}

export interface AuditFilters {
  values: ValueFilter[];
  verbs: string[];
  resourceTypes: string[];
}

/** Log Service's default token delimiters, minus those our allow-lists never let through. */
const DELIMITER = /[,'";=()[\]{}?@&<>/:\s]/;

/** The search: `*` and one clause per filter. */
export function auditSearch(filters: AuditFilters): string {
  const clauses = ['*'];
  for (const filter of filters.values) {
    const key = FIELDS[filter.field].key;
    if (!filter.prefix) clauses.push(`${key}: "${filter.value}"`);
    else if (!DELIMITER.test(filter.value)) clauses.push(`${key}: ${filter.value}*`);
    else {
      // Whole tokens only: "system:serviceaccount:" → "system:serviceaccount"; the exact prefix is checked in exactMatch.
      const whole = filter.value.replace(/[^,'";=()[\]{}?@&<>/:\s]*$/, '').replace(/[,'";=()[\]{}?@&<>/:\s]+$/, '');
      if (whole) clauses.push(`${key}: "${whole}"`);
    }
  }
  if (filters.verbs.length) clauses.push(`(${filters.verbs.map((verb) => `verb: "${verb}"`).join(' or ')})`);
  if (filters.resourceTypes.length) clauses.push(`(${filters.resourceTypes.map((type) => `objectRef.resource: "${type}"`).join(' or ')})`);
  return clauses.join(' and ');
}

/** True when a row matches every filter exactly (the search matches tokens; this makes prefixes and phrases exact). */
export function exactMatch(filters: AuditFilters, row: Record<string, string>): boolean {
  return filters.values.every((filter) => {
    const actual = row[FIELDS[filter.field].key] ?? '';
    return filter.prefix ? actual.startsWith(filter.value) : actual === filter.value;
  });
}
