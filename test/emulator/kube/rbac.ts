/**
 * Just enough RBAC for tests: a test takes verbs away from a user (`forbid`), and the fake API server refuses those
 * requests as Kubernetes' authorization filter does: HTTP 403 with a `Forbidden` Status whose message is the API
 * server's own (apiserver responsewriters.forbiddenMessage wrapped by apierrors.NewForbidden), and self access
 * reviews answer `allowed: false`. Everything else stays allowed; discovery and the self reviews themselves are
 * never refused (the system:discovery and system:basic-user roles every authenticated user has).
 */
import type { ApiReply } from './handlers.ts';

/** What the authorizer sees of a resource request. */
export interface ResourceRequest {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
}

/** The Kubernetes verb of a resource request (apiserver RequestInfo). */
export function verbOf(method: string, named: boolean, query: URLSearchParams): string {
  switch (method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default: {
      if (named) return 'get';
      const watch = query.get('watch');
      return watch === 'true' || watch === '1' ? 'watch' : 'list';
    }
  }
}

export class FakeRbac {
  private readonly denied = new Map<string, Set<string> | 'every verb'>();

  /** From now on `user` may not use `verbs` (every verb when omitted) on any resource. */
  forbid(user: string, verbs?: string[]): void {
    this.denied.set(user, verbs ? new Set(verbs) : 'every verb');
  }

  /** Lift every `forbid`. */
  clear(): void {
    this.denied.clear();
  }

  allows(request: Pick<ResourceRequest, 'user' | 'verb'>): boolean {
    const denied = this.denied.get(request.user);
    return denied === undefined || (denied !== 'every verb' && !denied.has(request.verb));
  }

  /** The API server's 403 answer when `request` is not allowed; undefined when it is. */
  refusal(request: ResourceRequest): ApiReply | undefined {
    if (this.allows(request)) return undefined;
    const { user, verb, group, resource, subresource, namespace, name } = request;
    const target = subresource ? `${resource}/${subresource}` : resource;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    const reason = `User "${user}" cannot ${verb} resource "${target}" in API group "${group}" ${scope}`;
    const qualified = group ? `${resource}.${group}` : resource;
    const message = name ? `${qualified} "${name}" is forbidden: ${reason}` : `${qualified} is forbidden: ${reason}`;
    return {
      status: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: 'Forbidden',
        details: { ...(name ? { name } : {}), group, kind: resource },
        code: 403,
      },
    };
  }
}
