/**
 * Picks the Alibaba Cloud credentials for one request, from the sources the configuration
 * allows, in this order: the caller's `X-Aliyun-*` headers; the function's role (FC's
 * `x-fc-*` headers, else the `ALIBABA_CLOUD_*` environment); the default chain of
 * `@alicloud/credentials`.
 */
import type { Config } from '../config.ts';
import { ToolFailure } from '../errors/tool-failure.ts';
import { cutShort } from '../text.ts';
import { makeCredentials, type AliyunCredentials } from './aliyun-credentials.ts';

export const CALLER_HEADERS = {
  accessKeyId: 'x-aliyun-access-key-id',
  accessKeySecret: 'x-aliyun-access-key-secret',
  securityToken: 'x-aliyun-security-token',
  region: 'x-aliyun-region',
} as const;

const FC_HEADERS = {
  accessKeyId: 'x-fc-access-key-id',
  accessKeySecret: 'x-fc-access-key-secret',
  securityToken: 'x-fc-security-token',
} as const;

type Env = Record<string, string | undefined>;

/** The default credential chain, created once per process (it caches and refreshes itself). */
export interface DefaultCredentialChain {
  get(): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken?: string | undefined; expiresAt?: number | undefined }>;
}

/** What `@alicloud/credentials` 2.x keeps of an STS session (not public API: read defensively). */
interface ChainInternals {
  credential?: { provider?: { lastUsedProvider?: { session?: { accessKeyId?: unknown; expiration?: unknown } } } };
}

/**
 * The expiry of the session the chain's last provider holds (ECS RAM role, OIDC, URI, RAM role ARN), when it is the
 * session of `accessKeyId`; undefined otherwise (AccessKeys, environment STS tokens, another library version).
 */
export function chainSessionExpiry(chain: unknown, accessKeyId: string): number | undefined {
  const session = (chain as ChainInternals | undefined)?.credential?.provider?.lastUsedProvider?.session;
  if (!session || session.accessKeyId !== accessKeyId || typeof session.expiration !== 'string') return undefined;
  const expiresAt = Date.parse(session.expiration);
  return Number.isFinite(expiresAt) ? expiresAt : undefined;
}

/**
 * Why the default chain found nothing, for the operator's log: the chain's own message with local
 * paths cut to their file name (`…/credentials`) and bounded. It names sources, never secrets.
 */
export function describeChainFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const withoutPaths = message.replace(/(^|[\s'"(=])(?:\/[^\s'"(),;/]+)*\/([^\s'"(),;/]+)/g, '$1…/$2');
  return cutShort(withoutPaths, 400);
}

/**
 * The default chain of `@alicloud/credentials` (loaded on first use). `onFailure` hears why it
 * found no credentials (see `describeChainFailure`); the request still gets NoCredentials.
 */
export function createDefaultCredentialChain(onFailure?: (reason: string) => void): DefaultCredentialChain {
  let chain: Promise<{ getCredential(): Promise<{ accessKeyId?: string; accessKeySecret?: string; securityToken?: string }> }> | undefined;
  return {
    async get() {
      try {
        chain ??= import('@alicloud/credentials').then((module) => {
          const Credential = (module as unknown as { default: { default?: unknown } }).default;
          const Ctor = ((Credential as { default?: unknown }).default ?? Credential) as new () => {
            getCredential(): Promise<{ accessKeyId?: string; accessKeySecret?: string; securityToken?: string }>;
          };
          return new Ctor();
        });
        const instance = await chain;
        const credential = await instance.getCredential();
        if (!credential.accessKeyId || !credential.accessKeySecret) throw new Error('default chain returned no AccessKey');
        return {
          accessKeyId: credential.accessKeyId,
          accessKeySecret: credential.accessKeySecret,
          securityToken: credential.securityToken,
          expiresAt: chainSessionExpiry(instance, credential.accessKeyId),
        };
      } catch (error) {
        onFailure?.(describeChainFailure(error));
        throw error;
      }
    },
  };
}

function trimmed(headers: Headers, name: string): string | undefined {
  return headers.get(name)?.trim() || undefined;
}

function fromCallerHeaders(headers: Headers, config: Config): AliyunCredentials | undefined {
  const accessKeyId = trimmed(headers, CALLER_HEADERS.accessKeyId);
  const accessKeySecret = trimmed(headers, CALLER_HEADERS.accessKeySecret);
  const securityToken = trimmed(headers, CALLER_HEADERS.securityToken);
  if (!accessKeyId && !accessKeySecret && !securityToken) return undefined;
  if (!config.credentialSources.includes('caller')) {
    throw new ToolFailure(
      'CallerCredentialsNotAccepted',
      'This server does not accept credentials in X-Aliyun-* headers; it acts with its own role. Remove those headers.',
    );
  }
  if (!accessKeyId || !accessKeySecret) {
    throw new ToolFailure(
      'IncompleteCallerCredentials',
      'X-Aliyun-Access-Key-Id and X-Aliyun-Access-Key-Secret must be sent together (plus X-Aliyun-Security-Token for STS keys).',
    );
  }
  if (!/^[\x21-\x7e]{1,128}$/.test(accessKeyId) || !/^[\x21-\x7e]{1,256}$/.test(accessKeySecret)) {
    throw new ToolFailure('MalformedCallerCredentials', 'X-Aliyun-Access-Key-Id or -Secret contains characters an AccessKey cannot have.');
  }
  return makeCredentials('caller', accessKeyId, accessKeySecret, securityToken);
}

function fromFunctionRole(headers: Headers, config: Config, env: Env): AliyunCredentials | undefined {
  if (config.trustFcHeaders) {
    const accessKeyId = trimmed(headers, FC_HEADERS.accessKeyId);
    const accessKeySecret = trimmed(headers, FC_HEADERS.accessKeySecret);
    if (accessKeyId && accessKeySecret) {
      return makeCredentials('function', accessKeyId, accessKeySecret, trimmed(headers, FC_HEADERS.securityToken));
    }
  }
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID?.trim();
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET?.trim();
  if (accessKeyId && accessKeySecret) {
    return makeCredentials('function', accessKeyId, accessKeySecret, env.ALIBABA_CLOUD_SECURITY_TOKEN?.trim());
  }
  return undefined;
}

/**
 * Resolves this request's credentials.
 * @throws ToolFailure when the caller's headers are refused or incomplete, or no source has credentials.
 */
export async function resolveCredentials(
  headers: Headers,
  config: Config,
  defaultChain: DefaultCredentialChain,
  env: Env = process.env,
): Promise<AliyunCredentials> {
  const fromCaller = fromCallerHeaders(headers, config);
  if (fromCaller) return fromCaller;
  if (config.credentialSources.includes('function')) {
    const role = fromFunctionRole(headers, config, env);
    if (role) return role;
  }
  if (config.credentialSources.includes('default')) {
    try {
      const found = await defaultChain.get();
      return makeCredentials('default', found.accessKeyId, found.accessKeySecret, found.securityToken, found.expiresAt);
    } catch {
      // The caller gets the explanation below; why the chain failed goes to the operator's log (createDefaultCredentialChain).
    }
  }
  const allowed = config.credentialSources.join(', ');
  throw new ToolFailure(
    'NoCredentials',
    `No Alibaba Cloud credentials for this request (sources allowed: ${allowed}). ` +
      (config.credentialSources.includes('caller')
        ? 'Send X-Aliyun-Access-Key-Id and X-Aliyun-Access-Key-Secret headers (and X-Aliyun-Security-Token for STS keys).'
        : 'The operator must give the function a role or configure ALIBABA_CLOUD_* credentials.'),
  );
}
