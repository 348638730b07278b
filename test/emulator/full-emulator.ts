/**
 * The emulator with every emulated product, plus the server settings that point the MCP server
 * at it. The sandbox and the end-to-end tests both start this, so they see the same cloud.
 * A new product adds itself to `products` and its endpoint settings to `serverEnv` here.
 */
import { ensureKubectl } from '../../layers/kubectl/kubectl-binary.ts';
import { armsProduct } from './arms/product.ts';
import { cmsProduct } from './cms/product.ts';
import { registerAddonCsRoutes } from './cs/addons.ts';
import { registerKubeconfigCsRoute } from './cs/kubeconfig.ts';
import { registerUpgradeCsRoutes } from './cs/upgrade-checks.ts';
import { startFakeKubeApiServer, type FakeKubeApiServer } from './kube/server.ts';
import { startEmulator, type Emulator, type EmulatedProduct, type EmulatorOptions } from './index.ts';
import { registerObservabilityCsRoutes } from './sls/cs-routes.ts';
import { slsProduct } from './sls/product.ts';
import { stsProduct } from './sts/product.ts';
import { DEMO_ROLES, KUBE_WRITE_VERBS } from './sts/roles.ts';

export interface FullEmulator extends Emulator {
  /** Environment settings that wire the MCP server to this emulator. */
  serverEnv: Record<string, string>;
  /** The fake Kubernetes API server every cluster's kubeconfig points at. */
  kube: FakeKubeApiServer;
}

/** Checked once per process (hashing the binary takes a moment). */
let kubectlPath: Promise<string> | undefined;

export async function startFullEmulator(options: Omit<EmulatorOptions, 'products'> = {}): Promise<FullEmulator> {
  const products: EmulatedProduct[] = [];
  products.push(slsProduct, cmsProduct, stsProduct, armsProduct);
  registerObservabilityCsRoutes();
  registerKubeconfigCsRoute();
  registerUpgradeCsRoutes();
  registerAddonCsRoutes();
  const kube = await startFakeKubeApiServer();
  // The read-only role's RBAC in every cluster: no Kubernetes writes.
  kube.rbac.forbid(DEMO_ROLES.dev.roleId, KUBE_WRITE_VERBS);
  const kubeEnv = { kubeApiServerUrl: kube.url, kubeconfigFor: (user: string, groups: string[]) => kube.kubeconfig(user, groups) };
  const emulator = await startEmulator({ ...options, env: { ...kubeEnv, ...options.env }, products });
  const serverEnv: Record<string, string> = {
    CS_ENDPOINT: emulator.endpoint,
    // Each hosted region's own ACK endpoint: a call sent to the wrong region fails as it would in ACK.
    CS_REGION_ENDPOINTS: Object.entries(emulator.regionEndpoints)
      .map(([region, endpoint]) => `${region}=${endpoint}`)
      .join(','),
    ALIBABA_CLOUD_ENDPOINT_PROTOCOL: 'http',
    SLS_ENDPOINT: emulator.endpoint,
    SLS_AI_ENDPOINT: emulator.endpoint,
    CMS_ENDPOINT: emulator.endpoint,
    STS_ENDPOINT: emulator.endpoint,
    ARMS_ENDPOINT: emulator.endpoint,
    KUBECTL_PATH: await (kubectlPath ??= ensureKubectl()),
  };
  const close = async () => {
    await emulator.close();
    await kube.close();
  };
  return { ...emulator, serverEnv, kube, close };
}
