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
export { type Access, COMMANDS, type CommandNode, type Shorts } from './command-tree.ts';

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
