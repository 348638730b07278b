/**
 * Creates STS (`@alicloud/sts20150401`) clients, used for GetCallerIdentity, for one request's credentials.
 * Loaded on first use (~160 ms); honours `STS_ENDPOINT`, timeouts and protocol. ACS3-signed RPC.
 */
import type * as StsModule from '@alicloud/sts20150401';
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { createSdkClient, sdkLoader } from './load-sdk.ts';

type StsClass = typeof StsModule.default.default;
export type StsClient = InstanceType<StsClass>;
export type StsModels = typeof StsModule.default;

export const loadStsSdk = sdkLoader<StsClass, StsModels>(() => import('@alicloud/sts20150401'));

export function stsEndpoint(config: Config, region: string | undefined): string {
  return config.endpoints.sts ?? (region ? `sts.${region}.aliyuncs.com` : 'sts.aliyuncs.com');
}

export async function createStsClient(config: Config, credentials: AliyunCredentials, region: string | undefined): Promise<StsClient> {
  return createSdkClient(await loadStsSdk(), config, credentials, stsEndpoint(config, region), region ?? 'cn-hangzhou');
}
