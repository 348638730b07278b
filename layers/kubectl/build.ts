/**
 * Build the kubectl layer: `npx tsx layers/kubectl/build.ts`.
 * Extracts and verifies kubectl into `layers/kubectl/dist/bin/kubectl`, then writes `layers/kubectl/dist/layer.zip`
 * (publish it with `s cli fc3 layer publish --code layers/kubectl/dist/layer.zip --layer-name ack-mcp-kubectl ...`).
 */
import { buildLayerZip, ensureKubectl, KUBECTL_SHA256, KUBECTL_VERSION } from './kubectl-binary.ts';

async function main(): Promise<void> {
  const binary = await ensureKubectl();
  console.log(`kubectl ${KUBECTL_VERSION} (sha256 ${KUBECTL_SHA256}) at ${binary}`);
  const zip = await buildLayerZip();
  console.log(`layer zip at ${zip}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
