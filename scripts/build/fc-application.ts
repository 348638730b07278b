/**
 * The publishable FC application (`npm run build:fc-app` → `dist/fc-app/`): deploy/fc-app's
 * publish.yaml, readme and src/s.yaml, plus `src/code.zip` — the function's code package with kubectl
 * added as `bin/kubectl` (0755), so a deploy from the console needs no kubectl layer published first.
 * Publish it with Serverless Devs (`s registry publish` in dist/fc-app).
 */
import { chmod, copyFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipDirectory } from './zip.ts';

export interface FcApplicationOptions {
  /** The unpacked function code package (`dist/code/` of `npm run build`). */
  codeDir: string;
  /** The verified kubectl binary. */
  kubectl: string;
  /** deploy/fc-app. */
  templateDir: string;
  /** Where the application goes (replaced). */
  outDir: string;
}

/** Assembles the application; returns the path and size of its code zip. */
export async function buildFcApplication(options: FcApplicationOptions): Promise<{ codeZip: string; codeZipBytes: number }> {
  await rm(options.outDir, { recursive: true, force: true });
  await cp(options.templateDir, options.outDir, { recursive: true });
  const staging = await mkdtemp(join(tmpdir(), 'fc-app-code-'));
  try {
    await cp(options.codeDir, staging, { recursive: true });
    await mkdir(join(staging, 'bin'), { recursive: true });
    await copyFile(options.kubectl, join(staging, 'bin', 'kubectl'));
    await chmod(join(staging, 'bin', 'kubectl'), 0o755);
    const zip = await zipDirectory(staging);
    const codeZip = join(options.outDir, 'src', 'code.zip');
    await writeFile(codeZip, zip);
    return { codeZip, codeZipBytes: zip.byteLength };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
