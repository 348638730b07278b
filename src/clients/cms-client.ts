/**
 * Creates CloudMonitor (CMS 1.0, `@alicloud/cms20190101`) clients for one request's credentials.
 * Loaded on first use (~160 ms); honours `CMS_ENDPOINT`, timeouts and protocol. ACS3-signed RPC.
 */
import type * as CmsModule from '@alicloud/cms20190101';
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { createSdkClient, sdkLoader } from './load-sdk.ts';

type CmsClass = typeof CmsModule.default.default;
export type CmsClient = InstanceType<CmsClass>;
export type CmsModels = typeof CmsModule.default;

export const loadCmsSdk = sdkLoader<CmsClass, CmsModels>(() => import('@alicloud/cms20190101'));

export function cmsEndpoint(config: Config, region: string): string {
  return config.endpoints.cms ?? `metrics.${region}.aliyuncs.com`;
}

export async function createCmsClient(config: Config, credentials: AliyunCredentials, region: string): Promise<CmsClient> {
  return createSdkClient(await loadCmsSdk(), config, credentials, cmsEndpoint(config, region), region);
}
