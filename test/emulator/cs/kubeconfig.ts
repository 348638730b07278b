/**
 * DescribeClusterUserKubeconfig (`GET /k8s/{ClusterId}/user_config`): a short-lived kubeconfig for the fake
 * Kubernetes API server, for a user derived from the caller (`{accountId}-{hash of the AccessKey id}`, group
 * `system:authenticated`), so every key of every account is a different Kubernetes user, as in ACK.
 * Pushed into `csRoutes` by `registerKubeconfigCsRoute`.
 */
import { EmulatorError } from '../http-util.ts';
import { stableHex } from '../world.ts';
import type { Caller } from '../authenticate.ts';
import { csRoutes, findCluster, type CsRoute } from './routes.ts';

/** The Kubernetes user name the emulator gives a caller. */
export function kubeUserOf(caller: Pick<Caller, 'account' | 'key'>): string {
  // A role session's kubeconfig is the role's (ACK's RBAC binds RAM roles, not sessions): every session of a role is one user.
  if (caller.key.assumedRole) return caller.key.assumedRole.roleId;
  return `${caller.account.accountId}-${stableHex(`kube-user:${caller.key.accessKeyId}`, 8)}`;
}

const route: CsRoute = {
  action: 'DescribeClusterUserKubeconfig',
  method: 'GET',
  pattern: /^\/k8s\/(?<clusterId>[^/]+)\/user_config$/,
  ramAction: 'cs:DescribeClusterUserKubeconfig',
  handle(request) {
    findCluster(request);
    const rawMinutes = request.query.get('TemporaryDurationMinutes');
    const minutes = rawMinutes === null ? 4320 : Number(rawMinutes);
    if (!Number.isInteger(minutes) || minutes < 15 || minutes > 4320) {
      throw new EmulatorError(400, 'InvalidParameter', 'TemporaryDurationMinutes must be an integer from 15 to 4320.');
    }
    const private_ = request.query.get('PrivateIpAddress');
    if (private_ !== null && private_ !== 'true' && private_ !== 'false') {
      throw new EmulatorError(400, 'InvalidParameter', 'PrivateIpAddress must be true or false.');
    }
    const kubeconfigFor = request.env.kubeconfigFor;
    if (!kubeconfigFor)
      throw new EmulatorError(400, 'ErrorClusterNotRunning', 'The cluster API server is not reachable from the emulator.');
    const expiration = new Date(request.now + minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    return { config: kubeconfigFor(kubeUserOf(request.caller), ['system:authenticated']), expiration };
  },
};

export function registerKubeconfigCsRoute(): void {
  if (!csRoutes.some((existing) => existing.action === route.action)) csRoutes.push(route);
}
