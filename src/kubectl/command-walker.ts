/**
 * The command walker of the argument policy (docs/kubectl-safety.md, rules 3 and 9): walks the tokens in order, as
 * cobra finds kubectl's command and pflag its flags. Positional tokens resolve the command path against the allow-list
 * (an unknown subcommand would be a `kubectl-<name>` plugin); every token before a `--` terminator that starts with `-`
 * is read and checked by the pflag reader, wherever it stands; once the command is resolved, the mode and exec rules
 * apply. A flag of unknown arity that could swallow the next word (before the subcommand, before `--`, or last) is
 * refused as ambiguous.
 */
import { COMMANDS, INTERACTIVE_COMMANDS, READ_LIST, UNOFFERED_COMMANDS, WRITE_LIST } from './command-rules.ts';
import { readFlagToken, type ParseState } from './command-flags.ts';
import { refuse, type KubectlCommandRefused, type KubectlCommandResult, type KubectlPolicyOptions } from './command-result.ts';

/** Resolve a positional token against the current command node; returns a refusal or undefined. */
function enterCommand(ctx: ParseState, name: string): KubectlCommandRefused | undefined {
  if (ctx.path.length === 0) {
    const node = COMMANDS[name];
    if (node) {
      ctx.path.push(name);
      ctx.node = node;
      return undefined;
    }
    if (name in INTERACTIVE_COMMANDS) return refuse('interactive', `Refused \`${name}\`: ${INTERACTIVE_COMMANDS[name]}`);
    if (UNOFFERED_COMMANDS.has(name)) {
      return refuse(
        'subcommand',
        `Refused \`${name}\`: not offered by this tool. Read-only commands: ${READ_LIST}. Read-write deployments also allow: ${WRITE_LIST}.`,
      );
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
function checkAccess(ctx: ParseState): KubectlCommandRefused | undefined {
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
    return refuse(
      'mode',
      `Refused \`${cmd}\`: this server runs kubectl read-only, and \`${cmd}\` changes the cluster. Available: ${READ_LIST}. Writes need a deployment configured read-write.`,
    );
  }
  return undefined;
}

/**
 * Walk `args` (the tokens after an optional leading `kubectl`, at least one) and judge them.
 * @returns the accepted command with exactly `args`, or the first refusal.
 */
export function walkCommand(args: readonly string[], opts: KubectlPolicyOptions): KubectlCommandResult {
  const ctx: ParseState = { opts, path: [], node: undefined, readsManifest: false };
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
        return refuse(
          'flag-syntax',
          `Refused ${previousAmbiguous} right before \`--\`: it is unclear whether kubectl takes \`--\` as its value. Write ${previousAmbiguous}=<value>.`,
        );
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
          return refuse(
            'flag-syntax',
            `Refused ${flag.ambiguous} before the subcommand is complete: kubectl might take the next word as its value. Put the subcommand first (e.g. \`get pods ${flag.ambiguous}=...\`) or write ${flag.ambiguous}=<value>.`,
          );
        }
        previousAmbiguous = flag.ambiguous;
      }
      // A value that looks like a flag is refused: checked as a flag first, so the specific rule is reported.
      if (flag.consumed === 1) {
        const value = args[i + 1]!;
        if (value.startsWith('-') && value !== '-') {
          const again = readFlagToken(ctx, value, undefined);
          if (again.refusal && again.refusal.rule !== 'flag-syntax') return again.refusal;
          return refuse(
            'flag-syntax',
            `Refused ${token} ${value}: a value that starts with "-" reads like a flag. Write ${token}=${value} if you mean it as the value.`,
          );
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
    return refuse(
      'flag-syntax',
      `Refused ${previousAmbiguous} at the end of the command: it may need a value, and none follows. Write ${previousAmbiguous}=<value> (or ${previousAmbiguous}=true for a switch).`,
    );
  }
  if (!resolved) {
    if (ctx.node === undefined) {
      return refuse(
        'subcommand',
        `No kubectl subcommand given. Start with one of: ${READ_LIST}${opts.mode === 'read-write' ? `, ${WRITE_LIST}` : ''}.`,
      );
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
    return refuse(
      'flag-syntax',
      `Refused \`--\` in \`${subcommand}\`: it is only used to separate the container command in \`exec <pod> -- <command>\`. Remove it.`,
    );
  }
  if (ctx.readsManifest && ctx.node!.access === 'exec') {
    return refuse('local-file', 'Refused `-f -` on exec: stdin is not available to exec. Name the pod instead.');
  }
  return { ok: true, args, subcommand, access: ctx.node!.access!, readsManifest: ctx.readsManifest };
}
