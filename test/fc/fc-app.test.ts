/**
 * The FC application (deploy/fc-app): initialized offline by Serverless Devs itself (`s init --uri`,
 * as the console's application center initializes it from the registry), rendered with `s preview`
 * and checked against the project's schema; its parameters against its template; and the package
 * `npm run build:fc-app` assembles.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { initApplication, renderTemplate, REPO_ROOT } from '../../deploy/render-template.ts';
import { loadConfig } from '../../src/config.ts';
import { RenderedFcAppTemplate } from '../../deploy/s-yaml.schema.ts';
import { buildFcApplication } from '../../scripts/build/fc-application.ts';
import { zipEntryModes } from '../../scripts/build/zip.ts';

const APP = join(REPO_ROOT, 'deploy', 'fc-app');
const TOKEN = 'c0ffee'.repeat(8);
const ROLE = 'acs:ram::1234567890123456:role/AckMcpServerRole';
const ISSUER = 'https://idaas.example.com/api/v2/app_abc/oidc';
const RESOURCE = 'https://mcp.example.com/mcp';
const MAPPING = 'groups=ops=>acs:ram::1234567890123456:role/ack-ops,read-write;groups=dev=>acs:ram::1234567890123456:role/ack-dev';
const OIDC_PROVIDER = 'acs:ram::1234567890123456:oidc-provider/idaas';

const scratch = await mkdtemp(join(tmpdir(), 'fc-app-test-'));
after(() => rm(scratch, { recursive: true, force: true }));

/** `s init` with these parameters, then `s preview` of the result: the rendered template, unchecked. */
async function initAndRender(parameters: Record<string, string>): Promise<unknown> {
  const into = await mkdtemp(join(scratch, 'app-'));
  const init = await initApplication(APP, into, { access: 'default', ...parameters });
  assert.ok(init.ok, init.output);
  const rendered = await renderTemplate('s.yaml', {}, into);
  assert.ok(rendered.ok, rendered.output);
  return rendered.template;
}

function propsOf(template: unknown) {
  const parsed = RenderedFcAppTemplate.safeParse(template);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues, null, 2));
  return Object.values(parsed.data.resources)[0]!.props;
}

interface Parameter {
  type: string;
  default?: unknown;
  pattern?: string;
  enum?: string[];
}

describe('FC application: initialized by s init, rendered by s preview', { concurrency: true }, () => {
  it('renders the parameters into a valid function, kubectl inside the code package', async () => {
    const props = propsOf(await initAndRender({ region: 'cn-beijing', roleArn: ROLE, accessMode: 'read-write', authToken: TOKEN }));
    assert.equal(props.region, 'cn-beijing');
    assert.match(props.functionName, /^ack-mcp-[a-z0-9]+$/, 'the default name with its random suffix');
    assert.equal(props.role, ROLE);
    assert.equal(props.environmentVariables.MCP_AUTH_TOKEN, TOKEN);
    assert.equal(props.environmentVariables.ACCESS_MODE, 'read-write');
    assert.equal(props.environmentVariables.CREDENTIAL_SOURCES, 'function');
    assert.equal(props.environmentVariables.KUBECTL_PATH, '/code/bin/kubectl');
    assert.equal(props.code, './code.zip');
    assert.equal(props.layers, undefined, 'no layer to publish before a console deploy');
    assert.equal(props.timeout, 300);
    assert.equal(props.instanceConcurrency, 20);
  });

  it('is read-only unless the deployer picks read-write', async () => {
    const props = propsOf(await initAndRender({ region: 'cn-hangzhou', roleArn: ROLE, authToken: TOKEN, functionName: 'ack-mcp-ops' }));
    assert.equal(props.environmentVariables.ACCESS_MODE, 'read-only');
    assert.equal(props.functionName, 'ack-mcp-ops');
  });

  it('without a token: the schema refuses the rendering, and the server would refuse to start (no guessable token)', async () => {
    // s init writes a reference to its secret store for a secret it was not given (3.1.10 drops the closing brace).
    const template = (await initAndRender({ region: 'cn-hangzhou', roleArn: ROLE })) as {
      resources: Record<string, { props: { environmentVariables: Record<string, string> } }>;
    };
    assert.equal(RenderedFcAppTemplate.safeParse(template).success, false);
    const token = Object.values(template.resources)[0]!.props.environmentVariables.MCP_AUTH_TOKEN!;
    assert.match(token, /^\$\{secret\('authToken'\)/);
    assert.throws(() => loadConfig({ MCP_AUTH_TOKEN: token }), /unrendered template expression/);
  });
});

describe('FC application: OAuth (signed-in users)', { concurrency: true }, () => {
  const base = { region: 'cn-hangzhou', roleArn: ROLE, authToken: TOKEN };
  const oauth = { authMode: 'both', oauthIssuer: ISSUER, oauthResource: RESOURCE, oauthRoleMapping: MAPPING };

  it('token mode by default: AUTH_MODE=token and the OAuth settings empty, which the server accepts', async () => {
    const env = propsOf(await initAndRender(base)).environmentVariables;
    assert.equal(env.AUTH_MODE, 'token');
    for (const name of ['OAUTH_ISSUER', 'OAUTH_RESOURCE', 'OAUTH_ROLE_MAPPING', 'OAUTH_OIDC_PROVIDER_ARN'])
      assert.equal(env[name], '', name);
    assert.equal(env.OAUTH_ASSUME_WITH, 'role');
  });

  it('both: the issuer, resource and role mapping reach the function beside the token; oidc with its provider', async () => {
    const env = propsOf(
      await initAndRender({ ...base, ...oauth, oauthAssumeWith: 'oidc', oauthOidcProviderArn: OIDC_PROVIDER }),
    ).environmentVariables;
    assert.deepEqual(
      [env.AUTH_MODE, env.OAUTH_ISSUER, env.OAUTH_RESOURCE, env.OAUTH_ROLE_MAPPING, env.OAUTH_ASSUME_WITH, env.OAUTH_OIDC_PROVIDER_ARN],
      ['both', ISSUER, RESOURCE, MAPPING, 'oidc', OIDC_PROVIDER],
    );
    assert.equal(env.MCP_AUTH_TOKEN, TOKEN);
  });

  it('both without an issuer, or oidc without a provider: refused with the message the server would start with', async () => {
    const noIssuer = RenderedFcAppTemplate.safeParse(await initAndRender({ ...base, ...oauth, oauthIssuer: '' }));
    assert.equal(noIssuer.success, false);
    assert.match(JSON.stringify(noIssuer.error?.issues), /AUTH_MODE=both needs OAUTH_ISSUER/);
    const noProvider = RenderedFcAppTemplate.safeParse(await initAndRender({ ...base, ...oauth, oauthAssumeWith: 'oidc' }));
    assert.equal(noProvider.success, false);
    assert.match(JSON.stringify(noProvider.error?.issues), /OAUTH_ASSUME_WITH=oidc needs OAUTH_OIDC_PROVIDER_ARN/);
    const tokenWithIssuer = RenderedFcAppTemplate.safeParse(await initAndRender({ ...base, oauthIssuer: ISSUER }));
    assert.equal(tokenWithIssuer.success, false);
    assert.match(JSON.stringify(tokenWithIssuer.error?.issues), /OAUTH_ISSUER set but AUTH_MODE is token/);
  });
});

describe('FC application: publish.yaml', () => {
  it('declares every placeholder of src/s.yaml, and uses every parameter it declares', async () => {
    const publish = parse(await readFile(join(APP, 'publish.yaml'), 'utf8')) as {
      Edition: string;
      Type: string;
      Parameters: { required: string[]; properties: Record<string, Parameter> };
    };
    assert.equal(publish.Edition, '3.0.0');
    assert.equal(publish.Type, 'Project');
    const template = await readFile(join(APP, 'src', 's.yaml'), 'utf8');
    const placeholders = new Set([...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!));
    placeholders.delete('access'); // the console's (or `s init`'s) access alias, not a parameter
    assert.deepEqual([...placeholders].sort(), Object.keys(publish.Parameters.properties).sort());
    assert.deepEqual([...publish.Parameters.required].sort(), ['accessMode', 'authToken', 'functionName', 'region', 'roleArn']);
    for (const [name, parameter] of Object.entries(publish.Parameters.properties))
      if (!publish.Parameters.required.includes(name)) assert.notEqual(parameter.default, undefined, `optional ${name} has a default`);
  });

  it('OAuth parameters: token mode by default, both offered (not oauth: the token is required), patterns the server agrees with', async () => {
    const { properties } = (
      parse(await readFile(join(APP, 'publish.yaml'), 'utf8')) as { Parameters: { properties: Record<string, Parameter> } }
    ).Parameters;
    assert.equal(properties.authMode!.default, 'token');
    assert.deepEqual(properties.authMode!.enum, ['token', 'both']);
    assert.equal(properties.oauthAssumeWith!.default, 'role');
    assert.deepEqual(properties.oauthAssumeWith!.enum, ['role', 'oidc']);
    const accepts = (name: string, value: string) => new RegExp(properties[name]!.pattern!).test(value);
    for (const name of ['oauthIssuer', 'oauthResource', 'oauthRoleMapping', 'oauthOidcProviderArn']) {
      assert.equal(properties[name]!.default, '', name);
      assert.ok(accepts(name, ''), `${name} may be left empty (token mode)`);
    }
    assert.ok(accepts('oauthIssuer', 'https://idaas.example.com/api/v2/abc/oidc'));
    assert.ok(accepts('oauthResource', 'https://mcp.example.com/mcp'));
    assert.ok(accepts('oauthRoleMapping', MAPPING));
    assert.ok(accepts('oauthRoleMapping', 'realm_access.roles=ACK Ops=>acs:ram::1234567890123456:role/ack-ops'));
    assert.ok(accepts('oauthOidcProviderArn', OIDC_PROVIDER));
    // What the server refuses at start, or what would break the template's quoting, the form refuses first.
    for (const [name, bad] of [
      ['oauthIssuer', 'http://idp.example.com'],
      ['oauthIssuer', "https://idp.example.com/'x"],
      ['oauthResource', 'mcp.example.com/mcp'],
      ['oauthRoleMapping', 'groups=ops=>ack-ops'],
      ['oauthRoleMapping', `${MAPPING};`],
      ['oauthRoleMapping', `${MAPPING},admin`],
      ['oauthRoleMapping', "groups=o'ps=>acs:ram::1234567890123456:role/x"],
      ['oauthOidcProviderArn', 'acs:ram::1234567890123456:role/x'],
    ] as const)
      assert.equal(accepts(name, bad), false, `${name}: ${bad}`);
  });

  it('asks for the token as a secret with no default, and accepts only what survives the template engine and YAML', async () => {
    const { properties } = (
      parse(await readFile(join(APP, 'publish.yaml'), 'utf8')) as { Parameters: { properties: Record<string, Parameter> } }
    ).Parameters;
    const token = properties.authToken!;
    assert.equal(token.type, 'secret');
    assert.equal(token.default, undefined);
    const pattern = new RegExp(token.pattern!);
    assert.ok(pattern.test(TOKEN), 'openssl rand -hex 32');
    assert.ok(pattern.test('A1b2C3d4E5f6G7h8+/=_.~-'), 'base64 and URL-safe characters');
    for (const bad of ['short-token', `${TOKEN}'`, `${TOKEN}<`, `${TOKEN}&`, `${TOKEN} x`]) assert.equal(pattern.test(bad), false, bad);
    assert.equal(properties.accessMode!.default, 'read-only');
    assert.deepEqual(properties.accessMode!.enum, ['read-only', 'read-write']);
    assert.ok(new RegExp(properties.roleArn!.pattern!).test(ROLE));
  });
});

describe('FC application: npm run build:fc-app', () => {
  it('ships the template with the code package and kubectl as bin/kubectl, both executable', async () => {
    const codeDir = join(scratch, 'code');
    await mkdir(codeDir, { recursive: true });
    await writeFile(join(codeDir, 'bootstrap'), '#!/bin/sh\n');
    await chmod(join(codeDir, 'bootstrap'), 0o755);
    await writeFile(join(codeDir, 'index.cjs'), 'module.exports = {};\n');
    const kubectl = join(scratch, 'kubectl');
    await writeFile(kubectl, 'not really kubectl');
    const outDir = join(scratch, 'fc-app');
    const { codeZip } = await buildFcApplication({ codeDir, kubectl, templateDir: APP, outDir });
    assert.equal(await readFile(join(outDir, 'publish.yaml'), 'utf8'), await readFile(join(APP, 'publish.yaml'), 'utf8'));
    assert.equal(await readFile(join(outDir, 'src', 's.yaml'), 'utf8'), await readFile(join(APP, 'src', 's.yaml'), 'utf8'));
    const modes = zipEntryModes(new Uint8Array(await readFile(codeZip)));
    assert.equal(modes.get('bootstrap')! & 0o777, 0o755);
    assert.equal(modes.get('bin/kubectl')! & 0o777, 0o755);
    assert.ok(modes.has('index.cjs'));
  });
});
