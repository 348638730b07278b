/**
 * Minimal OpenAPI v3 documents. kubectl 1.33 `apply`/`create` (with the default --validate=strict) read them to learn
 * that the server validates fields itself (the `fieldValidation` query parameter); without them kubectl falls back to
 * downloading the OpenAPI v2 schema and fails. No component schemas: kubectl then uses its built-in types for
 * strategic merge patches.
 */
import { RESOURCE_TYPES, apiVersionOf } from './resources.ts';

const groupPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

export function openApiV3Index(): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const t of RESOURCE_TYPES) {
    const p = groupPath(t.group, t.version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=FAKE${p.replace(/\W/g, '').toUpperCase()}` };
  }
  return { paths };
}

/** The document for `api/v1` or `apis/<group>/<version>`, or undefined. */
export function openApiV3Document(path: string): object | undefined {
  const types = RESOURCE_TYPES.filter((t) => groupPath(t.group, t.version) === path);
  if (types.length === 0) return undefined;
  const param = { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } };
  const paths: Record<string, object> = {};
  for (const t of types) {
    const gvk = { 'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind } };
    const base = `/${path}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}`;
    const op = (action: string) => ({
      operationId: `${action}${t.kind}`,
      parameters: [param],
      responses: {},
      'x-kubernetes-action': action,
      ...gvk,
    });
    paths[base] = { post: op('post'), get: { ...op('list'), parameters: [] } };
    paths[`${base}/{name}`] = { put: op('put'), patch: op('patch'), get: { ...op('get'), parameters: [] } };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.33.3' },
    paths,
    components: { schemas: {} },
    'x-fake': apiVersionOf(types[0]!),
  };
}
