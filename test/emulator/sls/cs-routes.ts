/** ACK operations that say where a cluster's logs live; pushed into `csRoutes` by `registerObservabilityCsRoutes`. */
import { csRoutes, findCluster, type CsRoute } from '../cs/routes.ts';
import { auditEnabled, controlPlaneLogsEnabled, layoutOf } from './dataset.ts';

const routes: CsRoute[] = [
  {
    action: 'CheckControlPlaneLogEnable',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/controlplanelog$/,
    ramAction: 'cs:CheckControlPlaneLogEnable',
    handle(request) {
      const cluster = findCluster(request);
      // other-singapore has control-plane logging off: no components (what ACK answers then is unconfirmed).
      if (!controlPlaneLogsEnabled(cluster))
        return { log_project: '', log_ttl: '', aliuid: request.caller.account.accountId, components: [] };
      return {
        log_project: layoutOf(cluster).controlPlaneProject,
        log_ttl: '30',
        aliuid: request.caller.account.accountId,
        components: ['apiserver', 'kcm', 'scheduler'],
      };
    },
  },
  {
    action: 'GetClusterAuditProject',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/audit$/,
    ramAction: 'cs:GetClusterAuditProject',
    handle(request) {
      const cluster = findCluster(request);
      if (!auditEnabled(cluster)) return { sls_project_name: '', audit_enabled: false };
      return { sls_project_name: layoutOf(cluster).auditProject, audit_enabled: true };
    },
  },
];

export function registerObservabilityCsRoutes(): void {
  for (const route of routes) if (!csRoutes.some((existing) => existing.action === route.action)) csRoutes.push(route);
}
