/**
 * Renders an `s.yaml` offline with Serverless Devs' own `s preview -o json` (the one `s` command
 * that needs no network), so tests and operators see exactly what `s deploy` would send; and
 * initializes a Serverless Devs application from a local directory (`s init --uri`), as the FC
 * console's application center does from the registry.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const S_BIN = join(REPO_ROOT, 'node_modules', '@serverless-devs', 's', 'bin', 's');

export interface RenderResult {
  ok: boolean;
  /** The rendered template (when ok). */
  template?: unknown;
  /** What `s` printed, for failures. */
  output: string;
}

/** Runs `s <args>` in `cwd` with exactly `env` (plus PATH) and a throw-away HOME: no access keys or state of the machine are read or written. */
async function runS(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = await mkdtemp(join(tmpdir(), 's-home-'));
  try {
    return await new Promise((done) => {
      execFile(
        process.execPath,
        [S_BIN, ...args],
        { cwd, env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...env }, timeout: 60_000, maxBuffer: 4 * 1024 * 1024 },
        (error, stdout, stderr) => done({ code: error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr }),
      );
    });
  } finally {
    // `s` leaves a detached daemon (update check) that may still write under HOME after `s` has
    // exited, so a single rm can meet a directory that is not empty: retry (ENOTEMPTY, EBUSY).
    await rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

/** Runs `s preview -o json -t <template>` in `cwd` (default: the repository) with exactly `env`. */
export async function renderTemplate(template: string, env: Record<string, string>, cwd = REPO_ROOT): Promise<RenderResult> {
  const { code, stdout, stderr } = await runS(['preview', '-o', 'json', '-t', template], cwd, env);
  const output = `${stdout}\n${stderr}`;
  const start = stdout.indexOf('{');
  if (code !== 0 || start < 0) return { ok: false, output };
  return { ok: true, template: JSON.parse(stdout.slice(start)), output };
}

/**
 * `s init --uri <application dir> -d <into> --parameters <json> -y`: the application's `src/`
 * copied into `into` with its `{{ ... }}` placeholders filled from `parameters` and the defaults of
 * its publish.yaml. `s init` deletes the directory it initialized from, so it is given a copy.
 * Returns what `s` printed.
 */
export async function initApplication(
  application: string,
  into: string,
  parameters: Record<string, string>,
): Promise<{ ok: boolean; output: string }> {
  const copy = await mkdtemp(join(tmpdir(), 's-app-'));
  try {
    await cp(application, copy, { recursive: true });
    const { code, stdout, stderr } = await runS(
      ['init', '--uri', copy, '-d', into, '--parameters', JSON.stringify(parameters), '-y'],
      REPO_ROOT,
      {},
    );
    return { ok: code === 0, output: `${stdout}\n${stderr}` };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
