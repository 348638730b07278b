/**
 * `npm run build:fc-app`: the function package (as `npm run build`) and the FC application that
 * ships it with kubectl inside (`dist/fc-app/`, see scripts/build/fc-application.ts).
 */
import { join, relative } from 'node:path';
import { ensureKubectl } from '../layers/kubectl/kubectl-binary.ts';
import { buildFcApplication } from './build/fc-application.ts';
import { buildFunctionPackage, REPO_ROOT } from './build/function-package.ts';

const pkg = await buildFunctionPackage();
const outDir = join(REPO_ROOT, 'dist', 'fc-app');
const app = await buildFcApplication({
  codeDir: pkg.codeDir,
  kubectl: await ensureKubectl(),
  templateDir: join(REPO_ROOT, 'deploy', 'fc-app'),
  outDir,
});
console.log(
  `FC application: ${relative(REPO_ROOT, outDir)}/ (code zip ${(app.codeZipBytes / 1024 / 1024).toFixed(2)} MB with bin/kubectl)`,
);
