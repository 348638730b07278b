/**
 * The managed-Prometheus series of one emulated cluster: node CPU and memory (node-exporter),
 * pod restarts (kube-state-metrics, the crash-looping payment-api pod restarting every 4 minutes)
 * and API-server request counters. Counters grow linearly with time, so rate() is stable.
 * cAdvisor series of the `web` pods in `default`: CPU between 6m and 18m over a day, memory 35-55 MiB (their
 * requests are 500m and 1 GiB: over-provisioned).
 */
import type { ClusterRecord } from '../world.ts';
import { CRASHING_POD } from '../sls/dataset.ts';
import { WEB_PODS } from '../kube/seed.ts';
import type { Series } from './promql.ts';

const GiB = 1024 ** 3;

export function seriesOf(cluster: ClusterRecord): Series[] {
  const series: Series[] = [];
  cluster.nodes.forEach((node, index) => {
    const instance = `${node.ip_address[0] ?? '10.0.0.1'}:9100`;
    const base = { instance, node: node.node_name, job: 'node-exporter' };
    const busy = index === 0 ? 0.92 : 0.2 + index * 0.1;
    for (const cpu of ['0', '1']) {
      const modes: Record<string, number> = { idle: 1 - busy, user: busy * 0.7, system: busy * 0.3 };
      for (const [mode, share] of Object.entries(modes)) {
        series.push({ labels: { __name__: 'node_cpu_seconds_total', ...base, cpu, mode }, at: (t) => t * share });
      }
    }
    series.push({ labels: { __name__: 'node_memory_MemTotal_bytes', ...base }, at: () => 16 * GiB });
    series.push({ labels: { __name__: 'node_memory_MemAvailable_bytes', ...base }, at: () => 16 * GiB * (index === 0 ? 0.08 : 0.55) });
    series.push({ labels: { __name__: 'up', ...base }, at: () => 1 });
  });
  const ksm = { job: 'kube-state-metrics' };
  series.push({
    labels: {
      __name__: 'kube_pod_container_status_restarts_total',
      ...ksm,
      namespace: 'shop',
      pod: CRASHING_POD,
      container: 'payment-api',
    },
    at: (t) => Math.floor(t / 240) - 7_300_000,
  });
  for (const pod of ['checkout-5b7c9-abcde', 'checkout-5b7c9-fghij']) {
    series.push({
      labels: { __name__: 'kube_pod_container_status_restarts_total', ...ksm, namespace: 'shop', pod, container: 'checkout' },
      at: () => 0,
    });
  }
  const day = 86_400;
  for (const pod of WEB_PODS) {
    const cadvisor = { job: 'kubelet', metrics_path: '/metrics/cadvisor', namespace: 'default', pod, container: 'web' };
    // rate = 0.012 + 0.006·cos(2πt/day) cores: never negative, so the counter only grows.
    series.push({
      labels: { __name__: 'container_cpu_usage_seconds_total', ...cadvisor },
      at: (t) => 0.012 * t + ((0.006 * day) / (2 * Math.PI)) * Math.sin((2 * Math.PI * t) / day),
    });
    series.push({
      labels: { __name__: 'container_memory_working_set_bytes', ...cadvisor },
      at: (t) => (45 + 10 * Math.sin((2 * Math.PI * t) / day)) * 1024 ** 2,
    });
  }
  const requests: Array<[string, string, string, number]> = [
    ['GET', 'pods', '200', 42],
    ['LIST', 'pods', '200', 3.5],
    ['WATCH', 'configmaps', '200', 0.8],
    ['PATCH', 'deployments', '200', 0.2],
    ['GET', 'secrets', '403', 0.05],
    ['POST', 'pods', '500', 0.01],
  ];
  for (const [verb, resource, code, rate] of requests) {
    series.push({ labels: { __name__: 'apiserver_request_total', job: 'apiserver', verb, resource, code }, at: (t) => t * rate });
  }
  return series;
}
