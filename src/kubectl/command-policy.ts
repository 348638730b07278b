/**
 * Argument policy for the `kubectl` tool: rules 1–6 and 9 of shared/docs/kubectl-safety.md.
 *
 * Pure (no I/O); the rule tables (commands, flags, advice) are in command-rules.ts. The command string is tokenised
 * exactly once; the array that was checked is the array returned in `args`, and the caller spawns exactly that (with
 * `spawn`/`execFile`, never a shell), putting its own server-controlled flags (`--kubeconfig`, `--request-timeout`,
 * ...) before them, where no flag of the caller's can take them as its value.
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

export type KubectlMode = 'read-only' | 'read-write';

export interface KubectlPolicyOptions {
  mode: KubectlMode;
  /** Allow `kubectl exec` (read-write mode only; never interactive). Default false. */
  allowExec?: boolean;
  /** Whether the caller supplied a manifest to feed on stdin for `-f -`. */
  hasManifest: boolean;
}

import {
  COMMANDS, FALSE_VALUES, FILE_WRITE_FLAGS, GLOBAL_LONG, GLOBAL_SHORTS, INTERACTIVE_COMMANDS, INTERACTIVE_FLAGS, LOCAL_FILE_FLAGS,
  READ_LIST, TARGET_FLAGS, UNOFFERED_COMMANDS, WRITE_LIST, type CommandNode, type KubectlRule, type Shorts,
} from './command-rules.ts';

export type { KubectlRule } from './command-rules.ts';

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

// ---------------------------------------------------------------------------------------------------------------
// Tokeniser (rule 1)

const NO_SHELL =
  'No shell is involved: the command is split into arguments and run directly, so pipes, redirects, ' +
  'command substitution, variables and command chaining do not work.';

export type TokenizeResult = { ok: true; tokens: string[] } | KubectlCommandRefused;

/**
 * Split a command the way a POSIX shell splits words (single quotes literal; double quotes with `\"`, `\\`, `\$`,
 * `` \` `` escapes; backslash escapes outside quotes), refusing anything a shell would have interpreted.
 */
export function tokenizeCommand(command: string): TokenizeResult {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let i = 0;
  const shell = (what: string): KubectlCommandRefused => ({
    ok: false,
    rule: 'shell',
    message: `Refused ${what}. ${NO_SHELL} Run one kubectl command per call and filter with kubectl itself (-l, --field-selector, -o jsonpath=..., -o custom-columns=...).`,
  });
  const expansionAt = (j: number): boolean => {
    const next = command[j + 1];
    return next !== undefined && /[({A-Za-z_0-9@*#?!$-]/.test(next);
  };
  while (i < command.length) {
    const ch = command[i]!;
    if (ch === '\n' || ch === '\r') return shell('a newline');
    if (ch !== '\t' && ch.charCodeAt(0) < 0x20) {
      return { ok: false, rule: 'syntax', message: 'Refused a control character in the command. Send plain text arguments.' };
    }
    if (ch === ' ' || ch === '\t') {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      i++;
      continue;
    }
    if (';|&<>'.includes(ch)) return shell(`the shell metacharacter "${ch}"`);
    if (ch === '`') return shell('a backtick (command substitution)');
    if (ch === '$' && expansionAt(i)) return shell(`"${command.slice(i, i + 2)}" (shell expansion)`);
    inToken = true;
    if (ch === '\\') {
      if (i + 1 >= command.length) return { ok: false, rule: 'syntax', message: 'The command ends with a lone backslash. Remove it.' };
      current += command[i + 1];
      i += 2;
      continue;
    }
    if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return { ok: false, rule: 'syntax', message: 'Unbalanced single quote. Close every quote you open.' };
      const quoted = command.slice(i + 1, end);
      if (/[\n\r]/.test(quoted)) return shell('a newline');
      current += quoted;
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      i++;
      let closed = false;
      while (i < command.length) {
        const c = command[i]!;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\n' || c === '\r') return shell('a newline');
        if (c === '`') return shell('a backtick (command substitution)');
        if (c === '$' && expansionAt(i)) return shell(`"${command.slice(i, i + 2)}" (shell expansion)`);
        if (c === '\\' && i + 1 < command.length && '"\\$`'.includes(command[i + 1]!)) {
          current += command[i + 1];
          i += 2;
          continue;
        }
        current += c;
        i++;
      }
      if (!closed) return { ok: false, rule: 'syntax', message: 'Unbalanced double quote. Close every quote you open.' };
      continue;
    }
    current += ch;
    i++;
  }
  if (inToken) tokens.push(current);
  return { ok: true, tokens };
}

const normalizeLong = (name: string): string => name.replace(/_/g, '-').toLowerCase();

// ---------------------------------------------------------------------------------------------------------------
// The validator

interface Context {
  opts: KubectlPolicyOptions;
  /** Command path so far, e.g. ['rollout', 'status']. */
  path: string[];
  node: CommandNode | undefined;
  readsManifest: boolean;
}

const refuse = (rule: KubectlRule, message: string): KubectlCommandRefused => ({ ok: false, rule, message });

/**
 * Check one flag occurrence (long name normalised, or the long name a short letter stands for).
 * `display` is how the caller wrote it, `value` the value pflag would bind (undefined for a bool without `=`).
 */
function checkFlag(ctx: Context, name: string, display: string, value: string | undefined): KubectlCommandRefused | undefined {
  const cmd = ctx.path.join(' ');
  if (TARGET_FLAGS.has(name) || name.startsWith('auth-provider')) {
    return refuse('target', `Refused ${display}: this server chooses the cluster and the identity kubectl uses. Pass cluster_id to choose the cluster and drop the flag.`);
  }
  if (FILE_WRITE_FLAGS.has(name)) {
    return refuse('file-write', `Refused ${display}: it makes kubectl write files on the server. Drop the flag.`);
  }
  if (name === 'v') {
    if (value === undefined || !/^\d+$/.test(value) || Number(value) > 4) {
      return refuse('verbosity', `Refused ${display}${value !== undefined ? ` ${value}` : ''}: verbosity is capped at -v=4 (higher levels print request and response bodies). Use -v=4 or less.`);
    }
    return undefined;
  }
  if (name === 'vmodule') return refuse('verbosity', `Refused ${display}: per-file verbosity can print request bodies. Use -v=4 or less.`);
  if (name === 'filename') {
    if (value !== '-') {
      const what = value !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? 'URLs' : 'local files';
      return refuse('local-file', `Refused ${display} ${value ?? ''}: kubectl cannot read ${what} here. Put the YAML or JSON in the \`manifest\` argument and use \`-f -\`.`);
    }
    if (!ctx.opts.hasManifest) {
      return refuse('local-file', 'Refused `-f -` without a manifest: put the YAML or JSON in the `manifest` argument, which is fed to kubectl on stdin.');
    }
    ctx.readsManifest = true;
    return undefined;
  }
  if (name === 'output' && value !== undefined) {
    const format = normalizeLong(value.split('=')[0] ?? '');
    if (format.endsWith('file')) {
      return refuse('local-file', `Refused ${display} ${value}: template files are read from disk. Use the inline form, e.g. -o jsonpath='{...}' or -o go-template='...'.`);
    }
    return undefined;
  }
  const isFalse = value !== undefined && FALSE_VALUES.has(value);
  if (name in LOCAL_FILE_FLAGS && !(name === 'recursive' && isFalse) && !ctx.node?.allows?.includes(name)) {
    return refuse('local-file', `Refused ${display}: it reads local files or arbitrary API paths. ${LOCAL_FILE_FLAGS[name]}`);
  }
  if (name in INTERACTIVE_FLAGS && !isFalse) {
    return refuse('interactive', `Refused ${display}${cmd ? ` on ${cmd}` : ''}: ${INTERACTIVE_FLAGS[name]}`);
  }
  if (name === 'follow' && !isFalse) {
    return refuse('unbounded', `Refused ${display}: following logs never ends. Use \`logs <pod> --tail=100\` or \`--since=10m\` and call again for newer lines.`);
  }
  if ((name === 'watch' || name === 'watch-only') && cmd !== 'rollout status' && !isFalse) {
    return refuse('unbounded', `Refused ${display}: watching never ends. Run a plain \`${cmd || 'get'}\` and call again to see changes (or \`events --for <kind>/<name>\`).`);
  }
  return undefined;
}

interface FlagToken {
  /** Refusal found while reading the token. */
  refusal?: KubectlCommandRefused;
  /** Tokens consumed after this one (0 or 1). */
  consumed: number;
  /** Long flag of unknown arity written without `=`: kubectl may or may not take the next token as its value. */
  ambiguous?: string;
}

/** Parse and check one token that starts with `-` (pflag rules). `next` is the following token, if any. */
function readFlagToken(ctx: Context, token: string, next: string | undefined): FlagToken {
  const shorts: Shorts = { ...GLOBAL_SHORTS, ...(ctx.node?.shorts ?? {}) };
  if (token.startsWith('--')) {
    const body = token.slice(2);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) {
      return { consumed: 0, refusal: refuse('flag-syntax', `Refused ${token}: bad flag syntax. Write flags as --name=value.`) };
    }
    const eq = body.indexOf('=');
    const name = normalizeLong(eq < 0 ? body : body.slice(0, eq));
    const display = `--${eq < 0 ? body : body.slice(0, eq)}`;
    if (eq >= 0) return { consumed: 0, refusal: checkFlag(ctx, name, display, body.slice(eq + 1)) };
    // Flags we refuse whatever their value: no need to know their arity.
    const early = checkFlag(ctx, name, display, undefined);
    if (early && early.rule !== 'verbosity' && early.rule !== 'local-file') return { consumed: 0, refusal: early };
    const arity = GLOBAL_LONG[name] ?? ctx.node?.longs?.[name] ?? (ctx.node?.switches?.includes(name) ? false : undefined) ?? Object.values(shorts).find((s) => s.long === name)?.value;
    if (arity === true) {
      if (next === undefined) {
        return { consumed: 0, refusal: refuse('flag-syntax', `Refused ${display}: it needs a value. Write ${display}=<value>.`) };
      }
      return { consumed: 1, refusal: checkFlag(ctx, name, display, next) };
    }
    if (arity === false) return { consumed: 0, refusal: checkFlag(ctx, name, display, undefined) };
    return { consumed: 0, refusal: early, ambiguous: display };
  }
  // Short cluster: -abc, -nvalue, -n=value, -n value.
  let rest = token.slice(1);
  while (rest.length > 0) {
    const letter = rest[0]!;
    const spec = shorts[letter];
    if (!spec) {
      const where = ctx.path.length ? ` for ${ctx.path.join(' ')}` : ' before the subcommand';
      return {
        consumed: 0,
        refusal: refuse('flag-syntax', `Refused ${token}: -${letter} is not a short flag this tool accepts${where}. Use the long form (--name=value), after the subcommand.`),
      };
    }
    const display = `-${letter}`;
    if (rest.length > 2 && rest[1] === '=') return { consumed: 0, refusal: checkFlag(ctx, spec.long, display, rest.slice(2)) };
    if (!spec.value) {
      const refusal = checkFlag(ctx, spec.long, display, undefined);
      if (refusal) return { consumed: 0, refusal };
      rest = rest.slice(1);
      continue;
    }
    if (rest.length > 1) return { consumed: 0, refusal: checkFlag(ctx, spec.long, display, rest.slice(1)) };
    if (next === undefined) {
      return { consumed: 0, refusal: refuse('flag-syntax', `Refused ${display}: it needs a value. Write ${display}=<value>.`) };
    }
    return { consumed: 1, refusal: checkFlag(ctx, spec.long, display, next) };
  }
  return { consumed: 0 };
}

/** Resolve a positional token against the current command node; returns a refusal or undefined. */
function enterCommand(ctx: Context, name: string): KubectlCommandRefused | undefined {
  if (ctx.path.length === 0) {
    const node = COMMANDS[name];
    if (node) {
      ctx.path.push(name);
      ctx.node = node;
      return undefined;
    }
    if (name in INTERACTIVE_COMMANDS) return refuse('interactive', `Refused \`${name}\`: ${INTERACTIVE_COMMANDS[name]}`);
    if (UNOFFERED_COMMANDS.has(name)) {
      return refuse('subcommand', `Refused \`${name}\`: not offered by this tool. Read-only commands: ${READ_LIST}. Read-write deployments also allow: ${WRITE_LIST}.`);
    }
    return refuse(
      'subcommand',
      `Refused \`${name}\`: not a kubectl subcommand this tool runs (kubectl would look for a plugin named kubectl-${name}). ` +
        `Start the command with one of: ${READ_LIST}${ctx.opts.mode === 'read-write' ? `, ${WRITE_LIST}` : ''}.`,
    );
  }
  const parent = ctx.node!;
  const child = parent.children?.[name];
  if (child) {
    ctx.path.push(name);
    ctx.node = child;
    return undefined;
  }
  const full = `${ctx.path.join(' ')} ${name}`;
  const refused = parent.refusedChildren?.[name];
  if (refused) return refuse(refused.rule, `Refused \`${full}\`: ${refused.advice}`);
  const options = Object.keys(parent.children ?? {});
  const advice = options.length
    ? `Use one of: ${options.map((o) => `${ctx.path.join(' ')} ${o}`).join(', ')}.`
    : `\`${ctx.path.join(' ')}\` takes no such argument${parent.shorts.f ? '; pass objects with `-f -` and a manifest' : ''}.`;
  return refuse('subcommand', `Refused \`${full}\`: not a subcommand this tool runs (kubectl could dispatch it to a plugin). ${advice}`);
}

/** Once the command is resolved: mode and exec checks (rule 9). */
function checkAccess(ctx: Context): KubectlCommandRefused | undefined {
  const node = ctx.node!;
  const cmd = ctx.path.join(' ');
  if (!node.access) {
    const options = Object.keys(node.children ?? {}).map((c) => `${cmd} ${c}`);
    return refuse('subcommand', `\`${cmd}\` needs a subcommand: ${options.join(', ')}.`);
  }
  if (node.access === 'exec') {
    if (ctx.opts.mode !== 'read-write' || !ctx.opts.allowExec) {
      return refuse('exec', '`exec` is disabled on this server. Use `logs`, `describe` and `events` to inspect containers.');
    }
    return undefined;
  }
  if (node.access === 'write' && ctx.opts.mode !== 'read-write') {
    return refuse('mode', `Refused \`${cmd}\`: this server runs kubectl read-only, and \`${cmd}\` changes the cluster. Available: ${READ_LIST}. Writes need a deployment configured read-write.`);
  }
  return undefined;
}

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
    return refuse('subcommand', `No kubectl subcommand given. Start with one of: ${READ_LIST}${opts.mode === 'read-write' ? `, ${WRITE_LIST}` : ''}.`);
  }

  const ctx: Context = { opts, path: [], node: undefined, readsManifest: false };
  let resolved = false; // command path complete (no further child can follow)
  let terminator = -1;
  let previousAmbiguous: string | undefined;

  const resolve = (): KubectlCommandRefused | undefined => {
    resolved = true;
    return checkAccess(ctx);
  };

  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') {
      if (previousAmbiguous) {
        return refuse('flag-syntax', `Refused ${previousAmbiguous} right before \`--\`: it is unclear whether kubectl takes \`--\` as its value. Write ${previousAmbiguous}=<value>.`);
      }
      terminator = i;
      break;
    }
    previousAmbiguous = undefined;
    if (token.startsWith('-') && token !== '-') {
      const flag = readFlagToken(ctx, token, args[i + 1]);
      if (flag.refusal) return flag.refusal;
      if (flag.ambiguous) {
        if (!resolved) {
          return refuse('flag-syntax', `Refused ${flag.ambiguous} before the subcommand is complete: kubectl might take the next word as its value. Put the subcommand first (e.g. \`get pods ${flag.ambiguous}=...\`) or write ${flag.ambiguous}=<value>.`);
        }
        previousAmbiguous = flag.ambiguous;
      }
      // A value that looks like a flag is refused: checked as a flag first, so the specific rule is reported.
      if (flag.consumed === 1) {
        const value = args[i + 1]!;
        if (value.startsWith('-') && value !== '-') {
          const again = readFlagToken(ctx, value, undefined);
          if (again.refusal && again.refusal.rule !== 'flag-syntax') return again.refusal;
          return refuse('flag-syntax', `Refused ${token} ${value}: a value that starts with "-" reads like a flag. Write ${token}=${value} if you mean it as the value.`);
        }
        i++;
      }
      continue;
    }
    // Positional token.
    if (resolved) continue;
    const node = ctx.node;
    if (node === undefined || node.children !== undefined) {
      const refusal = enterCommand(ctx, token);
      if (refusal) return refusal;
      if (ctx.node!.children === undefined) {
        const denied = resolve();
        if (denied) return denied;
      }
    }
  }
  if (previousAmbiguous) {
    // kubectl would take whatever follows as its value: the server's own flags, were they placed after the caller's.
    return refuse('flag-syntax', `Refused ${previousAmbiguous} at the end of the command: it may need a value, and none follows. Write ${previousAmbiguous}=<value> (or ${previousAmbiguous}=true for a switch).`);
  }
  if (!resolved) {
    if (ctx.node === undefined) {
      return refuse('subcommand', `No kubectl subcommand given. Start with one of: ${READ_LIST}${opts.mode === 'read-write' ? `, ${WRITE_LIST}` : ''}.`);
    }
    if (!ctx.node.childOptional) {
      const cmd = ctx.path.join(' ');
      const options = Object.keys(ctx.node.children ?? {}).map((c) => `${cmd} ${c}`);
      return refuse('subcommand', `\`${cmd}\` needs a subcommand: ${options.join(', ')}.`);
    }
    const denied = resolve();
    if (denied) return denied;
  }
  const subcommand = ctx.path.join(' ');
  if (terminator >= 0 && ctx.node!.access !== 'exec') {
    return refuse('flag-syntax', `Refused \`--\` in \`${subcommand}\`: it is only used to separate the container command in \`exec <pod> -- <command>\`. Remove it.`);
  }
  if (ctx.readsManifest && ctx.node!.access === 'exec') {
    return refuse('local-file', 'Refused `-f -` on exec: stdin is not available to exec. Name the pod instead.');
  }
  return { ok: true, args, subcommand, access: ctx.node!.access!, readsManifest: ctx.readsManifest };
}
