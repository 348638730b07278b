/**
 * ARMS (Managed Service for Prometheus, API version 2019-08-08) for one request's credentials.
 * There is no `@alicloud/arms20190808` package on the npm registry this project builds from, so
 * the one operation used is called through `@alicloud/openapi-core`'s generic `callApi` with the
 * exact parameters of Alibaba's generated client (alibabacloud-typescript-sdk
 * `arms-20190808/src/client.ts`, getPrometheusInstanceWithOptions): RPC, POST `/`, query
 * `ClusterId` and `RegionId`, ACS3-signed like the other SDK clients. Loaded on first use.
 */
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { createSdkClient, sdkLoader } from './load-sdk.ts';

interface OpenApiUtil {
  Params: new (init: Record<string, unknown>) => unknown;
  OpenApiRequest: new (init: Record<string, unknown>) => unknown;
}

interface GenericClient {
  callApi(params: unknown, request: unknown, runtime: unknown): Promise<{ body?: unknown; statusCode?: number }>;
}

/** `@alicloud/openapi-core` itself: its generic client, and the request models (`$OpenApiUtil`). */
const load = sdkLoader<new (config: unknown) => GenericClient, { $OpenApiUtil: OpenApiUtil }>(() => import('@alicloud/openapi-core'));

export function armsEndpoint(config: Config, region: string): string {
  return config.endpoints.arms ?? `arms.${region}.aliyuncs.com`;
}

/** `Data` of GetPrometheusInstance (PascalCase, as the API answers it), the fields this server reads. */
export interface PrometheusInstance {
  ClusterId?: string;
  ClusterType?: string;
  Product?: string;
  HttpApiInterUrl?: string;
  HttpApiIntraUrl?: string;
  AuthToken?: string;
  EnableAuthToken?: string | boolean;
}

export interface ArmsClient {
  /** GetPrometheusInstance; for ACK (`aliyun-cs`) instances the Prometheus instance id is the cluster id. */
  getPrometheusInstance(
    region: string,
    clusterId: string,
  ): Promise<{ Code?: number; Message?: string; RequestId?: string; Data?: PrometheusInstance | null }>;
}

export async function createArmsClient(config: Config, credentials: AliyunCredentials, region: string): Promise<ArmsClient> {
  const sdk = await load();
  const client = createSdkClient(sdk, config, credentials, armsEndpoint(config, region), region);
  const util = sdk.models.$OpenApiUtil;
  return {
    async getPrometheusInstance(regionId, clusterId) {
      const params = new util.Params({
        action: 'GetPrometheusInstance',
        version: '2019-08-08',
        protocol: config.endpointProtocol.toUpperCase(),
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      });
      const request = new util.OpenApiRequest({ query: { ClusterId: clusterId, RegionId: regionId } });
      // The runtime options are only read (timeouts come from the client config): an empty object is the SDK's default.
      const answer = await client.callApi(params, request, {});
      return (answer.body ?? {}) as Awaited<ReturnType<ArmsClient['getPrometheusInstance']>>;
    },
  };
}
