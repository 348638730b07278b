/**
 * Argument policy for the `kubectl` tool: rules 1–6 and 9 of docs/kubectl-safety.md.
 *
 * Pure (no I/O), in four parts: the rule tables (commands, flags, advice) in command-rules.ts, the tokeniser in
 * command-tokenizer.ts, the pflag reader in command-flags.ts and the command walker in command-walker.ts. The command
 * string is tokenised exactly once; the array that was checked is the array returned in `args`, and the caller spawns
 * exactly that (with `spawn`/`execFile`, never a shell), putting its own server-controlled flags (`--kubeconfig`,
 * `--request-timeout`, ...) before them, where no flag of the caller's can take them as its value.
 *
 * Flags are read the way kubectl reads them (cobra finds the command, pflag parses the flags): `--flag=value`,
 * `--flag value`, short clusters (`-Aw`, `-nkube-system`, `-n=x`), `_` for `-` in long names. Every token before a
 * `--` terminator is inspected wherever it stands, including where a resource name is expected. Long names are
 * compared case-insensitively (kubectl would reject `--SERVER`; we refuse it outright).
 *
 * Decisions beyond the doc's letter:
 * - `logs -f` and `get/events -w` are refused (not converted): the message suggests `--tail`/`--since` or a plain get.
 * - `rollout status` is allowed as is; it waits for the rollout (bounded by the runner's deadline). Callers may add
 *   `--timeout`.
 * - `exec` needs `allowExec` and read-write mode; `-i`/`-t` are always refused. `--` is only accepted for `exec`.
 * - `run` is not offered (pods are created with `apply -f -`), nor `replace`, `diff`, `wait`, `expose`, `autoscale`.
 * - `explain --recursive` is allowed: there it prints nested fields and reads no files (elsewhere `-R` walks directories).
 * - A flag kubectl would parse with an arity we do not know, placed where the arity decides which subcommand runs
 *   (before the subcommand), whether `--` ends the flags, or whether it has a value at all (the last token), is
 *   refused as ambiguous: a value-taking flag never ends the command, so it cannot swallow what kubectl gets next.
 */
import { READ_LIST, WRITE_LIST } from './command-rules.ts';
import { refuse, type KubectlCommandResult, type KubectlPolicyOptions } from './command-result.ts';
import { tokenizeCommand } from './command-tokenizer.ts';
import { walkCommand } from './command-walker.ts';

export type {
  KubectlCommandAccepted,
  KubectlCommandRefused,
  KubectlCommandResult,
  KubectlMode,
  KubectlPolicyOptions,
  KubectlRule,
} from './command-result.ts';
export { tokenizeCommand, type TokenizeResult } from './command-tokenizer.ts';

/**
 * Validate a kubectl command string for the `kubectl` tool.
 *
 * @param command kubectl's arguments as one string, with or without a leading `kubectl`,
 *   e.g. `get pods -n kube-system -o wide`.
 * @returns `{ ok: true, args, ... }` with the exact argv to spawn (no leading `kubectl`), or
 *   `{ ok: false, rule, message }` with a message that tells the agent what to do instead.
 * @example
 * const r = parseKubectlCommand('get pods -A', { mode: 'read-only', hasManifest: false });
 * if (r.ok) spawn(kubectlPath, [`--kubeconfig=${kc}`, '--request-timeout=20s', ...r.args]);
 */
export function parseKubectlCommand(command: string, opts: KubectlPolicyOptions): KubectlCommandResult {
  const tokenized = tokenizeCommand(command);
  if (!tokenized.ok) return tokenized;
  const tokens = tokenized.tokens;
  const start = tokens[0] === 'kubectl' ? 1 : 0;
  const args = Object.freeze(tokens.slice(start));
  if (args.length === 0) {
    return refuse(
      'subcommand',
      `No kubectl subcommand given. Start with one of: ${READ_LIST}${opts.mode === 'read-write' ? `, ${WRITE_LIST}` : ''}.`,
    );
  }
  return walkCommand(args, opts);
}
