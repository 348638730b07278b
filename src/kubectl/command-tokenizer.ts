/**
 * The tokeniser of the argument policy (docs/kubectl-safety.md, rule 1): the command string is split once, the way a
 * POSIX shell splits words, and anything a shell would have interpreted (metacharacters, substitution, expansion,
 * newlines) is refused, so the array checked is the array run, with no shell in between.
 */
import type { KubectlCommandRefused } from './command-result.ts';

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
