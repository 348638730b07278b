/**
 * The stack with the server as an OAuth protected resource: the demo authorization server (alice in group ops,
 * bob in group dev), the emulator with the RAM roles they map to, and the server in AUTH_MODE oauth or both,
 * acting for each user with the RAM role the mapping gives them. `signIn(user)` runs the flow an OAuth client
 * runs (401 → protected resource metadata → authorization server metadata → registration → PKCE authorization
 * with `login_hint` → token) over real HTTP and returns the access token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { freePort } from './free-port.ts';
import { startDemoAuthorizationServer, type DemoAuthorizationServer } from '../emulator/idp/authorization-server.ts';
import { DEMO_ACCOUNT_ID, DEMO_OIDC_PROVIDER_ARN, DEMO_ROLE_MAPPING } from '../emulator/sts/roles.ts';
import { rememberSecrets, startStack, type Stack, type StackOptions } from './stack.ts';

export interface OAuthStack extends Stack {
  idp: DemoAuthorizationServer;
  signIn(user: string): Promise<string>;
}

export const ROLE_MAPPING = DEMO_ROLE_MAPPING;

/**
 * `assumeWith: 'oidc'`: the server gets each user's session with AssumeRoleWithOIDC and the user's token; the demo
 * authorization server is registered in the emulated account as the RAM OIDC provider the roles trust (either way).
 */
export async function startOAuthStack(
  options: StackOptions & { mode?: 'oauth' | 'both'; assumeWith?: 'role' | 'oidc' } = {},
): Promise<OAuthStack> {
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}/mcp`;
  const idp = await startDemoAuthorizationServer({ resources: [resource] });
  const mode = options.mode ?? 'oauth';
  /** The server's own identity (the function's role): a RAM user key of the demo account, trusted by both roles. */
  const functionKey = { id: 'LTAI5tDemoAccessKeyId001', secret: 'DemoSecretAbcdefghijklmnopqrs01' };
  const stack = await startStack({
    defaultChain: { get: async () => ({ accessKeyId: functionKey.id, accessKeySecret: functionKey.secret }) },
    ...options,
    env: {
      AUTH_MODE: mode,
      ...(mode === 'oauth' ? { MCP_AUTH_TOKEN: '' } : {}),
      OAUTH_ISSUER: idp.issuer,
      OAUTH_RESOURCE: resource,
      OAUTH_ROLE_MAPPING: ROLE_MAPPING,
      OAUTH_ALLOW_HTTP_LOOPBACK: 'true',
      ...(options.assumeWith === 'oidc' ? { OAUTH_ASSUME_WITH: 'oidc', OAUTH_OIDC_PROVIDER_ARN: DEMO_OIDC_PROVIDER_ARN } : {}),
      CREDENTIAL_SOURCES: 'default',
      PORT: String(port),
      ...options.env,
    },
  });
  const account = stack.emulator.world.accounts.find((candidate) => candidate.accountId === DEMO_ACCOUNT_ID)!;
  (account.oidcProviders ??= []).push({ arn: DEMO_OIDC_PROVIDER_ARN, issuerUrl: idp.issuer, clientIds: [resource] });
  const close = stack.close;
  const mint = idp.mint;
  // Every token a test mints is a secret the leak scan looks for in logs and answers.
  idp.mint = async (...args) => {
    const token = await mint(...args);
    rememberSecrets(token);
    return token;
  };
  return {
    ...stack,
    idp,
    async signIn(user) {
      const challenge = await fetch(stack.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: '{}',
      });
      const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge.headers.get('www-authenticate') ?? '')?.[1];
      if (!metadataUrl) throw new Error(`no resource_metadata in the challenge (HTTP ${challenge.status})`);
      const prm = (await (await fetch(metadataUrl)).json()) as { resource: string; authorization_servers: string[] };
      const asMetadata = (await (await fetch(`${prm.authorization_servers[0]}/.well-known/oauth-authorization-server`)).json()) as Record<
        string,
        string
      >;
      const redirectUri = 'http://127.0.0.1:1/callback';
      const registration = await fetch(asMetadata.registration_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'e2e', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
      });
      const { client_id: clientId } = (await registration.json()) as { client_id: string };
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL(asMetadata.authorization_endpoint!);
      for (const [name, value] of Object.entries({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        state: 'xyz',
        resource: prm.resource,
        login_hint: user,
      }))
        authorize.searchParams.set(name, value);
      const redirect = await fetch(authorize, { redirect: 'manual' });
      const code = new URL(redirect.headers.get('location') ?? 'http://invalid/').searchParams.get('code');
      if (!code) throw new Error(`no code for ${user}: ${redirect.status} ${redirect.headers.get('location')}`);
      const tokenAnswer = await fetch(asMetadata.token_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          client_id: clientId,
          redirect_uri: redirectUri,
          resource: prm.resource,
        }),
      });
      const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
      rememberSecrets(token);
      return token;
    },
    async close() {
      await close();
      await idp.close();
    },
  };
}
