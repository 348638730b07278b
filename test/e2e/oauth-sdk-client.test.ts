/**
 * The MCP TypeScript SDK's own OAuth client against the server in AUTH_MODE=oauth: given only the MCP URL, it reads
 * the 401's resource_metadata, discovers the demo authorization server, registers itself, sends the user to the
 * authorization endpoint with PKCE (the "browser" here appends login_hint and follows nothing but the redirect back),
 * exchanges the code for a token and then calls tools as that user.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { startOAuthStack, type OAuthStack } from '../support/oauth-stack.ts';
import { rememberSecrets } from '../support/stack.ts';

let stack: OAuthStack;
before(async () => {
  stack = await startOAuthStack();
});
after(() => stack.close());

/** What an MCP client keeps for one user, and a "browser" that signs in as `user`. */
function provider(user: string): OAuthClientProvider & { code: Promise<string> } {
  let client: OAuthClientInformationMixed | undefined;
  let tokens: OAuthTokens | undefined;
  let verifier = '';
  let deliver: (code: string) => void = () => undefined;
  const code = new Promise<string>((resolve) => (deliver = resolve));
  const redirectUrl = 'http://127.0.0.1:1/callback';
  return {
    code,
    redirectUrl,
    clientMetadata: {
      client_name: 'sdk-e2e',
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
    clientInformation: () => client,
    saveClientInformation: (info) => void (client = info),
    tokens: () => tokens,
    saveTokens: (saved) => {
      tokens = saved;
      rememberSecrets(saved.access_token);
    },
    saveCodeVerifier: (saved) => void (verifier = saved),
    codeVerifier: () => verifier,
    async redirectToAuthorization(url) {
      url.searchParams.set('login_hint', user);
      const answer = await fetch(url, { redirect: 'manual' });
      deliver(new URL(answer.headers.get('location')!).searchParams.get('code') ?? 'no-code');
    },
  };
}

test('the SDK client signs in with only the MCP URL, then calls tools as the user', async () => {
  const auth = provider('alice');
  const first = new Client({ name: 'sdk-e2e', version: '1.0.0' });
  await assert.rejects(first.connect(new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { authProvider: auth })), UnauthorizedError);
  const transport = new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { authProvider: auth });
  await transport.finishAuth(await auth.code);
  assert.ok(stack.idp.hits.get('/register'), 'the client registered itself');

  const client = new Client({ name: 'sdk-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { authProvider: auth }));
  const result = (await client.callTool({ name: 'list_clusters', arguments: {} })) as {
    isError?: boolean;
    content: Array<{ text: string }>;
  };
  assert.equal(result.isError, undefined, result.content[0]?.text);
  assert.match(result.content[0]!.text, /prod-hangzhou/);
  const line = await stack.waitForLog((entry) => entry.tool === 'list_clusters' && entry.user?.sub === 'alice');
  assert.equal(line.user.name, 'Alice Ops');
  await client.close();
});
