/**
 * Creates Log Service (SLS) SDK clients for one request's credentials. The SDK is loaded on first
 * use (~160 ms), and every client honours `SLS_ENDPOINT` / `SLS_AI_ENDPOINT`, timeouts and protocol.
 *
 * SLS addresses a project by host name (`{project}.{endpoint}`). An endpoint that cannot have
 * sub-domains (an IP address or `localhost`: a private gateway, the emulator) is used as is, and
 * the project travels in the signed `x-log-project` header instead: see `projectInHost`.
 */
import type * as SlsModule from '@alicloud/sls20201230';
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { sdkClientConfig } from './sdk-client-config.ts';

type SlsClass = typeof SlsModule.default.default;
export type SlsClient = InstanceType<SlsClass>;
export type SlsModels = typeof SlsModule.default;

interface GatewayContext {
  request: { hostMap?: Record<string, string>; headers: Record<string, string> };
}
interface GatewayClass {
  new (): { modifyRequest(context: GatewayContext, attributes: unknown): Promise<void>; getHost(network: string, project: string, endpoint: string): Promise<string> };
}

interface LoadedSls {
  Client: SlsClass;
  models: SlsModels;
  Config: new (init: Record<string, unknown>) => unknown;
  Gateway: GatewayClass;
}

let loading: Promise<LoadedSls> | undefined;

function classOf<T>(module: unknown): T {
  // Node's native ESM puts the CommonJS exports on `default`; the class sits at `default` or `default.default`.
  const exported = (module as { default: unknown }).default as T | { default: T };
  return (typeof exported === 'function' ? exported : (exported as { default: T }).default) as T;
}

export function loadSlsSdk(): Promise<LoadedSls> {
  loading ??= Promise.all([import('@alicloud/sls20201230'), import('@alicloud/gateway-sls'), import('@alicloud/openapi-core')]).then(
    ([sls, gateway, core]) => {
      const namespace = sls as unknown as { default: unknown };
      const exported = namespace.default as SlsClass | { default: SlsClass };
      return {
        Client: classOf<SlsClass>(sls),
        models: (typeof exported === 'function' ? namespace : exported) as SlsModels,
        Config: (core as unknown as { $OpenApiUtil: { Config: new (init: Record<string, unknown>) => unknown } }).$OpenApiUtil.Config,
        Gateway: classOf<GatewayClass>(gateway),
      };
    },
  );
  return loading;
}

/** False for endpoints that cannot carry the project as a sub-domain: IP literals and `localhost`. */
export function projectInHost(endpoint: string): boolean {
  const host = endpoint.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':'));
}

/** The regional Log Service endpoint, or the configured override. */
export function slsEndpoint(config: Config, region: string): string {
  return config.endpoints.sls ?? `${region}.log.aliyuncs.com`;
}

/** The host that serves one project of a region (`{project}.{endpoint}`, or the override itself). */
export function slsProjectHost(config: Config, region: string, project: string): string {
  const endpoint = slsEndpoint(config, region);
  return projectInHost(endpoint) ? `${project}.${endpoint}` : endpoint;
}

/** CallAiTools is served only from cn-shanghai and ap-southeast-1. */
export function slsAiEndpoint(config: Config, clusterRegion: string): string {
  if (config.endpoints.slsAi) return config.endpoints.slsAi;
  return clusterRegion.startsWith('cn-') ? 'cn-shanghai.log.aliyuncs.com' : 'ap-southeast-1.log.aliyuncs.com';
}

async function create(config: Config, credentials: AliyunCredentials, endpoint: string, region: string): Promise<SlsClient> {
  const sdk = await loadSlsSdk();
  const clientConfig = new sdk.Config(sdkClientConfig(config, credentials, endpoint, region));
  const client = new sdk.Client(clientConfig as ConstructorParameters<SlsClass>[0]);
  if (!projectInHost(endpoint)) {
    // The `LOG` signature covers every x-log-* header, so the project header is signed too.
    class ProjectHeaderGateway extends sdk.Gateway {
      override async modifyRequest(context: GatewayContext, attributes: unknown): Promise<void> {
        const project = context.request.hostMap?.project;
        if (project) context.request.headers['x-log-project'] = project;
        await super.modifyRequest(context, attributes);
      }
      override async getHost(_network: string, _project: string, target: string): Promise<string> {
        return target;
      }
    }
    (client as unknown as { setGatewayClient(spi: unknown): void }).setGatewayClient(new ProjectHeaderGateway());
  }
  return client;
}

/** A client for the projects of one region. */
export function createSlsClient(config: Config, credentials: AliyunCredentials, region: string): Promise<SlsClient> {
  return create(config, credentials, slsEndpoint(config, region), region);
}

/** A client for CallAiTools (Shanghai or Singapore endpoint). */
export function createSlsAiClient(config: Config, credentials: AliyunCredentials, clusterRegion: string): Promise<SlsClient> {
  const endpoint = slsAiEndpoint(config, clusterRegion);
  return create(config, credentials, endpoint, endpoint.startsWith('ap-') ? 'ap-southeast-1' : 'cn-shanghai');
}
