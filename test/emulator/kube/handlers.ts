/** Request handlers: discovery, RBAC refusals, CRUD with selectors and tables, watch (one event), logs, scale, access reviews. */
import {
  AGGREGATED_DISCOVERY_TYPE,
  aggregatedDiscovery,
  apiGroupList,
  apiResourceList,
  coreVersions,
  SERVER_VERSION,
  wantsAggregatedDiscovery,
} from './discovery.ts';
import { openApiV3Document, openApiV3Index } from './openapi.ts';
import { jsonPatch, mergePatch } from './patch.ts';
import { decodeSelfSubjectAccessReview } from './protobuf.ts';
import { findResourceType, type ResourceType } from './resources.ts';
import { FakeRbac, verbOf } from './rbac.ts';
import { parseApiPath } from './router.ts';
import { matchesFieldSelector, matchesLabelSelector, type KubeObject, type ObjectStore } from './store.ts';
import { toTable } from './tables.ts';

export interface ApiRequest {
  method: string;
  url: URL;
  accept: string;
  contentType: string;
  body: Buffer;
  user: string;
  groups: string[];
}

export interface ApiReply {
  status: number;
  body: unknown; // object → JSON; string → text
  contentType?: string;
}

/** Request bodies as JSON (kubectl sends JSON for everything but typed-client POSTs, handled where they occur). */
function json(req: ApiRequest): KubeObject {
  if (req.contentType.includes('protobuf')) throw new Error(`protobuf bodies are not supported on ${req.url.pathname}`);
  return JSON.parse(req.body.toString('utf8')) as KubeObject;
}

export function status(code: number, reason: string, message: string, details?: object): ApiReply {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: code < 300 ? 'Success' : 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
  };
}

const notFound = (type: ResourceType, name: string) =>
  status(404, 'NotFound', `${type.resource}${type.group ? `.${type.group}` : ''} "${name}" not found`, {
    name,
    group: type.group,
    kind: type.resource,
  });

/** A Secret's `stringData` is write-only: the API server merges it into `data` (on create, update and patch alike). */
function foldStringData(type: ResourceType, object: KubeObject): void {
  if (type.resource !== 'secrets' || !object.stringData) return;
  object.data = { ...(object.data ?? {}) };
  for (const [k, v] of Object.entries(object.stringData)) object.data[k] = Buffer.from(String(v)).toString('base64');
  delete object.stringData;
}

/** Keep a deployment's status in line with its spec, as if the controller had converged at once. */
function converge(type: ResourceType, object: KubeObject, previous?: KubeObject): void {
  if (type.resource !== 'deployments') return;
  const meta = object.metadata;
  const specChanged = !previous || JSON.stringify(previous.spec) !== JSON.stringify(object.spec);
  meta.generation = (previous?.metadata.generation ?? 0) + (specChanged ? 1 : 0) || 1;
  const replicas = object.spec?.replicas ?? 1;
  object.status = {
    observedGeneration: meta.generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${meta.name}" has successfully progressed.`,
      },
    ],
  };
}

export class KubeApiHandlers {
  constructor(
    private readonly store: ObjectStore,
    private readonly logs: Map<string, string>,
    private readonly rbac: FakeRbac = new FakeRbac(),
  ) {}

  handle(req: ApiRequest): ApiReply {
    const path = req.url.pathname.replace(/\/+$/, '') || '/';
    if (req.method === 'GET') {
      if (path === '/version') return { status: 200, body: SERVER_VERSION };
      if ((path === '/api' || path === '/apis') && wantsAggregatedDiscovery(req.accept)) {
        return { status: 200, body: aggregatedDiscovery(path === '/api'), contentType: AGGREGATED_DISCOVERY_TYPE };
      }
      if (path === '/api') return { status: 200, body: coreVersions() };
      if (path === '/apis') return { status: 200, body: apiGroupList() };
      if (path === '/openapi/v3') return { status: 200, body: openApiV3Index() };
      if (path.startsWith('/openapi/v3/')) {
        const doc = openApiV3Document(path.slice('/openapi/v3/'.length));
        if (doc) return { status: 200, body: doc };
      }
    }
    const api = parseApiPath(path);
    if (!api) return status(404, 'NotFound', 'the server could not find the requested resource');
    if (!api.resource) {
      const list = req.method === 'GET' ? apiResourceList(api.group, api.version) : undefined;
      return list ? { status: 200, body: list } : status(404, 'NotFound', 'the server could not find the requested resource');
    }
    const type = findResourceType(api.group, api.version, api.resource);
    if (!type) return status(404, 'NotFound', 'the server could not find the requested resource');
    if (type.resource === 'selfsubjectaccessreviews' || type.resource === 'selfsubjectreviews') return this.review(type, req);
    const ns = type.namespaced ? api.namespace : undefined;
    const verb = verbOf(req.method, api.name !== undefined, req.url.searchParams);
    const refused = this.rbac.refusal({
      user: req.user,
      verb,
      group: type.group,
      resource: type.resource,
      subresource: api.subresource,
      namespace: ns,
      name: api.name,
    });
    if (refused) return refused;
    if (api.subresource) return this.subresource(type, ns, api.name!, api.subresource, req);
    if (!api.name) {
      if (req.method === 'GET') return this.list(type, ns, req);
      if (req.method === 'POST') return this.create(type, ns, req);
      return status(405, 'MethodNotAllowed', `${req.method} is not supported on a collection`);
    }
    switch (req.method) {
      case 'GET': {
        const found = this.store.get(type, ns, api.name);
        if (!found) return notFound(type, api.name);
        return this.asTable(req) ? { status: 200, body: toTable(type, [found], this.store.resourceVersion) } : { status: 200, body: found };
      }
      case 'PUT':
        return this.replace(type, ns, api.name, json(req));
      case 'PATCH':
        return this.patch(type, ns, api.name, req);
      case 'DELETE': {
        const gone = this.store.delete(type, ns, api.name);
        if (!gone) return notFound(type, api.name);
        return { status: 200, body: gone };
      }
      default:
        return status(405, 'MethodNotAllowed', `${req.method} is not supported`);
    }
  }

  private asTable(req: ApiRequest): boolean {
    return /as=Table/.test(req.accept);
  }

  private list(type: ResourceType, ns: string | undefined, req: ApiRequest): ApiReply {
    const q = req.url.searchParams;
    const items = this.store
      .list(type, ns)
      .filter((o) => matchesLabelSelector(o.metadata.labels, q.get('labelSelector')) && matchesFieldSelector(o, q.get('fieldSelector')));
    const rv = this.store.resourceVersion;
    if (q.get('watch') === 'true' || q.get('watch') === '1') {
      // The current state as ADDED events, then the watch ends (the client re-lists if it needs more).
      const lines = items.map((o) => JSON.stringify({ type: 'ADDED', object: this.asTable(req) ? toTable(type, [o], rv) : o }));
      return { status: 200, body: lines.length ? `${lines.join('\n')}\n` : '', contentType: 'application/json' };
    }
    if (this.asTable(req)) return { status: 200, body: toTable(type, items, rv) };
    return {
      status: 200,
      body: {
        kind: `${type.kind}List`,
        apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
        metadata: { resourceVersion: rv },
        items,
      },
    };
  }

  private create(type: ResourceType, ns: string | undefined, req: ApiRequest): ApiReply {
    const object = json(req) as KubeObject;
    const meta = (object.metadata ??= {});
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${Math.random().toString(36).slice(2, 7)}`;
    if (!meta.name) return status(422, 'Invalid', `${type.kind} is invalid: metadata.name: Required value`);
    if (type.namespaced) meta.namespace = ns ?? meta.namespace ?? 'default';
    if (this.store.get(type, meta.namespace, meta.name)) {
      return status(409, 'AlreadyExists', `${type.resource} "${meta.name}" already exists`, { name: meta.name, kind: type.resource });
    }
    if (req.url.searchParams.get('dryRun') === 'All') return { status: 201, body: object };
    foldStringData(type, object);
    converge(type, object);
    return { status: 201, body: this.store.put(type, object) };
  }

  private replace(type: ResourceType, ns: string | undefined, name: string, object: KubeObject): ApiReply {
    const previous = this.store.get(type, ns, name);
    if (!previous) return notFound(type, name);
    object.metadata = {
      ...object.metadata,
      uid: previous.metadata.uid,
      creationTimestamp: previous.metadata.creationTimestamp,
      namespace: ns,
    };
    foldStringData(type, object);
    converge(type, object, previous);
    return { status: 200, body: this.store.put(type, object) };
  }

  private applyPatch(current: KubeObject, req: ApiRequest): KubeObject {
    const body = json(req);
    if (req.contentType.startsWith('application/json-patch+json'))
      return jsonPatch(current, body as unknown as Array<{ op: string; path: string; value?: unknown }>);
    return mergePatch(current, body, req.contentType.startsWith('application/strategic-merge-patch+json')) as KubeObject;
  }

  private patch(type: ResourceType, ns: string | undefined, name: string, req: ApiRequest): ApiReply {
    const current = this.store.get(type, ns, name);
    if (!current) return notFound(type, name);
    if (req.contentType.startsWith('application/apply-patch'))
      return status(415, 'UnsupportedMediaType', 'server-side apply is not supported by the fake API server');
    const next = this.applyPatch(current, req);
    next.metadata = {
      ...next.metadata,
      name,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      namespace: current.metadata.namespace,
    };
    foldStringData(type, next);
    converge(type, next, current);
    return { status: 200, body: this.store.put(type, next) };
  }

  private subresource(type: ResourceType, ns: string | undefined, name: string, sub: string, req: ApiRequest): ApiReply {
    const current = this.store.get(type, ns, name);
    if (!current) return notFound(type, name);
    if (type.resource === 'pods' && sub === 'log' && req.method === 'GET') {
      const q = req.url.searchParams;
      const containerName = q.get('container') ?? current.spec.containers[0].name;
      if (!current.spec.containers.some((c: KubeObject) => c.name === containerName)) {
        return status(400, 'BadRequest', `container ${containerName} is not valid for pod ${name}`);
      }
      let lines = (this.logs.get(`${ns}/${name}/${containerName}${q.get('previous') === 'true' ? '/previous' : ''}`) ?? '')
        .split('\n')
        .filter(Boolean);
      const tail = q.get('tailLines');
      if (tail !== null) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
      return { status: 200, body: lines.map((l) => `${l}\n`).join(''), contentType: 'text/plain' };
    }
    if (type.resource === 'pods' && sub === 'ephemeralcontainers') {
      // As the API server: the subresource reads the pod and changes only its spec.ephemeralContainers.
      if (req.method === 'GET') return { status: 200, body: current };
      if (req.method === 'PUT' || req.method === 'PATCH') {
        const changed = req.method === 'PUT' ? json(req) : this.applyPatch(current, req);
        const next = structuredClone(current);
        next.spec.ephemeralContainers = changed.spec?.ephemeralContainers ?? [];
        return { status: 200, body: this.store.put(type, next) };
      }
    }
    if (sub === 'scale' && (type.resource === 'deployments' || type.resource === 'replicasets')) {
      const scaleOf = (o: KubeObject) => ({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: {
          name,
          namespace: ns,
          uid: o.metadata.uid,
          resourceVersion: o.metadata.resourceVersion,
          creationTimestamp: o.metadata.creationTimestamp,
        },
        spec: { replicas: o.spec?.replicas ?? 0 },
        status: {
          replicas: o.status?.replicas ?? 0,
          selector: Object.entries(o.spec?.selector?.matchLabels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        },
      });
      if (req.method === 'GET') return { status: 200, body: scaleOf(current) };
      if (req.method === 'PUT' || req.method === 'PATCH') {
        const scale = req.method === 'PUT' ? json(req) : this.applyPatch(scaleOf(current), req);
        const next = structuredClone(current);
        next.spec.replicas = scale.spec?.replicas ?? next.spec.replicas;
        converge(type, next, current);
        return { status: 200, body: scaleOf(this.store.put(type, next)) };
      }
    }
    return status(404, 'NotFound', 'the server could not find the requested resource');
  }

  private review(type: ResourceType, req: ApiRequest): ApiReply {
    if (req.method !== 'POST') return status(405, 'MethodNotAllowed', 'only create is supported');
    const review: KubeObject = req.contentType.includes('protobuf')
      ? {
          apiVersion: `${type.group}/${type.version}`,
          kind: type.kind,
          metadata: {},
          ...(type.resource === 'selfsubjectaccessreviews' ? decodeSelfSubjectAccessReview(req.body) : {}),
        }
      : json(req);
    if (type.resource === 'selfsubjectreviews') {
      return {
        status: 201,
        body: { ...review, status: { userInfo: { username: req.user, groups: [...req.groups, 'system:authenticated'] } } },
      };
    }
    // Everyone may do everything except touch secrets, unless in system:masters: enough to show both answers.
    const attrs = review.spec?.resourceAttributes ?? {};
    const allowed =
      this.rbac.allows({ user: req.user, verb: attrs.verb ?? '' }) &&
      (req.groups.includes('system:masters') || attrs.resource !== 'secrets');
    return { status: 201, body: { ...review, status: { allowed, ...(allowed ? { reason: 'fake API server allows it' } : {}) } } };
  }
}
