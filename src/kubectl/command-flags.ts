/**
 * The pflag reader of the argument policy (docs/kubectl-safety.md, rules 2, 4, 5 and 6): reads one flag token the way
 * kubectl's pflag does (`--flag=value`, `--flag value`, short clusters `-Aw`, `-nkube-system`, `-n=x`, `_` for `-` in
 * long names, long names compared case-insensitively) and checks every flag occurrence against the rule tables
 * (command-rules.ts): target and credential flags, files written or read, verbosity, interactive and unbounded flags.
 */
import { FALSE_VALUES, FILE_WRITE_FLAGS, GLOBAL_SHORTS, INTERACTIVE_FLAGS, LOCAL_FILE_FLAGS, TARGET_FLAGS } from './command-flag-rules.ts';
import { GLOBAL_LONG, type CommandNode, type Shorts } from './command-rules.ts';
import { refuse, type KubectlCommandRefused, type KubectlPolicyOptions } from './command-result.ts';

/** The walk so far: what the flag checks need to know. */
export interface ParseState {
  opts: KubectlPolicyOptions;
  /** Command path so far, e.g. ['rollout', 'status']. */
  path: string[];
  node: CommandNode | undefined;
  readsManifest: boolean;
}

export const normalizeLong = (name: string): string => name.replace(/_/g, '-').toLowerCase();

/**
 * Check one flag occurrence (long name normalised, or the long name a short letter stands for).
 * `display` is how the caller wrote it, `value` the value pflag would bind (undefined for a bool without `=`).
 */
function checkFlag(ctx: ParseState, name: string, display: string, value: string | undefined): KubectlCommandRefused | undefined {
  const cmd = ctx.path.join(' ');
  if (TARGET_FLAGS.has(name) || name.startsWith('auth-provider')) {
    return refuse(
      'target',
      `Refused ${display}: this server chooses the cluster and the identity kubectl uses. Pass cluster_id to choose the cluster and drop the flag.`,
    );
  }
  if (FILE_WRITE_FLAGS.has(name)) {
    return refuse('file-write', `Refused ${display}: it makes kubectl write files on the server. Drop the flag.`);
  }
  if (name === 'v') {
    if (value === undefined || !/^\d+$/.test(value) || Number(value) > 4) {
      return refuse(
        'verbosity',
        `Refused ${display}${value !== undefined ? ` ${value}` : ''}: verbosity is capped at -v=4 (higher levels print request and response bodies). Use -v=4 or less.`,
      );
    }
    return undefined;
  }
  if (name === 'vmodule') return refuse('verbosity', `Refused ${display}: per-file verbosity can print request bodies. Use -v=4 or less.`);
  if (name === 'filename') {
    if (value !== '-') {
      const what = value !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? 'URLs' : 'local files';
      return refuse(
        'local-file',
        `Refused ${display} ${value ?? ''}: kubectl cannot read ${what} here. Put the YAML or JSON in the \`manifest\` argument and use \`-f -\`.`,
      );
    }
    if (!ctx.opts.hasManifest) {
      return refuse(
        'local-file',
        'Refused `-f -` without a manifest: put the YAML or JSON in the `manifest` argument, which is fed to kubectl on stdin.',
      );
    }
    ctx.readsManifest = true;
    return undefined;
  }
  if (name === 'output' && value !== undefined) {
    const format = normalizeLong(value.split('=')[0] ?? '');
    if (format.endsWith('file')) {
      return refuse(
        'local-file',
        `Refused ${display} ${value}: template files are read from disk. Use the inline form, e.g. -o jsonpath='{...}' or -o go-template='...'.`,
      );
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
    return refuse(
      'unbounded',
      `Refused ${display}: following logs never ends. Use \`logs <pod> --tail=100\` or \`--since=10m\` and call again for newer lines.`,
    );
  }
  if ((name === 'watch' || name === 'watch-only') && cmd !== 'rollout status' && !isFalse) {
    return refuse(
      'unbounded',
      `Refused ${display}: watching never ends. Run a plain \`${cmd || 'get'}\` and call again to see changes (or \`events --for <kind>/<name>\`).`,
    );
  }
  return undefined;
}

export interface FlagToken {
  /** Refusal found while reading the token. */
  refusal?: KubectlCommandRefused;
  /** Tokens consumed after this one (0 or 1). */
  consumed: number;
  /** Long flag of unknown arity written without `=`: kubectl may or may not take the next token as its value. */
  ambiguous?: string;
}

/** Parse and check one token that starts with `-` (pflag rules). `next` is the following token, if any. */
export function readFlagToken(ctx: ParseState, token: string, next: string | undefined): FlagToken {
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
    const arity =
      GLOBAL_LONG[name] ??
      ctx.node?.longs?.[name] ??
      (ctx.node?.switches?.includes(name) ? false : undefined) ??
      Object.values(shorts).find((s) => s.long === name)?.value;
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
        refusal: refuse(
          'flag-syntax',
          `Refused ${token}: -${letter} is not a short flag this tool accepts${where}. Use the long form (--name=value), after the subcommand.`,
        ),
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
