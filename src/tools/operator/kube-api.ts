/**
 * Reads of a cluster's API server for the operator tools, as the caller: the kubeconfig ACK issues to the caller
 * (DescribeClusterUserKubeconfig, cached as the kubectl tool caches it) and one bounded GET (`readApiServer`).
 * A refused credential is forgotten and fetched once more; the cluster's RBAC refusal becomes a failure that says
 * which permission is missing. Other statuses are the caller's to interpret (404: not there).
 */
import { ToolFailure } from '../../errors/tool-failure.ts';
import { readApiServer, statusMessage, type ApiReadAnswer } from '../../kubectl/api-read.ts';
import { clusterUpstream, forgetClusterUpstream } from '../kubectl/kubectl.api.ts';
import type { ClusterScope, ToolContext } from '../tool-context.ts';

export async function kubeGet(ctx: ToolContext, cluster: ClusterScope, path: string): Promise<ApiReadAnswer> {
  let answer = await readApiServer(await clusterUpstream(ctx, cluster), path, ctx.signal);
  if (answer.status === 401) {
    await forgetClusterUpstream(ctx, cluster.id);
    answer = await readApiServer(await clusterUpstream(ctx, cluster), path, ctx.signal);
  }
  if (answer.status === 401) {
    throw new ToolFailure(
      'KubernetesUnauthorized',
      `The cluster's API server did not accept the credential ACK issued for this caller (GET ${path}).`,
      {
        hint: 'Check in the ACK console that the RAM identity this server acts as may get a kubeconfig for the cluster.',
      },
    );
  }
  if (answer.status === 403) {
    throw new ToolFailure(
      'KubernetesForbidden',
      `The cluster's Kubernetes RBAC refused GET ${path}: ${statusMessage(answer.body) || 'forbidden'}.`,
      {
        hint: 'Grant the RAM user or role this server acts as an ACK RBAC role that may read it (README: Kubernetes RBAC); nothing was changed.',
      },
    );
  }
  return answer;
}

/** True for a 2xx answer with a JSON body. */
export function isOk(answer: ApiReadAnswer): answer is { status: number; body: Record<string, unknown> } {
  return answer.status >= 200 && answer.status < 300 && !!answer.body && typeof answer.body === 'object';
}

/** A failure for an unexpected status (5xx and the like). */
export function unexpectedStatus(path: string, answer: ApiReadAnswer): ToolFailure {
  return new ToolFailure(
    'ApiServerError',
    `The cluster's API server answered GET ${path} with HTTP ${answer.status}${statusMessage(answer.body) ? `: ${statusMessage(answer.body)}` : ''}.`,
    {
      hint: 'Call again; if it persists, check the API server with the kubectl tool.',
      retryable: answer.status >= 500,
    },
  );
}
