/**
 * Renders an `s.yaml` offline with Serverless Devs' own `s preview -o json` (the one `s` command
 * that needs no network), so tests and operators see exactly what `s deploy` would send.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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

/**
 * Runs `s preview -o json -t <template>` in the repository with exactly `env` (plus PATH) and a
 * throw-away HOME, so no access keys or state of the machine are read or written.
 */
export async function renderTemplate(template: string, env: Record<string, string>): Promise<RenderResult> {
  const home = await mkdtemp(join(tmpdir(), 's-home-'));
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [S_BIN, 'preview', '-o', 'json', '-t', template],
        { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...env }, timeout: 60_000, maxBuffer: 4 * 1024 * 1024 },
        (error, stdout, stderr) => done({ code: error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr }),
      );
    });
    const output = `${stdout}\n${stderr}`;
    const start = stdout.indexOf('{');
    if (code !== 0 || start < 0) return { ok: false, output };
    return { ok: true, template: JSON.parse(stdout.slice(start)), output };
  } finally {
    // `s` leaves a detached daemon (update check) that may still write under HOME after `s` has
    // exited, so a single rm can meet a directory that is not empty: retry (ENOTEMPTY, EBUSY).
    await rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
