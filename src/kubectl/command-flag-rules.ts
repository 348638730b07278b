/**
 * The flag tables of the kubectl argument policy (rules 2, 4, 5, 6): global short flags, and the long flags refused
 * under each rule with the advice the agent gets. Data only; `command-flags.ts` applies them.
 */
import type { Shorts } from './command-rules.ts';

/** Global flags (every command): short letters and long arities. */
export const GLOBAL_SHORTS: Shorts = {
  n: { long: 'namespace', value: true },
  s: { long: 'server', value: true },
  v: { long: 'v', value: true },
  h: { long: 'help', value: false },
};

export const TARGET_FLAGS = new Set([
  'server',
  'kubeconfig',
  'context',
  'cluster',
  'user',
  'token',
  'username',
  'password',
  'certificate-authority',
  'client-certificate',
  'client-key',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'insecure-skip-tls-verify-backend', // logs: skip verifying the kubelet the logs come from
  'as',
  'as-group',
  'as-uid',
  'as-user-extra',
]);
export const FILE_WRITE_FLAGS = new Set([
  'cache-dir',
  'log-file',
  'log-dir',
  'log-file-max-size',
  'profile',
  'profile-output',
  'kuberc',
  'output-directory',
]);
export const LOCAL_FILE_FLAGS: Record<string, string> = {
  kustomize: 'Render the manifests yourself and pass them in `manifest` with `-f -`.',
  recursive: 'Pass the manifests in `manifest` with `-f -`.',
  'from-file': 'Use `--from-literal=key=value`, or pass a full manifest with `apply -f -`.',
  'from-env-file': 'Use `--from-literal=key=value`, or pass a full manifest with `apply -f -`.',
  cert: 'Pass a Secret manifest (type kubernetes.io/tls) with `apply -f -` instead.',
  key: 'Pass a Secret manifest (type kubernetes.io/tls) with `apply -f -` instead.',
  'patch-file': 'Pass the patch inline: `-p \'{"spec":{...}}\'` (with `--type=json|merge|strategic`).',
  raw: 'Arbitrary API paths are not available. Use `get <kind>` with -o json/yaml.',
  'template-file': 'Use `-o jsonpath=...` or `-o go-template=...` inline.',
};
/** Flags refused under rule 6 unless explicitly false (`--stdin=false`): long name → what to do instead. */
export const INTERACTIVE_FLAGS: Record<string, string> = {
  stdin: 'Interactive sessions are not available; run a single non-interactive command: `exec <pod> -- <cmd>`.',
  tty: 'Interactive sessions are not available; run a single non-interactive command: `exec <pod> -- <cmd>`.',
  interactive: 'Confirmation prompts are not available; name exactly what to delete.',
  edit: 'Editors are not available; pass the final manifest with `-f -`.',
  attach: 'Attaching is not available.',
  rm: 'It deletes the pod once an attached session ends, and attaching is not available. Create pods with `apply -f -` and remove them with `delete`.',
  overrides: 'Pod overrides are not available; pass a full manifest with `apply -f -`.',
  privileged:
    'This server enforces the Kubernetes Pod Security Standards "baseline" profile on every pod it creates (no privileged containers, host namespaces or hostPath); where the operator allows privileged workloads (KUBECTL_ALLOW_PRIVILEGED=true), pass a full manifest with `apply -f -`.',
};
export const FALSE_VALUES = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);
