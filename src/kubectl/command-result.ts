/**
 * What the argument policy answers (command-policy.ts): the accepted argv or a refusal written for the agent, and the
 * options it judges by. Shared by the tokeniser, the pflag reader and the command walker.
 */
import type { KubectlRule } from './command-rules.ts';

export type { KubectlRule } from './command-rules.ts';

export type KubectlMode = 'read-only' | 'read-write';

export interface KubectlPolicyOptions {
  mode: KubectlMode;
  /** Allow `kubectl exec` (read-write mode only; never interactive). Default false. */
  allowExec?: boolean;
  /** Whether the caller supplied a manifest to feed on stdin for `-f -`. */
  hasManifest: boolean;
}

export interface KubectlCommandAccepted {
  ok: true;
  /** Exactly the tokens that were checked: spawn `kubectl` with these (then the server's own flags). */
  args: readonly string[];
  /** Resolved command path, e.g. `get`, `rollout status`, `create deployment`, `auth can-i`. */
  subcommand: string;
  /** `read` needs only read access; `write` changes the cluster; `exec` runs a command in a container. */
  access: 'read' | 'write' | 'exec';
  /** True when the command reads the manifest from stdin (`-f -`): pipe the manifest to kubectl. */
  readsManifest: boolean;
}

export interface KubectlCommandRefused {
  ok: false;
  rule: KubectlRule;
  /** What was wrong and what to do instead, written for the agent. */
  message: string;
}

export type KubectlCommandResult = KubectlCommandAccepted | KubectlCommandRefused;

export const refuse = (rule: KubectlRule, message: string): KubectlCommandRefused => ({ ok: false, rule, message });
