/**
 * Creates Log Service (SLS) SDK clients for one request's credentials. The SDK is loaded on first
 * use (~160 ms), and every client honours `SLS_ENDPOINT` / `SLS_AI_ENDPOINT`, timeouts and protocol.
 *
 * SLS routes a request to a project by its Host name (`{project}.{endpoint}`) and trusts no other
 * header for it. An endpoint that has no resolvable sub-domains (an IP address or `localhost`: a
 * private gateway, the emulator) is connected to as is, while the Host header still names the
 * project (`{project}.{ip}:{port}`), as aliyun-log-go-sdk once did through the IP as a proxy: see
 * `projectHostHeader`.
 */
import type * as SlsModule from '@alicloud/sls20201230';
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { commonJsExports, createSdkClient, type LoadedSdk, sdkLoader } from './load-sdk.ts';

type SlsClass = typeof SlsModule.default.default;
export type SlsClient = InstanceType<SlsClass>;
export type SlsModels = typeof SlsModule.default;

interface GatewayContext {
  request: { hostMap?: Record<string, string>; headers: Record<string, string> };
}
interface GatewayClass {
  new (): {
    modifyRequest(context: GatewayContext, attributes: unknown): Promise<void>;
    getHost(network: string, project: string, endpoint: string): Promise<string>;
  };
}

const loadSls = sdkLoader<SlsClass, SlsModels>(() => import('@alicloud/sls20201230'));
let loading: Promise<LoadedSdk<SlsClass, SlsModels> & { Gateway: GatewayClass }> | undefined;

/** The SDK, and its gateway (`@alicloud/gateway-sls`: the `LOG` signature and the project's host). */
export function loadSlsSdk() {
  loading ??= Promise.all([loadSls(), import('@alicloud/gateway-sls')]).then(([sdk, gateway]) => ({
    ...sdk,
    Gateway: commonJsExports<GatewayClass, unknown>(gateway).Client,
  }));
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

/** The host to connect to for one project of a region (`{project}.{endpoint}`, or an IP/localhost endpoint itself). */
export function slsProjectHost(config: Config, region: string, project: string): string {
  const endpoint = slsEndpoint(config, region);
  return projectInHost(endpoint) ? `${project}.${endpoint}` : endpoint;
}

/** The Host header that names a project to Log Service: always `{project}.{endpoint}`. */
export function projectHostHeader(config: Config, region: string, project: string): string {
  return `${project}.${slsEndpoint(config, region)}`;
}

/**
 * Where CallAiTools is sent for one AI tool, as Alibaba's own observability MCP server (v1) sends
 * it: `text_to_promql` to cn-shanghai, the SQL tools to the project's own region. `SLS_AI_ENDPOINT`
 * overrides both.
 */
export function slsAiEndpoint(config: Config, toolName: string, projectRegion: string): { endpoint: string; region: string } {
  if (config.endpoints.slsAi) return { endpoint: config.endpoints.slsAi, region: projectRegion };
  if (toolName === 'text_to_promql') return { endpoint: 'cn-shanghai.log.aliyuncs.com', region: 'cn-shanghai' };
  return { endpoint: slsEndpoint(config, projectRegion), region: projectRegion };
}

async function create(config: Config, credentials: AliyunCredentials, endpoint: string, region: string): Promise<SlsClient> {
  const sdk = await loadSlsSdk();
  const client = createSdkClient(sdk, config, credentials, endpoint, region);
  if (!projectInHost(endpoint)) {
    // The SDK connects to `headers.host`, so that stays the IP; a second, capitalised `Host` entry,
    // set after signing (the `LOG` signature does not cover Host), is the header Node sends, last
    // writer winning: the connection goes to the IP and the Host header names the project.
    class IpEndpointGateway extends sdk.Gateway {
      override async modifyRequest(context: GatewayContext, attributes: unknown): Promise<void> {
        await super.modifyRequest(context, attributes);
        const project = context.request.hostMap?.project;
        if (project) context.request.headers.Host = `${project}.${endpoint}`;
      }
      override async getHost(_network: string, _project: string, target: string): Promise<string> {
        return target;
      }
    }
    (client as unknown as { setGatewayClient(spi: unknown): void }).setGatewayClient(new IpEndpointGateway());
  }
  return client;
}

/** A client for the projects of one region. */
export function createSlsClient(config: Config, credentials: AliyunCredentials, region: string): Promise<SlsClient> {
  return create(config, credentials, slsEndpoint(config, region), region);
}

/** A client for CallAiTools of one AI tool (see `slsAiEndpoint`). */
export function createSlsAiClient(
  config: Config,
  credentials: AliyunCredentials,
  toolName: string,
  projectRegion: string,
): Promise<SlsClient> {
  const { endpoint, region } = slsAiEndpoint(config, toolName, projectRegion);
  return create(config, credentials, endpoint, region);
}
