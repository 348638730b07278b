/**
 * The rule tables of the kubectl argument policy (command-policy.ts): which subcommands exist and with what access,
 * their short flags and the long flags whose arity we know, and the flags refused under rules 4–6 with the advice the
 * agent gets. Data only; the validator that applies them is `parseKubectlCommand`.
 */

/** Identifiers of the rules a command can be refused under. */
export type KubectlRule =
  | 'syntax' // rule 1: empty, unbalanced quotes, control characters
  | 'shell' // rule 1: shell metacharacters
  | 'flag-syntax' // rule 2: malformed, unknown or ambiguous flags
  | 'subcommand' // rule 3: not on the allow-list (plugin dispatch)
  | 'target' // rule 4: cluster / credential / impersonation flags
  | 'file-write' // rule 4: flags that make kubectl write files
  | 'verbosity' // rule 4: -v above 4, --vmodule
  | 'local-file' // rule 5: files, URLs, kustomize, --raw
  | 'interactive' // rule 6: interactive subcommands and flags
  | 'unbounded' // rule 6: follow / watch
  | 'mode' // rule 9: writes in read-only mode
  | 'exec'; // rule 9: exec not allowed

/**
 * Long flags whose arity is certain, per command level (kubectl 1.33): `true` takes a value (`--flag value`),
 * `false` does not (bool, or a value only with `=`, such as `--dry-run`). Used where arity decides structure: while
 * the subcommand is still being found (cobra skips a flag's value there) and just before `--`.
 */
export const GLOBAL_LONG: Record<string, boolean> = {
  namespace: true,
  'request-timeout': true,
  v: true,
  vmodule: true,
  'log-flush-frequency': true,
  'warnings-as-errors': false,
  'match-server-version': false,
  'disable-compression': false,
  help: false,
};
const CREATE_LONG: Record<string, boolean> = {
  filename: true,
  kustomize: true,
  output: true,
  selector: true,
  template: true,
  'field-manager': true,
  raw: true,
  recursive: false,
  'dry-run': false,
  validate: false,
  'save-config': false,
  'show-managed-fields': false,
  'allow-missing-template-keys': false,
  edit: false,
  'windows-line-endings': false,
};
const APPLY_LONG: Record<string, boolean> = {
  filename: true,
  kustomize: true,
  output: true,
  selector: true,
  template: true,
  'field-manager': true,
  'grace-period': true,
  'prune-allowlist': true,
  subresource: true,
  timeout: true,
  all: false,
  'allow-missing-template-keys': false,
  cascade: false,
  'dry-run': false,
  force: false,
  'force-conflicts': false,
  'openapi-patch': false,
  overwrite: false,
  prune: false,
  recursive: false,
  'server-side': false,
  'show-managed-fields': false,
  validate: false,
  wait: false,
};
const EXEC_LONG: Record<string, boolean> = {
  container: true,
  filename: true,
  'pod-running-timeout': true,
  quiet: false,
  stdin: false,
  tty: false,
};

// ---------------------------------------------------------------------------------------------------------------
// Commands (rules 3, 6, 9)

export type Access = 'read' | 'write' | 'exec';
/** Short flag letter → long name and whether it takes a value (pflag semantics; bools take none). */
export type Shorts = Record<string, { long: string; value: boolean }>;

export interface CommandNode {
  access?: Access; // undefined: a group that needs a child
  shorts: Shorts;
  /** Own long flags with certain arity (see GLOBAL_LONG), where structure depends on them. */
  longs?: Record<string, boolean>;
  children?: Record<string, CommandNode>;
  /** Children kubectl has that we refuse, with the reason (rule id + advice). */
  refusedChildren?: Record<string, { rule: KubectlRule; advice: string }>;
  /** May run without a child (e.g. `create -f -`, `cluster-info`). */
  childOptional?: boolean;
  /** Flags refused elsewhere that mean something harmless on this command (`explain --recursive`). */
  allows?: readonly string[];
  /**
   * Its long flags that take no value (bools), as `kubectl <command> --help` lists them (kubectl 1.33; compared with
   * the binary by test/e2e/kubectl.arguments.test.ts). Any other flag may take a value, so it cannot end a command.
   */
  switches?: readonly string[];
}

const S = {
  A: { long: 'all-namespaces', value: false },
  f: { long: 'filename', value: true },
  k: { long: 'kustomize', value: true },
  L: { long: 'label-columns', value: true },
  o: { long: 'output', value: true },
  R: { long: 'recursive', value: false },
  l: { long: 'selector', value: true },
  w: { long: 'watch', value: false },
  c: { long: 'container', value: true },
  q: { long: 'quiet', value: false },
} as const;
const FKORL: Shorts = { f: S.f, k: S.k, o: S.o, R: S.R, l: S.l };

const leaf = (access: Access, shorts: Shorts = {}, switches: readonly string[] = []): CommandNode => ({ access, shorts, switches });

/** Switches of the commands that print objects (`-o`) and of those that change them. */
const PRINTS = ['allow-missing-template-keys', 'show-managed-fields'];
const CHANGES = [...PRINTS, 'all', 'local', 'recursive'];
const CREATES = [...PRINTS, 'save-config'];

const createChild = (extra: Shorts = {}, switches: readonly string[] = CREATES): CommandNode =>
  leaf('write', { o: S.o, ...extra }, switches);
const createChildren: Record<string, CommandNode> = {};
for (const names of [
  ['deployment', 'deploy'],
  ['namespace', 'ns'],
  ['serviceaccount', 'sa'],
  ['role'],
  ['rolebinding'],
  ['clusterrole'],
  ['clusterrolebinding'],
  ['job'],
  ['cronjob', 'cj'],
  ['quota', 'resourcequota'],
  ['poddisruptionbudget', 'pdb'],
  ['ingress', 'ing'],
]) {
  const node = createChild(names[0] === 'deployment' ? { r: { long: 'replicas', value: true } } : {});
  for (const name of names) createChildren[name] = node;
}
const serviceKinds = { clusterip: createChild(), nodeport: createChild(), loadbalancer: createChild(), externalname: createChild() };
createChildren.service = createChildren.svc = { shorts: {}, children: serviceKinds };
createChildren.configmap = createChildren.cm = createChild({}, [...CREATES, 'append-hash']);
createChildren.priorityclass = createChildren.pc = createChild({}, [...CREATES, 'global-default']);
const secretChild = () => createChild({}, [...CREATES, 'append-hash']);
createChildren.secret = {
  shorts: {},
  children: { generic: secretChild(), 'docker-registry': secretChild(), tls: secretChild() },
};

const TOP_POD = ['all-namespaces', 'containers', 'no-headers', 'sum', 'use-protocol-buffers'];
const TOP_NODE = ['no-headers', 'show-capacity', 'use-protocol-buffers'];
const LABELS = [...CHANGES, 'all-namespaces', 'list', 'overwrite'];

export const COMMANDS: Record<string, CommandNode> = {
  // read
  get: leaf('read', { A: S.A, f: S.f, k: S.k, L: S.L, o: S.o, R: S.R, l: S.l, w: S.w }, [
    ...PRINTS,
    'all-namespaces',
    'ignore-not-found',
    'no-headers',
    'output-watch-events',
    'recursive',
    'server-print',
    'show-kind',
    'show-labels',
    'watch',
    'watch-only',
  ]),
  describe: leaf('read', { A: S.A, f: S.f, k: S.k, R: S.R, l: S.l }, ['all-namespaces', 'recursive', 'show-events']),
  explain: {
    ...leaf('read', { o: S.o }, ['recursive']),
    longs: { recursive: false, 'api-version': true, output: true },
    allows: ['recursive'],
  },
  logs: leaf('read', { c: S.c, f: { long: 'follow', value: false }, p: { long: 'previous', value: false }, l: S.l }, [
    'all-containers',
    'all-pods',
    'follow',
    'ignore-errors',
    'insecure-skip-tls-verify-backend',
    'prefix',
    'previous',
    'timestamps',
  ]),
  events: leaf('read', { A: S.A, o: S.o, w: S.w }, [...PRINTS, 'all-namespaces', 'no-headers', 'watch']),
  'api-resources': leaf('read', { o: S.o }, ['cached', 'namespaced', 'no-headers']),
  'api-versions': leaf('read'),
  version: leaf('read', { o: S.o }, ['client']),
  top: {
    shorts: {},
    children: {
      pod: leaf('read', { A: S.A, l: S.l }, TOP_POD),
      pods: leaf('read', { A: S.A, l: S.l }, TOP_POD),
      po: leaf('read', { A: S.A, l: S.l }, TOP_POD),
      node: leaf('read', { l: S.l }, TOP_NODE),
      nodes: leaf('read', { l: S.l }, TOP_NODE),
      no: leaf('read', { l: S.l }, TOP_NODE),
    },
  },
  'cluster-info': {
    access: 'read',
    shorts: {},
    childOptional: true,
    children: {},
    refusedChildren: {
      dump: {
        rule: 'interactive',
        advice: 'It dumps the whole cluster and can write files. Use `get` or `describe` on the objects you need, or `events -A`.',
      },
    },
  },
  auth: {
    shorts: {},
    children: {
      'can-i': leaf('read', { A: S.A, q: S.q }, ['all-namespaces', 'list', 'no-headers', 'quiet']),
      whoami: leaf('read', { o: S.o }, PRINTS),
    },
    refusedChildren: { reconcile: { rule: 'subcommand', advice: 'Apply RBAC objects with `apply -f -` and a manifest instead.' } },
  },
  rollout: {
    shorts: {},
    children: {
      status: leaf('read', { f: S.f, k: S.k, R: S.R, l: S.l, w: S.w }, ['recursive', 'watch']),
      history: leaf('read', FKORL, [...PRINTS, 'recursive']),
      restart: leaf('write', FKORL, [...PRINTS, 'recursive']),
      undo: leaf('write', FKORL, [...PRINTS, 'recursive']),
    },
    refusedChildren: {
      pause: { rule: 'subcommand', advice: 'Only `rollout status|history|restart|undo` are available.' },
      resume: { rule: 'subcommand', advice: 'Only `rollout status|history|restart|undo` are available.' },
    },
  },
  // write
  apply: {
    access: 'write',
    shorts: FKORL,
    longs: APPLY_LONG,
    switches: [
      ...CHANGES.filter((name) => name !== 'local'),
      'force',
      'force-conflicts',
      'openapi-patch',
      'overwrite',
      'prune',
      'server-side',
      'wait',
    ],
    childOptional: true,
    children: {},
    refusedChildren: {
      'view-last-applied': {
        rule: 'subcommand',
        advice: 'It prints the last-applied annotation, which can hold Secret plaintext. Use `get <kind> <name> -o yaml`.',
      },
      'edit-last-applied': { rule: 'interactive', advice: 'It opens an editor. Use `apply -f -` with a manifest.' },
      'set-last-applied': { rule: 'subcommand', advice: 'Use `apply -f -` with a manifest.' },
    },
  },
  create: {
    access: 'write',
    shorts: FKORL,
    longs: CREATE_LONG,
    switches: [...CREATES, 'edit', 'recursive', 'windows-line-endings'],
    childOptional: true,
    children: createChildren,
    refusedChildren: {
      token: { rule: 'interactive', advice: 'It mints a service-account token, a credential this tool never hands out.' },
    },
  },
  patch: leaf('write', { f: S.f, k: S.k, o: S.o, p: { long: 'patch', value: true }, R: S.R }, [...PRINTS, 'local', 'recursive']),
  label: leaf('write', { A: S.A, ...FKORL }, LABELS),
  annotate: leaf('write', { A: S.A, ...FKORL }, LABELS),
  scale: leaf('write', FKORL, [...PRINTS, 'all', 'recursive']),
  set: {
    shorts: {},
    children: {
      image: leaf('write', FKORL, CHANGES),
      env: leaf('write', { ...FKORL, c: { long: 'containers', value: true }, e: { long: 'env', value: true } }, [
        ...CHANGES,
        'list',
        'overwrite',
        'resolve',
      ]),
      resources: leaf('write', { ...FKORL, c: { long: 'containers', value: true } }, CHANGES),
      selector: leaf('write', FKORL, CHANGES),
      serviceaccount: leaf('write', FKORL, CHANGES),
      sa: leaf('write', FKORL, CHANGES),
      subject: leaf('write', FKORL, CHANGES),
    },
  },
  cordon: leaf('write', { l: S.l }),
  uncordon: leaf('write', { l: S.l }),
  drain: leaf('write', { l: S.l }, ['delete-emptydir-data', 'disable-eviction', 'force', 'ignore-daemonsets']),
  taint: leaf('write', { o: S.o, l: S.l }, [...PRINTS, 'all', 'overwrite']),
  delete: leaf('write', { A: S.A, ...FKORL, i: { long: 'interactive', value: false } }, [
    'all',
    'all-namespaces',
    'force',
    'ignore-not-found',
    'interactive',
    'now',
    'recursive',
    'wait',
  ]),
  exec: {
    ...leaf('exec', { c: S.c, f: S.f, q: S.q, i: { long: 'stdin', value: false }, t: { long: 'tty', value: false } }, [
      'quiet',
      'stdin',
      'tty',
    ]),
    longs: EXEC_LONG,
  },
};

/** Built-in subcommands refused by rule 6 (interactive or unbounded), with what to do instead. */
export const INTERACTIVE_COMMANDS: Record<string, string> = {
  edit: 'It opens an editor. Use `patch` or `apply -f -` with a manifest.',
  attach: 'It attaches to a running container. Use `logs` (with --tail) instead.',
  'port-forward': 'It holds a connection open. Not available through this tool.',
  proxy: 'It runs a local API proxy that never exits. Read through this tool instead: `get`, `describe`, `api-resources`.',
  cp: 'It copies local files. Not available through this tool.',
  debug: 'It starts an interactive debug container. Use `describe`, `logs --previous` and `events`.',
  config:
    'The server chooses the cluster and the identity; kubeconfig is never shown. Pass a different cluster_id to target another cluster.',
  plugin: 'Plugins are not available.',
  kuberc: 'kuberc preferences are not available.',
  kustomize: 'It reads local files. Render manifests yourself and pass them with `apply -f -`.',
  completion: 'Shell completion is not useful here.',
  alpha: 'Alpha commands are not available.',
  run: 'Create workloads with `apply -f -` and a manifest (or `create deployment`) in read-write mode instead.',
};

/** Other built-ins that exist but are not offered. */
export const UNOFFERED_COMMANDS = new Set(['replace', 'diff', 'wait', 'expose', 'autoscale', 'certificate', 'convert', 'help', 'options']);

export const READ_LIST =
  'get, describe, explain, logs, top, events, api-resources, api-versions, version, cluster-info, auth can-i, auth whoami, rollout status, rollout history';
export const WRITE_LIST =
  'apply, create, patch, label, annotate, scale, set, rollout restart, rollout undo, cordon, uncordon, delete, drain, taint';

// ---------------------------------------------------------------------------------------------------------------
// Flags (rules 2, 4, 5, 6)

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
