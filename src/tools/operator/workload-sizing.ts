/**
 * How well a workload's containers are sized: requests and limits against the usage metrics-server measured, per
 * container and resource, with a verdict and a suggested request. Pure functions; no I/O.
 *
 * Verdicts per resource: `no_request` (nothing requested: the scheduler reserves nothing), `over_provisioned` (usage
 * below 30% of the request), `under_provisioned` (usage above the request: the node may run short and the pod be
 * evicted or throttled first), `near_limit` (usage at 90% of the limit or more: throttling or OOM kill ahead), `fits`.
 * A suggested request is the highest usage seen × 1.3 headroom, rounded up (CPU to 10m, memory to 16 MiB).
 */
import { cpuCores, formatCpu, formatMemory, memoryBytes } from './quantities.ts';

export const OVER_PROVISIONED_BELOW = 0.3;
export const NEAR_LIMIT_FROM = 0.9;
export const HEADROOM = 1.3;

export type Verdict = 'no_request' | 'over_provisioned' | 'under_provisioned' | 'near_limit' | 'fits' | 'no_usage';

export interface ResourceSizing {
  request: string | null;
  limit: string | null;
  usage_avg: string | null;
  usage_max: string | null;
  /** Average usage / request (1 = uses exactly what it requests); null without a request or usage. */
  utilisation: number | null;
  verdict: Verdict;
  suggested_request: string | null;
}

export interface ContainerSizing {
  name: string;
  pods_measured: number;
  cpu: ResourceSizing;
  memory: ResourceSizing;
}

export interface ContainerSpec {
  name: string;
  requests: Record<string, unknown>;
  limits: Record<string, unknown>;
}

/** Usage samples of one container: one per pod that metrics-server measured. */
export type UsageSamples = Map<string, Array<{ cpu: unknown; memory: unknown }>>;

function sizeOne(
  request: unknown,
  limit: unknown,
  samples: number[],
  parse: (q: unknown) => number | undefined,
  format: (n: number) => string,
  roundUp: (n: number) => number,
): ResourceSizing {
  const req = parse(request);
  const lim = parse(limit);
  const avg = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : undefined;
  const max = samples.length ? Math.max(...samples) : undefined;
  let verdict: Verdict;
  if (avg === undefined || max === undefined) verdict = 'no_usage';
  else if (lim !== undefined && lim > 0 && max >= NEAR_LIMIT_FROM * lim) verdict = 'near_limit';
  else if (req === undefined || req === 0) verdict = 'no_request';
  else if (max > req) verdict = 'under_provisioned';
  else if (avg < OVER_PROVISIONED_BELOW * req) verdict = 'over_provisioned';
  else verdict = 'fits';
  return {
    request: req !== undefined ? format(req) : null,
    limit: lim !== undefined ? format(lim) : null,
    usage_avg: avg !== undefined ? format(avg) : null,
    usage_max: max !== undefined ? format(max) : null,
    utilisation: avg !== undefined && req ? Math.round((avg / req) * 1000) / 1000 : null,
    verdict,
    suggested_request: max !== undefined && verdict !== 'fits' ? format(roundUp(max * HEADROOM)) : null,
  };
}

const MI = 2 ** 20;
const roundCpu = (cores: number) => Math.max(0.01, Math.ceil(cores / 0.01) * 0.01);
const roundMemory = (bytes: number) => Math.max(16 * MI, Math.ceil(bytes / (16 * MI)) * 16 * MI);

/** `podCounts`: pods measured per container when a sample is not one pod (Prometheus: many points per pod). */
export function sizeContainers(specs: ContainerSpec[], usage: UsageSamples, podCounts?: Map<string, number>): ContainerSizing[] {
  return specs.map((spec) => {
    const samples = usage.get(spec.name) ?? [];
    const values = (pick: 'cpu' | 'memory', parse: (q: unknown) => number | undefined) =>
      samples.map((sample) => parse(sample[pick])).filter((n): n is number => n !== undefined);
    return {
      name: spec.name,
      pods_measured: podCounts?.get(spec.name) ?? samples.length,
      cpu: sizeOne(spec.requests.cpu, spec.limits.cpu, values('cpu', cpuCores), cpuCores, formatCpu, roundCpu),
      memory: sizeOne(spec.requests.memory, spec.limits.memory, values('memory', memoryBytes), memoryBytes, formatMemory, roundMemory),
    };
  });
}

/** One word for the workload: the most pressing verdict among its containers (under-provisioning first). */
export function overallVerdict(containers: ContainerSizing[]): Verdict {
  const all = containers.flatMap((c) => [c.cpu.verdict, c.memory.verdict]);
  for (const verdict of ['near_limit', 'under_provisioned', 'no_request', 'over_provisioned', 'fits'] as const) {
    if (all.includes(verdict)) return verdict;
  }
  return 'no_usage';
}
