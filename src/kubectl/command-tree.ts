/**
 * The kubectl command tree the argument policy walks (command-walker.ts): every offered subcommand with its access
 * (read, write, exec), its short flags and the long flags whose arity decides structure. Data only.
 */
import type { KubectlRule } from './command-rules.ts';

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
