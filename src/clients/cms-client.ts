/**
 * Creates CloudMonitor (CMS 1.0, `@alicloud/cms20190101`) clients for one request's credentials.
 * Loaded on first use (~160 ms); honours `CMS_ENDPOINT`, timeouts and protocol. ACS3-signed RPC.
 */
import type * as CmsModule from '@alicloud/cms20190101';
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { sdkClientConfig } from './sdk-client-config.ts';

type CmsClass = typeof CmsModule.default.default;
export type CmsClient = InstanceType<CmsClass>;
export type CmsModels = typeof CmsModule.default;

let loading: Promise<{ Client: CmsClass; models: CmsModels; Config: new (init: Record<string, unknown>) => unknown }> | undefined;

export function loadCmsSdk() {
  loading ??= Promise.all([import('@alicloud/cms20190101'), import('@alicloud/openapi-core')]).then(([cms, core]) => {
    const namespace = cms as unknown as { default: unknown };
    const exported = namespace.default as CmsClass | { default: CmsClass };
    return {
      Client: typeof exported === 'function' ? exported : exported.default,
      models: (typeof exported === 'function' ? namespace : exported) as CmsModels,
      Config: (core as unknown as { $OpenApiUtil: { Config: new (init: Record<string, unknown>) => unknown } }).$OpenApiUtil.Config,
    };
  });
  return loading;
}

export function cmsEndpoint(config: Config, region: string): string {
  return config.endpoints.cms ?? `metrics.${region}.aliyuncs.com`;
}

export async function createCmsClient(config: Config, credentials: AliyunCredentials, region: string): Promise<CmsClient> {
  const sdk = await loadCmsSdk();
  const clientConfig = new sdk.Config(sdkClientConfig(config, credentials, cmsEndpoint(config, region), region));
  return new sdk.Client(clientConfig as ConstructorParameters<CmsClass>[0]);
}
