/** Realistic objects for an ACK cluster: system pods, two nodes, a crash-looping pod, an over-provisioned deployment, pod metrics, a Secret. */
import { randomUUID } from 'node:crypto';
import { findResourceType } from './resources.ts';
import type { KubeObject, ObjectStore } from './store.ts';

const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

export const SEED_NODES = ['cn-hangzhou.10.0.1.12', 'cn-hangzhou.10.0.1.13'] as const;
export const CRASHING_POD = 'billing-worker-6d4b8c7f9-x7k2p';
export const CRASHING_POD_LOG = [
  '2025-01-01T10:00:00Z INFO starting billing-worker v2.3.1',
  '2025-01-01T10:00:01Z INFO connecting to postgres at db.default.svc:5432',
  '2025-01-01T10:00:06Z ERROR dial tcp 10.96.12.7:5432: connect: connection refused',
  '2025-01-01T10:00:06Z FATAL cannot reach database, exiting with code 1',
].join('\n');
export const SECRET_PLAINTEXT_PASSWORD = 'S3cr3t-P@ssw0rd';

function container(name: string, image: string, extra: KubeObject = {}): KubeObject {
  return { name, image, imagePullPolicy: 'IfNotPresent', resources: {}, ...extra };
}

function pod(
  namespace: string,
  name: string,
  node: string,
  containers: KubeObject[],
  opts: { labels?: Record<string, string>; owner?: KubeObject; crash?: boolean; ip: string; age: number },
): KubeObject {
  const started = ago(opts.age);
  const statuses = containers.map((c) =>
    opts.crash
      ? {
          name: c.name,
          image: c.image,
          imageID: '',
          ready: false,
          restartCount: 42,
          started: false,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 5m0s restarting failed container=${c.name} pod=${name}_${namespace}`,
            },
          },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ago(6), finishedAt: ago(6) } },
        }
      : {
          name: c.name,
          image: c.image,
          imageID: '',
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: started } },
        },
  );
  return {
    metadata: {
      name,
      namespace,
      labels: opts.labels ?? {},
      creationTimestamp: started,
      ...(opts.owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: opts.owner.kind,
                name: opts.owner.metadata.name,
                uid: opts.owner.metadata.uid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec: { nodeName: node, containers, restartPolicy: 'Always', serviceAccountName: 'default', dnsPolicy: 'ClusterFirst' },
    status: {
      phase: 'Running',
      hostIP: node.replace(/^cn-hangzhou\./, ''),
      podIP: opts.ip,
      startTime: started,
      qosClass: containers.some((c) => c.resources?.requests) ? 'Burstable' : 'BestEffort',
      conditions: [
        { type: 'Ready', status: opts.crash ? 'False' : 'True', lastTransitionTime: started },
        { type: 'ContainersReady', status: opts.crash ? 'False' : 'True', lastTransitionTime: started },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: started },
      ],
      containerStatuses: statuses,
    },
  };
}

function event(
  namespace: string,
  involved: KubeObject,
  type: string,
  reason: string,
  message: string,
  count: number,
  minutes: number,
): KubeObject {
  return {
    metadata: { name: `${involved.metadata.name}.${randomUUID().slice(0, 8)}`, namespace, creationTimestamp: ago(minutes) },
    involvedObject: {
      kind: involved.kind ?? 'Pod',
      namespace,
      name: involved.metadata.name,
      uid: involved.metadata.uid,
      apiVersion: 'v1',
      fieldPath: 'spec.containers{billing-worker}',
    },
    reason,
    message,
    type,
    count,
    source: { component: 'kubelet', host: SEED_NODES[0] },
    firstTimestamp: ago(minutes + 120),
    lastTimestamp: ago(minutes),
    reportingComponent: 'kubelet',
    reportingInstance: SEED_NODES[0],
  };
}

/** The pods of the `web` deployment in `default` (managed Prometheus has their cAdvisor series too). */
export const WEB_PODS = ['web-5d8f7c9b6-h2xq9', 'web-5d8f7c9b6-tm5vw'] as const;

/** What metrics-server reports for the web pods' one container, in its own units (nanocores, KiB). */
export const WEB_USAGE = { cpu: '7913052n', memory: '43204Ki' } as const;

/** PodMetrics (metrics.k8s.io/v1beta1) for every running pod but the crash-looping one, as metrics-server answers them. */
function seedPodMetrics(store: ObjectStore): void {
  const metrics = findResourceType('metrics.k8s.io', 'v1beta1', 'pods')!;
  const pods = store.list(findResourceType('', 'v1', 'pods')!, undefined);
  for (const p of pods) {
    if (p.metadata.name === CRASHING_POD) continue;
    store.put(metrics, {
      metadata: { name: p.metadata.name, namespace: p.metadata.namespace, labels: p.metadata.labels, creationTimestamp: ago(0) },
      timestamp: ago(0),
      window: '15.023s',
      containers: (p.spec.containers as KubeObject[]).map((c) => ({
        name: c.name,
        usage: p.metadata.labels?.app === 'web' ? { ...WEB_USAGE } : { cpu: '2843711n', memory: '18432Ki' },
      })),
    });
  }
}

/** Fill the store; returns pod logs keyed by `namespace/pod/container` (and `.../previous`). */
export function seedCluster(store: ObjectStore): Map<string, string> {
  const T = (resource: string, group = '') => findResourceType(group, group ? 'v1' : 'v1', resource)!;
  const logs = new Map<string, string>();

  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    store.put(T('namespaces'), {
      metadata: { name: ns, creationTimestamp: ago(43200), labels: { 'kubernetes.io/metadata.name': ns } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  SEED_NODES.forEach((name, i) => {
    const ip = name.replace(/^cn-hangzhou\./, '');
    store.put(T('nodes'), {
      metadata: {
        name,
        creationTimestamp: ago(43200),
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'node.kubernetes.io/instance-type': 'ecs.g7.xlarge',
          'topology.kubernetes.io/region': 'cn-hangzhou',
          'topology.kubernetes.io/zone': `cn-hangzhou-${i ? 'j' : 'k'}`,
          'alibabacloud.com/nodepool-id': 'np4a1b2c3d4e5f',
        },
      },
      spec: { podCIDR: `172.20.${i}.0/24`, providerID: `cn-hangzhou.i-bp1${i}abcdef0123456` },
      status: {
        capacity: { cpu: '4', memory: '15921428Ki', pods: '64' },
        allocatable: { cpu: '3900m', memory: '12662548Ki', pods: '64' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: ago(1),
            lastTransitionTime: ago(43000),
          },
        ],
        addresses: [
          { type: 'InternalIP', address: ip },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.33.3-aliyun.1',
          kubeProxyVersion: 'v1.33.3-aliyun.1',
          osImage: 'Alibaba Cloud Linux 3.2104 U11 (OpenAnolis Edition)',
          kernelVersion: '5.10.134-18.al8.x86_64',
          containerRuntimeVersion: 'containerd://1.6.36',
          architecture: 'amd64',
          operatingSystem: 'linux',
        },
      },
    });
  });

  const pods = T('pods');
  let ipCounter = 10;
  const nextIp = () => `172.20.0.${ipCounter++}`;
  for (const [i, suffix] of ['7b9c5d6f8-2xk4m', '7b9c5d6f8-9qw7z'].entries()) {
    store.put(
      pods,
      pod(
        'kube-system',
        `coredns-${suffix}`,
        SEED_NODES[i]!,
        [container('coredns', 'registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/coredns:v1.11.3.2-f57ea7ed6-aliyun')],
        { labels: { 'k8s-app': 'kube-dns' }, ip: nextIp(), age: 43000 },
      ),
    );
  }
  SEED_NODES.forEach((node, i) => {
    store.put(
      pods,
      pod(
        'kube-system',
        `kube-proxy-worker-${['8hz2k', 'p4m9x'][i]}`,
        node,
        [container('kube-proxy-worker', 'registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/kube-proxy:v1.33.3-aliyun.1')],
        { labels: { 'k8s-app': 'kube-proxy-worker' }, ip: node.replace(/^cn-hangzhou\./, ''), age: 43000 },
      ),
    );
    store.put(
      pods,
      pod(
        'kube-system',
        `terway-eniip-${['5xwq2', 'n7c3v'][i]}`,
        node,
        [
          container('terway', 'registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/terway:v1.13.4'),
          container('policy', 'registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/terway:v1.13.4'),
        ],
        { labels: { app: 'terway-eniip' }, ip: node.replace(/^cn-hangzhou\./, ''), age: 43000 },
      ),
    );
  });

  // A crash-looping pod with its events and log.
  const crashing = store.put(
    pods,
    pod(
      'default',
      CRASHING_POD,
      SEED_NODES[0],
      [container('billing-worker', 'registry.cn-hangzhou.aliyuncs.com/acme/billing-worker:2.3.1')],
      { labels: { app: 'billing-worker' }, crash: true, ip: nextIp(), age: 200 },
    ),
  );
  logs.set(`default/${CRASHING_POD}/billing-worker`, CRASHING_POD_LOG);
  logs.set(`default/${CRASHING_POD}/billing-worker/previous`, CRASHING_POD_LOG);
  const events = T('events');
  store.put(
    events,
    event(
      'default',
      crashing,
      'Normal',
      'Pulled',
      'Container image "registry.cn-hangzhou.aliyuncs.com/acme/billing-worker:2.3.1" already present on machine',
      43,
      6,
    ),
  );
  store.put(
    events,
    event(
      'default',
      crashing,
      'Warning',
      'BackOff',
      `Back-off restarting failed container billing-worker in pod ${CRASHING_POD}_default(${crashing.metadata.uid})`,
      912,
      1,
    ),
  );

  // Deployment web → ReplicaSet → 2 pods, a Service, a ConfigMap.
  const labels = { app: 'web' };
  // Over-provisioned on purpose: it requests 500m CPU and 1 GiB and uses ~8m and ~42 MiB (WEB_USAGE, metrics below).
  const webResources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } };
  const template = {
    metadata: { labels: { ...labels, 'pod-template-hash': '5d8f7c9b6' } },
    spec: { containers: [container('web', 'nginx:1.27', { ports: [{ containerPort: 80, protocol: 'TCP' }], resources: webResources })] },
  };
  const deploy = store.put(T('deployments', 'apps'), {
    metadata: {
      name: 'web',
      namespace: 'default',
      labels,
      generation: 1,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      creationTimestamp: ago(3000),
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: template.spec },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  });
  const rs = store.put(T('replicasets', 'apps'), {
    metadata: {
      name: 'web-5d8f7c9b6',
      namespace: 'default',
      labels: template.metadata.labels,
      generation: 1,
      creationTimestamp: ago(3000),
      annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '2' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deploy.metadata.uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: { replicas: 2, selector: { matchLabels: template.metadata.labels }, template },
    status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 },
  });
  for (const [i, name] of WEB_PODS.entries()) {
    store.put(
      pods,
      pod('default', name, SEED_NODES[i]!, template.spec.containers, {
        labels: template.metadata.labels,
        owner: rs,
        ip: nextIp(),
        age: 2990,
      }),
    );
    logs.set(
      `default/${name}/web`,
      Array.from(
        { length: 20 },
        (_, n) =>
          `10.0.1.${n + 1} - - [01/Jan/2025:10:00:${String(n).padStart(2, '0')} +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.33"`,
      ).join('\n'),
    );
  }
  seedPodMetrics(store);
  store.put(T('services'), {
    metadata: { name: 'web', namespace: 'default', labels, creationTimestamp: ago(3000) },
    spec: {
      type: 'ClusterIP',
      clusterIP: '192.168.45.10',
      clusterIPs: ['192.168.45.10'],
      selector: labels,
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
      sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  });
  store.put(T('services'), {
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
      creationTimestamp: ago(43200),
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '192.168.0.1',
      clusterIPs: ['192.168.0.1'],
      ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }],
      sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  });
  store.put(T('configmaps'), {
    metadata: { name: 'app-config', namespace: 'default', creationTimestamp: ago(3000) },
    data: { LOG_LEVEL: 'info', FEATURE_FLAGS: 'checkout-v2=true' },
  });

  // A Secret whose last-applied annotation holds the plaintext (as `kubectl apply` of stringData leaves it).
  const applied = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-credentials', namespace: 'default' },
    stringData: { username: 'billing', password: SECRET_PLAINTEXT_PASSWORD },
    type: 'Opaque',
  };
  store.put(T('secrets'), {
    metadata: {
      name: 'db-credentials',
      namespace: 'default',
      creationTimestamp: ago(3000),
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(applied)}\n` },
    },
    type: 'Opaque',
    data: { username: Buffer.from('billing').toString('base64'), password: Buffer.from(SECRET_PLAINTEXT_PASSWORD).toString('base64') },
  });
  return logs;
}
