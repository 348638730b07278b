/** The settings of the `kubectl` tool (`KUBECTL_*`, `KUBECONFIG_*`), read by `loadConfig`. */
import { type Env, flag, integer, ConfigError } from './setting-values.ts';

/** How the `kubectl` tool runs kubectl (see src/kubectl/). */
export interface KubectlSettings {
  /** Absolute path of the kubectl binary (`KUBECTL_PATH`, default `/opt/bin/kubectl`, where the FC layer puts it). */
  path: string;
  /** Ask ACK for the kubeconfig of the cluster's internal endpoint (`KUBECONFIG_PRIVATE_IP`: functions in the cluster's VPC). */
  privateIp: boolean;
  /** `TemporaryDurationMinutes` of the kubeconfigs requested from ACK (`KUBECONFIG_TTL_MINUTES`, 15-4320, default 60). */
  kubeconfigMinutes: number;
  /** Let kubectl read Secrets (`KUBECTL_ALLOW_SECRETS`, default false); the proxy masks their values before kubectl sees them. */
  allowSecrets: boolean;
  /** Allow `kubectl exec` in read-write mode (`KUBECTL_ALLOW_EXEC`, default false). */
  allowExec: boolean;
  /** Bytes of kubectl output shown to the agent (`KUBECTL_MAX_OUTPUT_BYTES`, 256-23000, default 20000). */
  maxOutputBytes: number;
  /** Deadline of a call when the agent gives none (`KUBECTL_DEFAULT_TIMEOUT_SECONDS`, default 30). */
  defaultTimeoutSeconds: number;
  /** Upper bound of `timeout_seconds` (`KUBECTL_MAX_TIMEOUT_SECONDS`, 1-120, default 120); keep it below the function's timeout. */
  maxTimeoutSeconds: number;
  /** kubectl processes run at once (`KUBECTL_MAX_CONCURRENT`, 1-32, default 4; ~45 MB each); further calls queue. */
  maxConcurrent: number;
  /**
   * MB of data (heap) each kubectl may map (`KUBECTL_MAX_MEMORY_MB`, 64-16384; default {@link defaultKubectlMemoryMb}:
   * 128 on a 512 MB instance running 4); kubectl is killed past it (see kubectl/resource-limits.ts).
   */
  maxMemoryMb: number;
  /** CPU seconds (user + system) each kubectl may use (`KUBECTL_MAX_CPU_SECONDS`, 1-3600, default 30); killed past it. */
  maxCpuSeconds: number;
}

/** What node itself needs of an instance's memory at peak (~150 MB measured by `npm run bench`), with some room. */
const NODE_RESERVE_MB = 160;
/** What kubectl maps for its data before it does anything (~52 MB, mostly untouched), beside its share of the instance. */
const KUBECTL_BASE_DATA_MB = 40;

/**
 * The default memory budget of one kubectl: its own start-up mapping plus an equal share, among `maxConcurrent`
 * kubectls, of the instance's memory left after node. The instance's memory is FC's `FC_FUNCTION_MEMORY_SIZE` (MB),
 * else 512. 512 MB and 4 kubectls: 40 + (512 - 160) / 4 = 128 MB.
 */
export function defaultKubectlMemoryMb(instanceMb: number, maxConcurrent: number): number {
  return Math.max(64, KUBECTL_BASE_DATA_MB + Math.floor(Math.max(0, instanceMb - NODE_RESERVE_MB) / maxConcurrent));
}

export function parseKubectlSettings(env: Env): KubectlSettings {
  const path = env.KUBECTL_PATH?.trim() || '/opt/bin/kubectl';
  if (!path.startsWith('/'))
    throw new ConfigError(`KUBECTL_PATH must be an absolute path (kubectl is never looked up on PATH); got "${path}".`);
  const maxTimeoutSeconds = integer(env, 'KUBECTL_MAX_TIMEOUT_SECONDS', 120, 1, 120);
  const maxConcurrent = integer(env, 'KUBECTL_MAX_CONCURRENT', 4, 1, 32);
  // Set by FC (the function's memory in MB); anything else means "not on FC": size for FC's default of 512.
  const fcMemory = Number(env.FC_FUNCTION_MEMORY_SIZE?.trim());
  const instanceMb = Number.isInteger(fcMemory) && fcMemory >= 128 ? fcMemory : 512;
  return {
    path,
    privateIp: flag(env, 'KUBECONFIG_PRIVATE_IP'),
    kubeconfigMinutes: integer(env, 'KUBECONFIG_TTL_MINUTES', 60, 15, 4320),
    allowSecrets: flag(env, 'KUBECTL_ALLOW_SECRETS'),
    allowExec: flag(env, 'KUBECTL_ALLOW_EXEC'),
    // The answer's text is cut at 24,000 characters by the server; stay below so kubectl's own marker survives.
    maxOutputBytes: integer(env, 'KUBECTL_MAX_OUTPUT_BYTES', 20_000, 256, 23_000),
    defaultTimeoutSeconds: integer(env, 'KUBECTL_DEFAULT_TIMEOUT_SECONDS', Math.min(30, maxTimeoutSeconds), 1, maxTimeoutSeconds),
    maxTimeoutSeconds,
    maxConcurrent,
    maxMemoryMb: integer(env, 'KUBECTL_MAX_MEMORY_MB', Math.min(16_384, defaultKubectlMemoryMb(instanceMb, maxConcurrent)), 64, 16_384),
    maxCpuSeconds: integer(env, 'KUBECTL_MAX_CPU_SECONDS', 30, 1, 3600),
  };
}
