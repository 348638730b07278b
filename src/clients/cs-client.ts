/**
 * Creates ACK (CS) SDK clients for one request's credentials. The SDK is loaded on first use
 * (it costs ~160 ms to load), and every client honours the endpoint override, timeouts and
 * protocol from the configuration, so tests and the sandbox reach the emulator.
 */
import type * as CsModule from '@alicloud/cs20151215';
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { createSdkClient, sdkLoader } from './load-sdk.ts';

type CsClass = typeof CsModule.default.default;
export type CsClient = InstanceType<CsClass>;
export type CsModels = typeof CsModule.default;

export const loadCsSdk = sdkLoader<CsClass, CsModels>(() => import('@alicloud/cs20151215'));

/**
 * The endpoint for a region, or the central endpoint when `region` is undefined:
 * - central: `CS_ENDPOINT`, else `cs.aliyuncs.com`;
 * - a region: its `CS_REGION_ENDPOINTS` entry, else that setting's `*` template, else `CS_ENDPOINT`
 *   (the single-endpoint setting: one gateway for every CS call), else `cs.{region}.aliyuncs.com`.
 * `region` has been checked against `REGION_PATTERN` before it gets here.
 */
export function csEndpoint(config: Config, region: string | undefined): string {
  const { cs, csRegions, csRegionTemplate } = config.endpoints;
  if (region === undefined) return cs ?? 'cs.aliyuncs.com';
  return csRegions[region] ?? csRegionTemplate?.replaceAll('{region}', region) ?? cs ?? `cs.${region}.aliyuncs.com`;
}

export async function createCsClient(config: Config, credentials: AliyunCredentials, region: string | undefined): Promise<CsClient> {
  return createSdkClient(await loadCsSdk(), config, credentials, csEndpoint(config, region), region ?? 'cn-hangzhou');
}
