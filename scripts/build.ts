/**
 * `npm run build`: the Function Compute code package (`dist/code/`, zipped to
 * `dist/ack-mcp-code.zip`) and the kubectl layer (`layers/kubectl/dist/layer.zip`).
 */
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { buildLayerZip, KUBECTL_VERSION } from '../layers/kubectl/kubectl-binary.ts';
import { buildFunctionPackage, MAX_CODE_ZIP_BYTES, REPO_ROOT } from './build/function-package.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

const pkg = await buildFunctionPackage();
console.log(`code package: ${relative(REPO_ROOT, pkg.codeDir)}/`);
console.log(
  `code zip:     ${relative(REPO_ROOT, pkg.zipPath)} ${mb(pkg.zipBytes)} (${pkg.zipBytes} bytes; budget ${mb(MAX_CODE_ZIP_BYTES)})`,
);
const layer = await buildLayerZip();
console.log(`kubectl layer: ${relative(REPO_ROOT, layer)} ${mb((await stat(layer)).size)} (kubectl ${KUBECTL_VERSION}, bin/kubectl 0755)`);
