/**
 * The `kubectl` tool: kubectl against any ACK cluster by id, as the caller, holding no credential itself
 * (docs/kubectl-safety.md). Read-write deployments list the full tool; read-only ones list a read-only
 * variant of the same name, whose writes are refused by the argument policy and again by the proxy.
 */
import { z } from 'zod';
import type { KubectlSettings } from '../../config.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { parseKubectlCommand } from '../../kubectl/command-policy.ts';
import { discoveryCacheKey, executeKubectl, kubectlPoolKey, warmKubectlProxy } from '../../kubectl/execute.ts';
import { NARROWING_HINT } from '../../kubectl/output-filter.ts';
import { truncationMarker } from '../../text.ts';
import { findPrlimit } from '../../kubectl/resource-limits.ts';
import { commandsAtOnce, SlotWaitEnded, slotWaitNote, type SlotGrant } from '../../kubectl/run-slots.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, type ToolAnswer } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import type { ToolContext } from '../tool-context.ts';
import { clusterUpstream, forgetClusterUpstream, loadKubeconfigParser } from './kubectl.api.ts';

const MAX_MANIFEST_CHARS = 512 * 1024;

const input = {
  cluster_id: clusterIdArg,
  command: z
    .string()
    .min(1)
    .max(4096)
    .describe(
      'kubectl arguments as one string, with or without a leading "kubectl", e.g. "get pods -n kube-system -o wide". No shell: no pipes, redirects or variables.',
    ),
  manifest: z
    .string()
    .min(1)
    .max(MAX_MANIFEST_CHARS)
    .optional()
    .describe('YAML or JSON fed to kubectl on stdin; use it with "-f -", e.g. command "apply -f -"'),
  timeout_seconds: z.number().int().min(1).max(120).optional().describe('Deadline for the whole call, 1-120 seconds (default 30)'),
  region: regionArg.optional(),
};

const output = {
  cluster_id: z.string(),
  /** The arguments kubectl ran with (the server's own flags not shown). */
  command: z.string(),
  exit_code: z.number(),
  /** kubectl's stdout: Secret values, last-applied annotations and credentials masked; cut at the server's limit. */
  output: z.string(),
  /** kubectl's stderr (warnings, "No resources found"). */
  messages: z.string(),
  truncated: z.boolean(),
  omitted_bytes: z.number(),
};

type Args = z.output<z.ZodObject<typeof input>>;
type Out = z.input<z.ZodObject<typeof output>>;

const TIMEOUT_PATTERN = /Client\.Timeout exceeded|context deadline exceeded|i\/o timeout|unable to return a response in the time allotted/;

/** The API server's own RBAC refusal (not this server's policy): `… is forbidden: User "<name>" cannot <verb> resource …`. */
const RBAC_REFUSAL = /\(Forbidden\): .* is forbidden: User ".*" cannot /;
const RBAC_HINT =
  "The cluster's Kubernetes RBAC refused this for the identity this server acts as (the user named above); the refused request changed nothing. " +
  "Ask the cluster's administrator to grant that RAM user or role an ACK RBAC role that covers it (README: Kubernetes RBAC), " +
  'or stay within what it may do: `auth can-i <verb> <resource> -n <namespace>` checks one permission.';

/** A slot to run kubectl in, waiting in order (within the call's deadline) when all are busy. */
async function takeSlot(ctx: ToolContext, settings: KubectlSettings, deadline: number, timeoutSeconds: number): Promise<SlotGrant> {
  const limit = settings.maxConcurrent;
  try {
    return await ctx.services.kubectlRunSlots.acquire({
      limit,
      deadline,
      signal: ctx.signal,
      onQueued: (ahead) => {
        void ctx.progress(
          0,
          undefined,
          `Waiting for a free kubectl slot (${ahead} call${ahead === 1 ? '' : 's'} ahead): this server runs ${commandsAtOnce(limit)}.`,
        );
      },
    });
  } catch (error) {
    if (!(error instanceof SlotWaitEnded)) throw error;
    ctx.note({ kubectlQueuedMs: Math.round(error.waitedMs) });
    if (error.reason === 'aborted')
      throw new ToolFailure('Cancelled', 'The call was cancelled while it waited for a free kubectl slot. Nothing was run.');
    throw new ToolFailure(
      'KubectlBusy',
      `No kubectl slot came free within ${timeoutSeconds} s: this server runs ${commandsAtOnce(limit)} and all were busy. Nothing was run.`,
      {
        hint: 'Call again, run fewer kubectl commands at the same time, or raise timeout_seconds.',
        retryable: true,
      },
    );
  }
}

async function runKubectlTool(args: Args, ctx: ToolContext): Promise<ToolAnswer<Out>> {
  const started = performance.now();
  const settings = ctx.config.kubectl;
  const hasManifest = args.manifest !== undefined;
  const parsed = parseKubectlCommand(args.command, { mode: ctx.accessMode, allowExec: settings.allowExec, hasManifest });
  if (!parsed.ok) throw new ToolFailure('KubectlCommandRefused', `${parsed.message} Nothing was run.`);
  if (hasManifest && !parsed.readsManifest) {
    throw new ToolFailure(
      'KubectlCommandRefused',
      'A manifest was given but the command does not read it: add `-f -` (e.g. `apply -f -`) or drop `manifest`. Nothing was run.',
    );
  }
  const timeoutSeconds = Math.min(args.timeout_seconds ?? settings.defaultTimeoutSeconds, settings.maxTimeoutSeconds);
  const deadline = started + timeoutSeconds * 1000;
  const cluster = ctx.forCluster(args);
  ctx.note({ kubectl: parsed.subcommand });

  // A process's first call: the proxy starts (its certificate, its listener) while the call is prepared.
  warmKubectlProxy(ctx.services.kubectlProxy());
  const { identityKey } = await ctx.credentials();
  const policy = {
    mode: ctx.accessMode,
    allowSecrets: settings.allowSecrets,
    allowExec: settings.allowExec,
    allowPrivileged: settings.allowPrivileged,
  };
  const audit = {
    cluster: args.cluster_id,
    identity: identityKey.slice(0, 12),
    ...(ctx.user ? { user: { sub: ctx.user.subject, ...(ctx.user.name ? { name: ctx.user.name } : {}) } } : {}),
  };
  // The kubeconfig is fetched (or read from the cache) once kubectl has been started: kubectl's start overlaps it, its
  // requests wait in the proxy for the grant, and a failed fetch stops it and is this call's error.
  const grant = async () => {
    const fetching = clusterUpstream(ctx, cluster);
    loadKubeconfigParser().catch(() => undefined); // a process's first call: loaded while the kubeconfig is fetched
    const upstream = await fetching;
    return { upstream, policy, poolKey: kubectlPoolKey(identityKey, args.cluster_id, upstream.server), audit };
  };
  const slot = await takeSlot(ctx, settings, deadline, timeoutSeconds);
  let run: Awaited<ReturnType<typeof executeKubectl>>;
  try {
    run = await executeKubectl({
      kubectlPath: settings.path,
      args: parsed.args,
      manifest: parsed.readsManifest ? args.manifest : undefined,
      // What is left of the call's deadline (a wait for the slot counts).
      timeoutSeconds: Math.max(0.001, (deadline - performance.now()) / 1000),
      maxOutputBytes: settings.maxOutputBytes,
      signal: ctx.signal,
      limits: { memoryMb: settings.maxMemoryMb, cpuSeconds: settings.maxCpuSeconds, prlimitPath: findPrlimit() },
      grant,
      cacheKey: discoveryCacheKey(identityKey, args.cluster_id),
      proxy: await ctx.services.kubectlProxy(),
    });
  } finally {
    slot.release();
  }
  ctx.note({
    kubectlExit: run.exitCode ?? undefined,
    kubectlApiRequests: run.upstreamRequests,
    kubectlRefusedRequests: run.refusedRequests || undefined,
    kubectlMs: run.durationMs,
    kubectlPeakMb: Math.round(run.usage.peakRssMb) || undefined,
    kubectlLimit: run.limitExceeded,
    kubectlQueuedMs: slot.waitedMs ? Math.round(slot.waitedMs) : undefined,
  });

  const writes = parsed.access !== 'read';
  const stderr = run.stderr.trim();
  const unknownOutcome = writes ? ' It may or may not have changed the cluster: check with get or describe before repeating it.' : '';
  if (run.spawnError) {
    throw new ToolFailure('KubectlUnavailable', `kubectl could not be started on this server (${run.spawnError}).`, {
      hint: 'The operator must provide kubectl at KUBECTL_PATH (the Function Compute layer installs it at /opt/bin/kubectl).',
    });
  }
  if (run.aborted) throw new ToolFailure('Cancelled', `The call was cancelled and kubectl was stopped.${unknownOutcome}`);
  if (run.limitExceeded === 'memory') {
    throw new ToolFailure(
      'KubectlMemoryLimit',
      `kubectl needed more than its memory budget of ${settings.maxMemoryMb} MB and was stopped; nothing it printed is shown.${unknownOutcome}`,
      {
        hint: `Narrow the command (-n, -l, --field-selector, -o name or custom-columns; a template that builds large strings does this), or ask the operator to raise KUBECTL_MAX_MEMORY_MB (each of the KUBECTL_MAX_CONCURRENT kubectl processes may use that much).`,
      },
    );
  }
  if (run.limitExceeded === 'cpu') {
    throw new ToolFailure(
      'KubectlCpuLimit',
      `kubectl used its CPU-time budget of ${settings.maxCpuSeconds} s and was stopped; nothing it printed is shown.${unknownOutcome}`,
      {
        hint: 'Narrow the command (-n, -l, --field-selector; a template that loops does this), or ask the operator to raise KUBECTL_MAX_CPU_SECONDS.',
      },
    );
  }
  if (run.timedOut || (run.exitCode !== 0 && TIMEOUT_PATTERN.test(stderr))) {
    throw new ToolFailure(
      'KubectlTimeout',
      `kubectl did not finish within ${timeoutSeconds} s and was stopped.${unknownOutcome}${stderr ? `\nkubectl said:\n${stderr}` : ''}`,
      {
        hint: `The cluster's API server may be slow or unreachable. Narrow the query or raise timeout_seconds (at most ${settings.maxTimeoutSeconds}).`,
      },
    );
  }
  // `auth can-i` answers "no" with exit code 1: an answer, not a failure.
  const answeredNo = parsed.subcommand === 'auth can-i' && run.exitCode === 1 && /^no\b/.test(run.stdout.trim());
  if (run.exitCode !== 0 && !answeredNo) {
    if (/\(Unauthorized\)/.test(stderr)) await forgetClusterUpstream(ctx, args.cluster_id);
    const partial = run.stdout.trim() ? `\nOutput before the failure:\n${run.stdout}` : '';
    throw new ToolFailure(
      'KubectlFailed',
      `kubectl exited with code ${run.exitCode ?? 'unknown'}:\n${stderr || '(no error output)'}${partial}`,
      {
        hint: run.refusedRequests
          ? "This server's kubectl policy refused a request (see above); the refused request changed nothing."
          : RBAC_REFUSAL.test(stderr)
            ? RBAC_HINT
            : 'Fix the command as kubectl says; `explain <kind>` and `api-resources` show what exists.',
      },
    );
  }
  const truncated = run.stdoutDropped > 0;
  const shown = run.stdout + (truncated ? `\n${truncationMarker(run.stdoutDropped, 'bytes', NARROWING_HINT)}\n` : '');
  const text = [shown.trimEnd(), stderr].filter(Boolean).join('\n') || '(kubectl printed nothing)';
  const waited = slotWaitNote(slot.waitedMs, settings.maxConcurrent);
  return {
    structured: {
      cluster_id: args.cluster_id,
      command: parsed.args.join(' '),
      exit_code: answeredNo ? 1 : 0,
      output: run.stdout,
      messages: stderr,
      truncated,
      omitted_bytes: run.stdoutDropped,
    },
    text: waited ? `${text}\n${waited}` : text,
  };
}

const SAFETY =
  'kubectl runs as the caller, through a proxy on this server that holds the credential and enforces the policy: ' +
  'no shell (one command per call, no pipes), no local files or URLs, no --server/--token/--kubeconfig/--context or impersonation flags, ' +
  'no edit/port-forward/proxy/attach/cp/debug/config, no -w or logs -f (use --tail/--since). Secret values are masked or refused. ' +
  'Output is cut at a size limit: narrow with -n, -l, --field-selector, -o custom-columns, --tail.';

/**
 * kubectl's rights inside the cluster come from the ACK RBAC bound to the identity (README, Kubernetes RBAC); RAM only
 * lets it fetch the kubeconfig. In read-only mode the server runs only the read-only variant.
 */
const RAM_ACTIONS = [CLUSTER_REGION, 'cs:DescribeClusterUserKubeconfig'];

const kubectlReadOnly = defineTool({
  name: 'kubectl',
  title: 'kubectl (read-only)',
  description:
    'Run a read-only kubectl command against an ACK cluster by id, e.g. "get pods -A", "describe pod <name> -n <ns>", ' +
    '"logs <pod> --tail=100", "events -n <ns>", "top nodes", "auth can-i list pods". This server is read-only: commands that ' +
    `change the cluster are refused. ${SAFETY}`,
  input,
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  toolsets: ['kubectl'],
  ramActions: RAM_ACTIONS,
  run: runKubectlTool,
});

export const kubectlTool = defineTool({
  name: 'kubectl',
  title: 'kubectl',
  description:
    'Run a kubectl command against an ACK cluster by id: reads ("get pods -A", "describe", "logs <pod> --tail=100", "events") and ' +
    'writes ("apply -f -" with `manifest`, "scale deployment/<name> --replicas=3", "rollout restart", "delete", "cordon"). ' +
    'Pods and pod templates written must meet the Kubernetes Pod Security Standards baseline profile (no privileged containers, ' +
    'host namespaces, hostPath volumes or host ports) unless the operator allows privileged workloads. ' +
    SAFETY,
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  toolsets: ['kubectl'],
  ramActions: RAM_ACTIONS,
  readOnlyVariant: kubectlReadOnly,
  run: runKubectlTool,
});

export const kubectlTools = [kubectlTool];
