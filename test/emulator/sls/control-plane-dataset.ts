/**
 * The API-server audit log and the control-plane component logs of one emulated cluster (see dataset.ts).
 *
 * Audit entries use the keys ACK's audit logstore indexes (`verb`, `objectRef.resource`, `user.username`,
 * `responseStatus.code`, `requestURI`…), flattened as dotted keys. One client still reads the deprecated core/v1
 * Endpoints API: the API server marks such requests with the audit annotation `k8s.io/deprecated: "true"` (and
 * `k8s.io/removed-release` when a removal is scheduled), kept here as `annotations.k8s.io/deprecated`.
 */
import { CRASHING_POD, type LogRow } from './dataset.ts';

interface AuditSpec {
  ago: number;
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  user: string;
  code: number;
  group?: string;
  version?: string;
  userAgent?: string;
  annotations?: Record<string, string>;
}

function uriOf(spec: AuditSpec): string {
  const prefix = spec.group ? `/apis/${spec.group}/${spec.version ?? 'v1'}` : `/api/${spec.version ?? 'v1'}`;
  const [resource, sub] = spec.resource.split('/');
  const ns = spec.namespace ? `/namespaces/${spec.namespace}` : '';
  return `${prefix}${ns}/${resource}${spec.name ? `/${spec.name}` : ''}${sub ? `/${sub}` : ''}`;
}

function audit(spec: AuditSpec): LogRow {
  const defaultAgent = spec.user === 'kubernetes-admin' ? 'kubectl/v1.33.9 (linux/amd64)' : 'kube-controller-manager/v1.33.3';
  const fields: Record<string, string> = {
    verb: spec.verb,
    'objectRef.resource': spec.resource,
    'objectRef.namespace': spec.namespace,
    'objectRef.name': spec.name,
    'objectRef.apiGroup': spec.group ?? '',
    'objectRef.apiVersion': spec.version ?? 'v1',
    'user.username': spec.user,
    'responseStatus.code': String(spec.code),
    requestURI: uriOf(spec),
    sourceIPs: '10.0.0.8',
    userAgent: spec.userAgent ?? defaultAgent,
    __topic__: 'k8s-audit',
  };
  for (const [key, value] of Object.entries(spec.annotations ?? {})) fields[`annotations.${key}`] = value;
  return { ago: spec.ago, fields };
}

export function auditRows(clusterId: string): LogRow[] {
  void clusterId;
  return [
    audit({ ago: 3100, verb: 'get', resource: 'pods', namespace: 'shop', name: CRASHING_POD, user: 'kubernetes-admin', code: 200 }),
    audit({
      ago: 2950,
      verb: 'delete',
      resource: 'pods',
      namespace: 'shop',
      name: 'payment-api-7d9f8b6c5-old01',
      user: 'kubernetes-admin',
      code: 200,
    }),
    audit({
      ago: 2500,
      verb: 'update',
      resource: 'deployments',
      namespace: 'shop',
      name: 'payment-api',
      user: 'kubernetes-admin',
      code: 200,
      group: 'apps',
    }),
    audit({
      ago: 2000,
      verb: 'get',
      resource: 'secrets',
      namespace: 'shop',
      name: 'payment-db',
      user: 'system:serviceaccount:shop:default',
      code: 403,
    }),
    audit({
      ago: 1700,
      verb: 'get',
      resource: 'endpoints',
      namespace: 'shop',
      name: 'checkout',
      user: 'system:serviceaccount:monitoring:legacy-exporter',
      code: 200,
      userAgent: 'legacy-exporter/0.9.1',
      annotations: { 'k8s.io/deprecated': 'true' },
    }),
    audit({
      ago: 1500,
      verb: 'patch',
      resource: 'configmaps',
      namespace: 'kube-system',
      name: 'coredns',
      user: 'kubernetes-admin',
      code: 200,
    }),
    audit({
      ago: 1100,
      verb: 'watch',
      resource: 'endpoints',
      namespace: 'shop',
      name: '',
      user: 'system:serviceaccount:monitoring:legacy-exporter',
      code: 200,
      userAgent: 'legacy-exporter/0.9.1',
      annotations: { 'k8s.io/deprecated': 'true' },
    }),
    audit({ ago: 900, verb: 'list', resource: 'nodes', namespace: '', name: '', user: 'system:kube-controller-manager', code: 200 }),
    audit({
      ago: 300,
      verb: 'create',
      resource: 'pods/exec',
      namespace: 'shop',
      name: 'checkout-5b7c9-abcde',
      user: 'kubernetes-admin',
      code: 101,
    }),
  ];
}

/** Rows of the control-plane logstores (`apiserver-…`, `kcm-…`, `scheduler-…`), klog lines as ACK collects them. */
export function controlPlaneRows(logstore: string, clusterId: string): LogRow[] | undefined {
  const line = (ago: number, content: string, level = 'I'): LogRow => ({
    ago,
    fields: { content, level, __topic__: logstore.replace(`-${clusterId}`, '') },
  });
  if (logstore === `apiserver-${clusterId}`) {
    return [
      line(1000, 'I1001 10:00:00.000000 1 trace.go:236] Trace[1]: "List" url:/api/v1/pods total time: 812ms'),
      line(
        1700,
        'W1001 09:48:20.114502 1 warnings.go:70] v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
        'W',
      ),
      line(2600, 'E1001 09:33:20.671210 1 status.go:71] apiserver received an error that is not an metav1.Status: context canceled', 'E'),
    ];
  }
  if (logstore === `kcm-${clusterId}`) {
    return [
      line(
        2400,
        'I1001 09:36:40.201117 1 event.go:389] "Event occurred" object="shop/checkout" kind="Deployment" reason="ScalingReplicaSet" message="Scaled up replica set checkout-5b7c9 to 3"',
      ),
      line(
        1200,
        'E1001 09:53:20.887410 1 job_controller.go:631] "Unhandled Error" err="syncing job: batch/report-28712345: pods \\"report-28712345-q8z7n\\" is forbidden: exceeded quota"',
        'E',
      ),
    ];
  }
  if (logstore === `scheduler-${clusterId}`) {
    return [
      line(
        1200,
        'I1001 09:53:20.512036 1 schedule_one.go:1055] "Unable to schedule pod; no fit; waiting" pod="batch/report-28712345-q8z7n" err="0/4 nodes are available: 4 Insufficient memory."',
      ),
      line(
        3000,
        'I1001 09:26:40.003311 1 schedule_one.go:314] "Successfully bound pod to node" pod="shop/payment-api-7d9f8b6c5-x2k4q" evaluatedNodes=4 feasibleNodes=4',
      ),
    ];
  }
  return undefined;
}
