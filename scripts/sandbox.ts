/**
 * `npm run sandbox`: the emulator with a demo account and the MCP server wired to it, so
 * every tool can be tried without an Alibaba Cloud account.
 *
 * Honours PORT (default 8080), MCP_AUTH_TOKEN (generated when unset), ACCESS_MODE, TOOLSETS (default all),
 * EMULATOR_PORT (default: any free port) and OAUTH_DEMO_PORT (the demo authorization server; default 8081 beside
 * the default PORT, else any free port).
 *
 * It runs in AUTH_MODE=both: the printed token works, and OAuth clients (mcp-remote, Claude, the Inspector) sign in
 * through the demo authorization server as alice (group ops → role ack-ops, may change node pools) or bob (group dev
 * → role ack-dev-readonly, refused by RAM and RBAC on every write). Sandbox only: no passwords.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../src/config.ts';
import { ListenError, startServer, type RunningServer } from '../src/server.ts';
import { startFullEmulator } from '../test/emulator/full-emulator.ts';
import { startDemoAuthorizationServer } from '../test/emulator/idp/authorization-server.ts';
import { DEMO_ACCOUNT_ID, DEMO_OIDC_PROVIDER_ARN, DEMO_ROLE_MAPPING } from '../test/emulator/sts/roles.ts';
import { freePort } from '../test/support/free-port.ts';

const token = process.env.MCP_AUTH_TOKEN || randomBytes(24).toString('hex');
function fail(message: string, code: number): never {
  process.stderr.write(`ack-mcp sandbox: ${message}\n`);
  process.exit(code);
}

const emulatorPort = Number(process.env.EMULATOR_PORT ?? 0);
const emulator = await startFullEmulator({ port: emulatorPort }).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE')
    fail(`EMULATOR_PORT ${emulatorPort} is already in use: set another or leave it unset (any free port).`, 1);
  throw error;
});
const demoKey = emulator.world.accounts[0]!.accessKeys[0]!;
// The resource URL tokens are issued for must be known before the server listens: pick the port first.
const port = Number(process.env.PORT ?? 8080) || (await freePort());
const mcpResource = `http://127.0.0.1:${port}/mcp`;
const idpPort = Number(process.env.OAUTH_DEMO_PORT ?? (port === 8080 ? 8081 : 0));
const idp = await startDemoAuthorizationServer({ resources: [mcpResource], port: idpPort, adoptUnknownLoopbackClients: true }).catch(
  (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') fail(`OAUTH_DEMO_PORT ${idpPort} is already in use: set another (0: any free port).`, 1);
    throw error;
  },
);
const demoAccount = emulator.world.accounts.find((account) => account.accountId === DEMO_ACCOUNT_ID)!;
(demoAccount.oidcProviders ??= []).push({ arn: DEMO_OIDC_PROVIDER_ARN, issuerUrl: idp.issuer, clientIds: [mcpResource] });

// The sandbox server acts with the demo account's key as its "function role" (read from the
// environment at each request, as on FC); callers may still send their own X-Aliyun-* headers
// (e.g. the "other" tenant's key) to switch identity.
process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = demoKey.accessKeyId;
process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = demoKey.accessKeySecret;
delete process.env.ALIBABA_CLOUD_SECURITY_TOKEN;
let config: Config;
let server: RunningServer;
try {
  config = loadConfig({
    ...process.env,
    PORT: String(port),
    MCP_AUTH_TOKEN: token,
    CREDENTIAL_SOURCES: 'caller,function',
    AUTH_MODE: 'both',
    OAUTH_ISSUER: idp.issuer,
    OAUTH_RESOURCE: mcpResource,
    OAUTH_ROLE_MAPPING: DEMO_ROLE_MAPPING,
    OAUTH_ALLOW_HTTP_LOOPBACK: 'true',
    ...emulator.serverEnv,
  });
  server = await startServer(config, {
    defaultChain: { get: () => Promise.reject(new Error('the sandbox has no default chain')) },
  });
} catch (error) {
  // A setting or the port is wrong: one line that says which, no stack.
  if (!(error instanceof ConfigError || error instanceof ListenError)) throw error;
  await emulator.close();
  await idp.close();
  fail(error.message, error instanceof ConfigError ? 78 : 1);
}
const mcpUrl = `${server.url}/mcp`;
// The Inspector version the test suite drives (test/clients), run by the Node >= 22 it needs: npx brings both.
const clientTools = JSON.parse(readFileSync(new URL('../test/clients/package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const inspector = `npx -y -p node@22 -p @modelcontextprotocol/inspector@${clientTools.dependencies['@modelcontextprotocol/inspector']} mcp-inspector`;
const mcpRemote = `npx -y -p node@22 -p mcp-remote@${clientTools.dependencies['mcp-remote']} mcp-remote`;
const clusters = emulator.world.accounts[0]!.clusters.map((c) => `${c.cluster_id} (${c.name}, ${c.region_id})`).join('\n    ');
// The server reaches ACK through CS_ENDPOINT (central) and CS_REGION_ENDPOINTS (one endpoint per emulated region).
const regions = Object.entries(emulator.regionEndpoints)
  .map(([region, endpoint]) => `${region} ${endpoint}`)
  .join(', ');

process.stderr.write(`
ACK MCP sandbox is running (emulated Alibaba Cloud at ${emulator.url}, mode ${config.accessMode}, toolsets ${config.toolsets.join(',')};
ACK regional endpoints: ${regions}).

  MCP URL:  ${mcpUrl}
  Token:    ${token}
  Clusters: ${clusters}

Try it with MCP Inspector (web UI; npx fetches Inspector and the Node 22 it needs, on any Node):
  ${inspector} --web --transport http --server-url ${mcpUrl} --header "Authorization: Bearer ${token}"

Or from the command line:
  ${inspector} --cli ${mcpUrl} --transport http --header "Authorization: Bearer ${token}" --method tools/list

Or sign in as a person (OAuth; the demo authorization server at ${idp.issuer} lets you pick alice, who may scale
node pools, or bob, whose read-only role RAM refuses every change):
  ${mcpRemote} ${mcpResource}

Or with curl:
  curl -s ${mcpUrl} -H 'content-type: application/json' -H 'accept: application/json' -H 'authorization: Bearer ${token}' \\
    -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_clusters","arguments":{}}}'

Ctrl-C stops it.
`);

const stop = async () => {
  await server.close();
  await emulator.close();
  await idp.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
