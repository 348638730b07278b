/**
 * A signed-in user's own Alibaba Cloud credentials: an STS session of the RAM role their mapping names, named after
 * the user (`RoleSessionName`, so ActionTrail shows the person), got either with `AssumeRole` signed by the server's
 * own credentials (`OAUTH_ASSUME_WITH=role`) or with `AssumeRoleWithOIDC` and the user's access token
 * (`OAUTH_ASSUME_WITH=oidc`: an anonymous call, the token is the proof). Sessions are cached per user and role until a
 * margin before they expire; every per-identity cache downstream is keyed by the session's own identity key and
 * bounded by its expiry (credentialCacheTtlMs).
 */
import { createHash } from 'node:crypto';
import { TtlCache } from '../cache/ttl-cache.ts';
import { loadStsSdk, stsEndpoint, type StsClient } from '../clients/sts-client.ts';
import { sdkClientConfig } from '../clients/sdk-client-config.ts';
import type { Config } from '../config.ts';
import { CREDENTIAL_EXPIRY_MARGIN_MS, makeCredentials, type AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import type { CallerUser } from './caller-user.ts';

/** `RoleSessionName` for a user: 2-64 of [A-Za-z0-9.@_-]; a longer subject keeps its start and a hash of the whole. */
export function roleSessionNameFor(subject: string): string {
  const clean = subject.replace(/[^A-Za-z0-9.@_-]/g, '_');
  const padded = clean.length < 2 ? `${clean}__`.slice(0, 2) : clean;
  if (padded.length <= 64) return padded;
  return `${padded.slice(0, 55)}-${createHash('sha256').update(subject).digest('hex').slice(0, 8)}`;
}

interface StsSession {
  AccessKeyId?: string;
  AccessKeySecret?: string;
  SecurityToken?: string;
  Expiration?: string;
}

function credentialsOf(credentials: StsSession | undefined): AliyunCredentials {
  const expiresAt = Date.parse(credentials?.Expiration ?? '');
  if (!credentials?.AccessKeyId || !credentials.AccessKeySecret || !credentials.SecurityToken || !Number.isFinite(expiresAt)) {
    throw Object.assign(new Error('STS answered without a complete session'), { code: 'UnreadableAnswer' });
  }
  return makeCredentials('user', credentials.AccessKeyId, credentials.AccessKeySecret, credentials.SecurityToken, expiresAt);
}

async function stsClient(config: Config, credentials: AliyunCredentials | undefined): Promise<StsClient> {
  const sdk = await loadStsSdk();
  const region = config.defaultRegion;
  const endpoint = stsEndpoint(config, region);
  const settings = credentials
    ? sdkClientConfig(config, credentials, endpoint, region ?? 'cn-hangzhou')
    : {
        endpoint,
        regionId: region ?? 'cn-hangzhou',
        protocol: config.endpointProtocol,
        readTimeout: config.upstream.readTimeoutMs,
        connectTimeout: config.upstream.readTimeoutMs,
        userAgent: 'ack-mcp-server',
      };
  return new sdk.Client(new sdk.Config(settings) as ConstructorParameters<typeof sdk.Client>[0]);
}

export interface UserCredentialSource {
  /** The user's STS credentials; `serverCredentials` are needed only for AssumeRole. */
  get(user: CallerUser, serverCredentials: () => Promise<AliyunCredentials>): Promise<AliyunCredentials>;
}

export function userCredentialSource(config: Config): UserCredentialSource {
  const oauth = config.oauth;
  const sessions = new TtlCache<AliyunCredentials>(1000);
  return {
    get(user, serverCredentials) {
      if (!oauth) throw new Error('no OAuth settings');
      const key = `${oauth.assumeWith}\0${user.roleArn}\0${user.subject}`;
      return sessions.getOrLoad(key, async () => {
        const sdk = await loadStsSdk();
        const sessionName = roleSessionNameFor(user.subject);
        let session: StsSession | undefined;
        if (oauth.assumeWith === 'oidc') {
          const client = await stsClient(config, undefined);
          const request = new sdk.models.AssumeRoleWithOIDCRequest({
            OIDCProviderArn: oauth.oidcProviderArn,
            roleArn: user.roleArn,
            OIDCToken: user.token,
            roleSessionName: sessionName,
            durationSeconds: oauth.sessionSeconds,
          });
          session = (await client.assumeRoleWithOIDC(request)).body?.credentials as StsSession | undefined;
          session = normalise(session);
        } else {
          const client = await stsClient(config, await serverCredentials());
          const request = new sdk.models.AssumeRoleRequest({
            roleArn: user.roleArn,
            roleSessionName: sessionName,
            durationSeconds: oauth.sessionSeconds,
          });
          session = normalise((await client.assumeRole(request)).body?.credentials as StsSession | undefined);
        }
        const credentials = credentialsOf(session);
        return { value: credentials, ttlMs: Math.max(0, (credentials.expiresAt ?? 0) - CREDENTIAL_EXPIRY_MARGIN_MS - Date.now()) };
      });
    },
  };
}

/** The SDK's models name the fields camelCase (`accessKeyId`); read either form. */
function normalise(session: unknown): StsSession | undefined {
  if (!session || typeof session !== 'object') return undefined;
  const s = session as Record<string, unknown>;
  const pick = (...names: string[]) => names.map((name) => s[name]).find((value) => typeof value === 'string') as string | undefined;
  return {
    AccessKeyId: pick('accessKeyId', 'AccessKeyId'),
    AccessKeySecret: pick('accessKeySecret', 'AccessKeySecret'),
    SecurityToken: pick('securityToken', 'SecurityToken'),
    Expiration: pick('expiration', 'Expiration'),
  };
}
