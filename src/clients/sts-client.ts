/**
 * Creates STS (`@alicloud/sts20150401`) clients, used for GetCallerIdentity, for one request's credentials.
 * Loaded on first use (~160 ms); honours `STS_ENDPOINT`, timeouts and protocol. ACS3-signed RPC.
 */
import type * as StsModule from '@alicloud/sts20150401';
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { sdkClientConfig } from './sdk-client-config.ts';

type StsClass = typeof StsModule.default.default;
export type StsClient = InstanceType<StsClass>;
export type StsModels = typeof StsModule.default;

let loading: Promise<{ Client: StsClass; models: StsModels; Config: new (init: Record<string, unknown>) => unknown }> | undefined;

export function loadStsSdk() {
  loading ??= Promise.all([import('@alicloud/sts20150401'), import('@alicloud/openapi-core')]).then(([sts, core]) => {
    const namespace = sts as unknown as { default: unknown };
    const exported = namespace.default as StsClass | { default: StsClass };
    return {
      Client: typeof exported === 'function' ? exported : exported.default,
      models: (typeof exported === 'function' ? namespace : exported) as StsModels,
      Config: (core as unknown as { $OpenApiUtil: { Config: new (init: Record<string, unknown>) => unknown } }).$OpenApiUtil.Config,
    };
  });
  return loading;
}

export function stsEndpoint(config: Config, region: string | undefined): string {
  return config.endpoints.sts ?? (region ? `sts.${region}.aliyuncs.com` : 'sts.aliyuncs.com');
}

export async function createStsClient(config: Config, credentials: AliyunCredentials, region: string | undefined): Promise<StsClient> {
  const sdk = await loadStsSdk();
  const clientConfig = new sdk.Config(sdkClientConfig(config, credentials, stsEndpoint(config, region), region ?? 'cn-hangzhou'));
  return new sdk.Client(clientConfig as ConstructorParameters<StsClass>[0]);
}
