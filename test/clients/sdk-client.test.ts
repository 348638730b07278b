/**
 * The official TypeScript SDK client 1.x (`@modelcontextprotocol/sdk`, Streamable HTTP) as an
 * application uses it: with a static token in its headers, and with an OAuth provider (the way
 * OAuth-capable apps are built on it). What the application gets to show in each case.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { SEND_TOKEN } from '../../src/http/auth-answers.ts';
import { callerHeaders, startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

/** Connects a fresh client; resolves to the error the application would show, if any. */
async function connectError(options: ConstructorParameters<typeof StreamableHTTPClientTransport>[1]): Promise<Error | undefined> {
  const client = new Client({ name: 'sdk-app', version: '1.0.0' });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(stack.mcpUrl), options));
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await client.close();
  }
}

/** An OAuth client with nothing stored, as an app starts; records whether it was sent to sign in. */
function freshOAuthProvider(): OAuthClientProvider & { sentToSignIn: boolean } {
  let client: OAuthClientInformationMixed | undefined;
  let tokens: OAuthTokens | undefined;
  return {
    sentToSignIn: false,
    redirectUrl: 'http://127.0.0.1:1/callback',
    clientMetadata: { client_name: 'sdk-app', redirect_uris: ['http://127.0.0.1:1/callback'] },
    clientInformation: () => client,
    saveClientInformation: (information) => void (client = information),
    tokens: () => tokens,
    saveTokens: (saved) => void (tokens = saved),
    redirectToAuthorization() {
      this.sentToSignIn = true;
    },
    saveCodeVerifier: () => undefined,
    codeVerifier: () => 'unused',
  };
}

describe('TypeScript SDK client 1.x', () => {
  test('lists the tools and calls one with structured output', async () => {
    const account = stack.emulator.world.accounts[0]!;
    const client = await stack.client(callerHeaders(account.accessKeys[0]!));
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === 'list_clusters' && tool.outputSchema));
    const result = await client.callTool({ name: 'list_clusters', arguments: { page_size: 50 } });
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    const shown = (result.structuredContent as { clusters: Array<{ cluster_id: string }> }).clusters
      .map((cluster) => cluster.cluster_id)
      .sort();
    assert.deepEqual(shown, account.clusters.map((cluster) => cluster.cluster_id).sort());
  });

  test('no token: the error says to send Authorization: Bearer <token>', async () => {
    const error = await connectError({});
    assert.ok(error?.message.includes(`Unauthorized: ${SEND_TOKEN}`), error?.message);
  });

  test('a wrong token: the error says the token is not valid', async () => {
    const error = await connectError({ requestInit: { headers: { authorization: 'Bearer not-the-token-0123456789' } } });
    assert.ok(error?.message.includes(`Forbidden: The bearer token is not valid: ${SEND_TOKEN}`), error?.message);
  });

  test("with an OAuth provider and no token: registration is refused with the server's message, no sign-in page", async () => {
    const provider = freshOAuthProvider();
    const error = await connectError({ authProvider: provider });
    assert.ok(error?.message.includes(SEND_TOKEN), error?.message);
    assert.equal(provider.sentToSignIn, false);
  });

  test("with an OAuth provider and a wrong static token: the server's message, no OAuth attempted", async () => {
    const provider = freshOAuthProvider();
    const error = await connectError({
      authProvider: provider,
      requestInit: { headers: { authorization: 'Bearer not-the-token-0123456789' } },
    });
    assert.ok(error?.message.includes('The bearer token is not valid'), error?.message);
    assert.equal(provider.sentToSignIn, false);
    assert.equal(provider.clientInformation(), undefined, 'no client registration attempted');
  });

  test('with an OAuth provider and the static token: works as without one', async () => {
    const client = new Client({ name: 'sdk-app', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
        authProvider: freshOAuthProvider(),
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    try {
      assert.ok((await client.listTools()).tools.length > 0);
    } finally {
      await client.close();
    }
  });
});
