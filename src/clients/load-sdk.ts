/**
 * The one way an @alicloud SDK is loaded: on first use (each costs ~160 ms to load), once per process, with the
 * shared `@alicloud/openapi-core` Config class, and a client created for one request's credentials with the shared
 * settings (`sdkClientConfig`: endpoint, protocol, timeouts).
 */
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { sdkClientConfig } from './sdk-client-config.ts';

export type OpenApiConfigClass = new (init: Record<string, unknown>) => unknown;

/** An SDK client class: each takes its own Config type, so any constructor qualifies. */
type ClientClass = abstract new (...args: never[]) => unknown;

export interface LoadedSdk<C extends ClientClass, M> {
  Client: C;
  models: M;
  Config: OpenApiConfigClass;
}

/**
 * Node's native ESM puts a CommonJS module's exports on `default`; loaders differ on whether the class sits at
 * `default` or `default.default`, so look for it. The models are the namespace that holds the class.
 */
export function commonJsExports<C, M>(module: unknown): { Client: C; models: M } {
  const namespace = module as { default: unknown };
  const exported = namespace.default as C | { default: C };
  const atDefault = typeof exported === 'function';
  return { Client: (atDefault ? exported : (exported as { default: C }).default) as C, models: (atDefault ? namespace : exported) as M };
}

let openApiCore: Promise<OpenApiConfigClass> | undefined;

/** The `Config` class of `@alicloud/openapi-core`, which every SDK client is built with. */
export function loadOpenApiConfig(): Promise<OpenApiConfigClass> {
  openApiCore ??= import('@alicloud/openapi-core').then(
    (core) => (core as unknown as { $OpenApiUtil: { Config: OpenApiConfigClass } }).$OpenApiUtil.Config,
  );
  return openApiCore;
}

/** A loader that imports the SDK (`importSdk`: a literal `import('@alicloud/…')`, for the bundler) on first call only. */
export function sdkLoader<C extends ClientClass, M>(importSdk: () => Promise<unknown>): () => Promise<LoadedSdk<C, M>> {
  let loading: Promise<LoadedSdk<C, M>> | undefined;
  return () => {
    loading ??= Promise.all([importSdk(), loadOpenApiConfig()]).then(([module, Config]) => ({ ...commonJsExports<C, M>(module), Config }));
    return loading;
  };
}

/** A client of a loaded SDK for one request's credentials, at `endpoint`, signing for `regionId`. */
export function createSdkClient<C extends ClientClass>(
  sdk: { Client: C; Config: OpenApiConfigClass },
  config: Config,
  credentials: AliyunCredentials,
  endpoint: string,
  regionId: string,
): InstanceType<C> {
  const Client = sdk.Client as unknown as new (config: unknown) => InstanceType<C>;
  return new Client(new sdk.Config(sdkClientConfig(config, credentials, endpoint, regionId)));
}
