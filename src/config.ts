/**
 * Every setting of the server, read from the environment once, validated, and frozen.
 * A setting that is wrong stops the start with a message that says how to fix it.
 */
import { parseOAuthSettings, type AuthMode, type OAuthSettings } from './auth/oauth-settings.ts';
import { REGION_PATTERN } from './cluster/region-id.ts';
import { type KubectlSettings, parseKubectlSettings } from './kubectl-settings.ts';
import { type AuthToken, parseAuthTokens } from './auth-tokens.ts';
import { ConfigError, type Env, flag, integer, list } from './setting-values.ts';
import { cutShort } from './text.ts';
import { parseToolsets, type Toolset } from './toolsets.ts';

export { type AuthToken, ConfigError, type KubectlSettings };

export type AccessMode = 'read-only' | 'read-write';
/** Where a request's credentials came from; `user`: the signed-in user's role session (AUTH_MODE oauth/both). */
export type CredentialSource = 'caller' | 'function' | 'default' | 'user';

/** Whether destructive writes are confirmed by the user first (see src/mcp/confirmations.ts). */
export type ConfirmDestructive = 'never' | 'when-supported' | 'always';

export interface Config {
  host: string;
  port: number;
  accessMode: AccessMode;
  /** The toolsets served (`TOOLSETS`; default every one); read-only mode still removes writes within them. */
  toolsets: readonly Toolset[];
  confirmDestructive: ConfirmDestructive;
  authTokens: AuthToken[];
  /** How callers authenticate (`AUTH_MODE`): static bearer tokens, OAuth access tokens (JWTs), or both. */
  authMode: AuthMode;
  /** The OAuth protected-resource settings (src/auth/oauth-settings.ts); undefined when `authMode` is token. */
  oauth: OAuthSettings | undefined;
  /** Declared by the operator: a gateway in front (e.g. an FC JWT trigger) authenticates callers. */
  authByGateway: boolean;
  /** Where Alibaba Cloud credentials may come from, in order of preference. */
  credentialSources: CredentialSource[];
  /** Trust `x-fc-access-key-*` request headers (only FC can set them; off FC anyone could). */
  trustFcHeaders: boolean;
  /** FC's account id when running on FC (`FC_ACCOUNT_ID`). */
  fcAccountId: string | undefined;
  endpoints: {
    /**
     * `host[:port]` of the central CS endpoint (default `cs.aliyuncs.com`); without `csRegions`
     * and `csRegionTemplate` also every region's (one gateway for all CS calls).
     */
    cs: string | undefined;
    /** `host[:port]` of a region's CS endpoint, by region id (`CS_REGION_ENDPOINTS` entries `region=host:port`). */
    csRegions: Readonly<Record<string, string>>;
    /** `host[:port]` with `{region}` for the regions `csRegions` does not name (`CS_REGION_ENDPOINTS` entry `*=…`). */
    csRegionTemplate: string | undefined;
    /**
     * `host[:port]` of Log Service (default `{region}.log.aliyuncs.com`). Log Service routes to a
     * project by the Host name `{project}.{endpoint}`; an IP address or `localhost` (a private
     * gateway, the emulator) is connected to as is, with that Host header (see sls-client.ts).
     */
    sls: string | undefined;
    /** `host[:port]` for SLS CallAiTools (default: cn-shanghai for text_to_promql, the project's region for the SQL tools). */
    slsAi: string | undefined;
    /** `host[:port]` of CloudMonitor (default `metrics.{region}.aliyuncs.com`). */
    cms: string | undefined;
    /** `host[:port]` of STS (default `sts.aliyuncs.com`, or `sts.{region}.aliyuncs.com` with X-Aliyun-Region). */
    sts: string | undefined;
    /** `host[:port]` of ARMS (Managed Service for Prometheus; default `arms.{region}.aliyuncs.com`). */
    arms: string | undefined;
  };
  endpointProtocol: 'https' | 'http';
  upstream: {
    connectTimeoutMs: number;
    readTimeoutMs: number;
    /** Retries after the first attempt, for reads and provably-rejected writes. */
    maxRetries: number;
    retryBaseDelayMs: number;
    /** No retry starts once a call has run this long (keeps retries inside the function's timeout). */
    retryBudgetMs: number;
  };
  clusterRegionTtlMs: number;
  /** Longest life of a per-identity cache entry of an STS credential whose expiry is unknown (`STS_CACHE_MAX_SECONDS`). */
  stsCacheMaxMs: number;
  /**
   * Region of the calls that name neither a cluster nor a region (`DEFAULT_REGION`; the Python servers'
   * `ALIYUN_REGION` / `REGION_ID`): `describe_task_info` without `cluster_id`, STS. Unset: the central endpoints.
   */
  defaultRegion: string | undefined;
  kubectl: KubectlSettings;
  /** Log Service projects any cluster's calls may name besides its own (`SLS_ALLOWED_PROJECTS`: names or `*` patterns). */
  slsAllowedProjects: string[];
  maxBodyBytes: number;
  maxBatchSize: number;
  /** Browser origins allowed to call (`ALLOWED_ORIGINS`, lower-case `scheme://host[:port]`); empty: every `Origin` is refused. */
  allowedOrigins: string[];
  /** Host names the server answers to (`ALLOWED_HOSTS`, lower-case `host[:port]`); empty: any. */
  allowedHosts: string[];
}

const lower = (value: string) => value.toLowerCase();

function parseCredentialSources(env: Env): CredentialSource[] {
  const raw = env.CREDENTIAL_SOURCES?.trim();
  if (!raw) return ['caller', 'function', 'default'];
  const sources = raw.split(',').map((part) => part.trim());
  for (const source of sources) {
    if (source !== 'caller' && source !== 'function' && source !== 'default') {
      throw new ConfigError(`CREDENTIAL_SOURCES accepts caller, function and default (comma-separated); got "${source}".`);
    }
  }
  return [...new Set(sources)] as CredentialSource[];
}

/** True on Function Compute, which sets `FC_FUNCTION_NAME` and `FC_INSTANCE_ID` in every instance. */
export function runsOnFc(env: Env): boolean {
  return Boolean(env.FC_FUNCTION_NAME || env.FC_INSTANCE_ID);
}

function parseDefaultRegion(env: Env): string | undefined {
  const region = env.DEFAULT_REGION?.trim();
  if (region && !REGION_PATTERN.test(region))
    throw new ConfigError(`DEFAULT_REGION must be a region id such as cn-hangzhou; got "${cutShort(region, 40)}".`);
  return region || undefined;
}

const HOST_PORT = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?(:\d{1,5})?$/;

/**
 * `CS_REGION_ENDPOINTS`: comma-separated `region=host[:port]` entries giving regions their own CS
 * endpoint, and optionally `*=host-with-{region}` for every other region (e.g.
 * `*=cs-vpc.{region}.aliyuncs.com`, the VPC endpoints).
 */
function parseRegionEndpoints(env: Env): { csRegions: Readonly<Record<string, string>>; csRegionTemplate: string | undefined } {
  const csRegions: Record<string, string> = {};
  let csRegionTemplate: string | undefined;
  const usage =
    'CS_REGION_ENDPOINTS entries are `region=host[:port]` (e.g. `cn-hangzhou=cs.cn-hangzhou.aliyuncs.com`) or `*=host-with-{region}`, separated by commas';
  for (const entry of (env.CS_REGION_ENDPOINTS ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const region = entry.slice(0, eq).trim();
    const host = entry.slice(eq + 1).trim();
    if (eq <= 0 || !host) throw new ConfigError(`${usage}; got "${entry}".`);
    if (region === '*') {
      if (!host.includes('{region}') || !HOST_PORT.test(host.replaceAll('{region}', 'cn-hangzhou'))) {
        throw new ConfigError(`CS_REGION_ENDPOINTS: the * entry must be a host[:port] containing {region}; got "${host}".`);
      }
      csRegionTemplate = host;
      continue;
    }
    if (!REGION_PATTERN.test(region)) throw new ConfigError(`CS_REGION_ENDPOINTS: "${region}" is not a region id such as cn-hangzhou.`);
    if (!HOST_PORT.test(host))
      throw new ConfigError(`CS_REGION_ENDPOINTS: the endpoint of ${region} must be host[:port] (no scheme or path); got "${host}".`);
    if (csRegions[region]) throw new ConfigError(`CS_REGION_ENDPOINTS names ${region} twice.`);
    csRegions[region] = host;
  }
  return { csRegions: Object.freeze(csRegions), csRegionTemplate };
}

/** Reads and validates the configuration. @throws ConfigError */
export function loadConfig(env: Env = process.env): Config {
  const accessMode = (env.ACCESS_MODE?.trim() || 'read-write') as AccessMode;
  if (accessMode !== 'read-only' && accessMode !== 'read-write') {
    throw new ConfigError(`ACCESS_MODE must be read-only or read-write; got "${env.ACCESS_MODE}".`);
  }
  const toolsets = parseToolsets(env.TOOLSETS);
  if (!toolsets.ok) throw new ConfigError(toolsets.message);
  const confirmDestructive = (env.CONFIRM_DESTRUCTIVE?.trim() || 'when-supported') as ConfirmDestructive;
  if (!['never', 'when-supported', 'always'].includes(confirmDestructive)) {
    throw new ConfigError(`CONFIRM_DESTRUCTIVE must be never, when-supported or always; got "${env.CONFIRM_DESTRUCTIVE}".`);
  }
  const protocol = env.ALIBABA_CLOUD_ENDPOINT_PROTOCOL?.trim() || 'https';
  if (protocol !== 'https' && protocol !== 'http') {
    throw new ConfigError(`ALIBABA_CLOUD_ENDPOINT_PROTOCOL must be https or http; got "${protocol}".`);
  }
  const onFc = runsOnFc(env);
  let auth: ReturnType<typeof parseOAuthSettings>;
  try {
    auth = parseOAuthSettings(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const config: Config = {
    host: env.HOST?.trim() || (onFc ? '0.0.0.0' : '127.0.0.1'),
    port: integer(env, 'FC_SERVER_PORT', integer(env, 'PORT', onFc ? 9000 : 8080, 0, 65535), 0, 65535),
    accessMode,
    toolsets: toolsets.toolsets,
    confirmDestructive,
    authTokens: parseAuthTokens(env),
    ...auth,
    authByGateway: flag(env, 'MCP_AUTH_BY_GATEWAY'),
    credentialSources: parseCredentialSources(env),
    trustFcHeaders: env.TRUST_FC_HEADERS ? flag(env, 'TRUST_FC_HEADERS') : onFc,
    fcAccountId: env.FC_ACCOUNT_ID?.trim() || undefined,
    endpoints: {
      cs: env.CS_ENDPOINT?.trim() || undefined,
      ...parseRegionEndpoints(env),
      sls: env.SLS_ENDPOINT?.trim() || undefined,
      slsAi: env.SLS_AI_ENDPOINT?.trim() || undefined,
      cms: env.CMS_ENDPOINT?.trim() || undefined,
      sts: env.STS_ENDPOINT?.trim() || undefined,
      arms: env.ARMS_ENDPOINT?.trim() || undefined,
    },
    endpointProtocol: protocol,
    upstream: {
      connectTimeoutMs: integer(env, 'UPSTREAM_CONNECT_TIMEOUT_MS', 5_000, 100, 60_000),
      readTimeoutMs: integer(env, 'UPSTREAM_READ_TIMEOUT_MS', 20_000, 100, 300_000),
      maxRetries: integer(env, 'UPSTREAM_MAX_RETRIES', 3, 0, 10),
      retryBaseDelayMs: integer(env, 'UPSTREAM_RETRY_BASE_MS', 300, 1, 10_000),
      retryBudgetMs: integer(env, 'UPSTREAM_RETRY_BUDGET_MS', 30_000, 0, 120_000),
    },
    clusterRegionTtlMs: integer(env, 'CLUSTER_REGION_TTL_SECONDS', 600, 1, 86_400) * 1000,
    stsCacheMaxMs: integer(env, 'STS_CACHE_MAX_SECONDS', 300, 0, 86_400) * 1000,
    defaultRegion: parseDefaultRegion(env),
    kubectl: parseKubectlSettings(env),
    slsAllowedProjects: list(
      env,
      'SLS_ALLOWED_PROJECTS',
      /^[a-z0-9*][a-z0-9*-]{0,127}$/,
      'Log Service project names or patterns with * (e.g. k8s-log-*)',
    ),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1024 * 1024, 1024, 32 * 1024 * 1024),
    maxBatchSize: integer(env, 'MAX_BATCH_SIZE', 20, 1, 100),
    allowedOrigins: list(
      env,
      'ALLOWED_ORIGINS',
      /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i,
      'origins scheme://host[:port] (e.g. https://console.example.com)',
    ).map(lower),
    allowedHosts: list(
      env,
      'ALLOWED_HOSTS',
      /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i,
      'host names host[:port] (e.g. mcp.example.com)',
    ).map(lower),
  };
  assertSecureStartup(config);
  return Object.freeze(config);
}

/**
 * Refuses an endpoint that nobody authenticates but that would act with the server's own
 * identity (function role or default chain). Caller-keys-only servers may run open: every
 * call is then authenticated by Alibaba Cloud with the caller's own keys.
 * @throws ConfigError
 */
export function assertSecureStartup(config: Config): void {
  if (config.authMode === 'oauth' && config.authTokens.length > 0) {
    throw new ConfigError(
      'AUTH_MODE=oauth accepts no static tokens, but MCP_AUTH_TOKEN(S) is set: set AUTH_MODE=both to accept both, or remove the tokens.',
    );
  }
  if (config.authMode === 'both' && config.authTokens.length === 0) {
    throw new ConfigError(
      'AUTH_MODE=both needs MCP_AUTH_TOKEN or MCP_AUTH_TOKENS for the static-token callers; without them set AUTH_MODE=oauth.',
    );
  }
  if (config.oauth?.assumeWith === 'role' && !config.credentialSources.some((source) => source !== 'caller')) {
    throw new ConfigError(
      "OAUTH_ASSUME_WITH=role signs AssumeRole with the server's own credentials, but CREDENTIAL_SOURCES allows only caller: add function (or default), or use OAUTH_ASSUME_WITH=oidc.",
    );
  }
  if (config.authMode !== 'token') return; // every caller is authenticated: by a token, or by the authorization server
  const actsWithOwnIdentity = config.credentialSources.some((source) => source !== 'caller');
  if (config.authTokens.length === 0 && !config.authByGateway && actsWithOwnIdentity) {
    throw new ConfigError(
      'Refusing to start: no MCP_AUTH_TOKEN is set, so anyone who can reach this endpoint could act with this ' +
        "server's own Alibaba Cloud identity (function role or default credential chain). Do one of: " +
        'set MCP_AUTH_TOKEN (e.g. `openssl rand -hex 32`) or MCP_AUTH_TOKENS; ' +
        'set MCP_AUTH_BY_GATEWAY=true if a gateway in front (an FC JWT trigger) authenticates callers; ' +
        "or set CREDENTIAL_SOURCES=caller so that only callers' own X-Aliyun-* keys are used.",
    );
  }
}
