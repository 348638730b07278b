/**
 * `s.yaml` and `s.vpc.yaml`, rendered offline by Serverless Devs itself (`s preview`), then
 * checked against the project's schema (deploy/s-yaml.schema.ts): what `s deploy` would send
 * for one tenant, without an account or a network.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { renderTemplate, REPO_ROOT } from '../../deploy/render-template.ts';
import { RenderedTemplate } from '../../deploy/s-yaml.schema.ts';
import { DEFAULT_CODE_ZIP } from '../../scripts/build/function-package.ts';

const TOKEN = 'c0ffee'.repeat(8);

function tenantEnv(tenant: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ACK_MCP_TENANT: tenant,
    ACK_MCP_REGION: 'cn-beijing',
    ACK_MCP_ROLE_ARN: `acs:ram::1234567890123456:role/ack-mcp-${tenant}`,
    ACK_MCP_KUBECTL_LAYER_ARN: 'acs:fc:cn-beijing:1234567890123456:layers/ack-mcp-kubectl/versions/3',
    ACK_MCP_AUTH_TOKEN: TOKEN,
    ...extra,
  };
}

async function render(template: string, env: Record<string, string>) {
  const result = await renderTemplate(template, env);
  assert.ok(result.ok, result.output);
  const parsed = RenderedTemplate.safeParse(result.template);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues, null, 2));
  return Object.values(parsed.data.resources)[0]!.props;
}

describe('s.yaml rendered by s preview', () => {
  it('renders one tenant into a valid function: explicit timeout, concurrency, memory, health check, layer, role, token from the environment', async () => {
    const props = await render('s.yaml', tenantEnv('team-a'));
    assert.equal(props.functionName, 'ack-mcp-team-a');
    assert.equal(props.region, 'cn-beijing');
    assert.equal(props.role, 'acs:ram::1234567890123456:role/ack-mcp-team-a');
    assert.deepEqual(props.layers, ['acs:fc:cn-beijing:1234567890123456:layers/ack-mcp-kubectl/versions/3']);
    assert.equal(props.customRuntimeConfig.healthCheckConfig.httpGetUrl, '/healthz');
    assert.equal(props.environmentVariables.MCP_AUTH_TOKEN, TOKEN);
    assert.equal(props.environmentVariables.ACCESS_MODE, 'read-only', 'read-only unless the deployer asks');
    assert.equal(props.environmentVariables.CREDENTIAL_SOURCES, 'function');
    assert.equal(props.environmentVariables.TOOLSETS, '', 'every toolset unless the deployer narrows it');
    assert.equal(props.triggers[0]!.triggerConfig.authType, 'anonymous');
    assert.equal(props.vpcConfig, undefined);
    assert.equal(
      props.code,
      `./${relative(REPO_ROOT, DEFAULT_CODE_ZIP)}`,
      'code names the zip npm run build writes (and the FC-faithful test runs)',
    );
    assert.match(props.code, /\.zip$/, 'fc3 uploads a .zip as it is; it would zip a directory itself');
    assert.equal(props.environmentVariables.NODE_ENV, undefined, 'nothing reads NODE_ENV');
    assert.equal(props.environmentVariables.HOME, undefined, 'kubectl gets its own HOME per call');
  });

  it('takes mode, credential sources and toolsets per tenant', async () => {
    const props = await render(
      's.yaml',
      tenantEnv('ops', {
        ACK_MCP_ACCESS_MODE: 'read-write',
        ACK_MCP_CREDENTIAL_SOURCES: 'caller,function',
        ACK_MCP_TOOLSETS: 'kubectl,logs',
      }),
    );
    assert.equal(props.environmentVariables.ACCESS_MODE, 'read-write');
    assert.equal(props.environmentVariables.CREDENTIAL_SOURCES, 'caller,function');
    assert.equal(props.environmentVariables.TOOLSETS, 'kubectl,logs');
  });

  it('renders s.vpc.yaml with the tenant VPC for private kubeconfigs', async () => {
    const props = await render(
      's.vpc.yaml',
      tenantEnv('team-b', {
        ACK_MCP_VPC_ID: 'vpc-2ze0000000001',
        ACK_MCP_VSWITCH_ID: 'vsw-2ze0000000001',
        ACK_MCP_SECURITY_GROUP_ID: 'sg-2ze0000000001',
      }),
    );
    assert.equal(props.functionName, 'ack-mcp-team-b');
    assert.deepEqual(props.vpcConfig, {
      vpcId: 'vpc-2ze0000000001',
      vSwitchIds: ['vsw-2ze0000000001'],
      securityGroupId: 'sg-2ze0000000001',
    });
    assert.equal(props.environmentVariables.KUBECONFIG_PRIVATE_IP, 'true', 'kubeconfigs of the internal endpoint');
    assert.equal(props.environmentVariables.MCP_AUTH_TOKEN, TOKEN, 'environment merged with s.yaml, not replaced');
    assert.equal(props.timeout, 300, 'everything else comes from s.yaml');
  });

  it('refuses to render without a token, a role, a tenant or the kubectl layer (no unsafe default)', async () => {
    for (const missing of ['ACK_MCP_AUTH_TOKEN', 'ACK_MCP_ROLE_ARN', 'ACK_MCP_TENANT', 'ACK_MCP_KUBECTL_LAYER_ARN']) {
      const env = tenantEnv('team-c');
      delete env[missing];
      const result = await renderTemplate('s.yaml', env);
      assert.equal(result.ok, false, `rendered without ${missing}`);
      assert.match(result.output, new RegExp(`env\\('${missing}'\\) not found`));
    }
  });

  it('never holds a token itself: MCP_AUTH_TOKEN is read from the deployer environment', async () => {
    const text = await readFile(join(REPO_ROOT, 's.yaml'), 'utf8');
    assert.match(text, /MCP_AUTH_TOKEN: \$\{env\('ACK_MCP_AUTH_TOKEN'\)\}/);
    assert.equal(text.match(/MCP_AUTH_TOKEN:/g)?.length, 1);
    const example = await readFile(join(REPO_ROOT, 'tenants', 'example.env'), 'utf8');
    assert.doesNotMatch(example, /^ACK_MCP_AUTH_TOKEN=/m);
  });

  it('the schema catches the mistakes it exists for', async () => {
    const result = await renderTemplate('s.yaml', tenantEnv('team-d'));
    const good = result.template as { resources: Record<string, { props: Record<string, unknown> }> };
    const mutate = (change: (props: Record<string, any>) => void) => {
      const copy = structuredClone(good);
      change(Object.values(copy.resources)[0]!.props);
      return RenderedTemplate.safeParse(copy).success;
    };
    assert.equal(
      mutate(() => undefined),
      true,
    );
    assert.equal(
      mutate((p) => delete p.timeout),
      false,
      'fc3 would default to 3 s',
    );
    assert.equal(
      mutate((p) => delete p.instanceConcurrency),
      false,
      'fc3 would default to 1',
    );
    assert.equal(
      mutate((p) => (p.instanceConcurrency = '20')),
      false,
      'a number rendered as a string',
    );
    assert.equal(
      mutate((p) => (p.customRuntimeConfig.healthCheckConfig.httpGetUrl = '/')),
      false,
    );
    assert.equal(
      mutate((p) => (p.runtime = 'nodejs20')),
      false,
      'the event runtime buffers responses',
    );
    assert.equal(
      mutate((p) => delete p.environmentVariables.MCP_AUTH_TOKEN),
      false,
      'an anonymous endpoint without a token',
    );
    assert.equal(
      mutate((p) => (p.triggers[0].triggerConfig.authType = 'jwt')),
      false,
      'jwt without MCP_AUTH_BY_GATEWAY',
    );
    assert.equal(
      mutate((p) => (p.cpu = 8)),
      false,
      'cpu : memory outside FC ratio',
    );
    assert.equal(
      mutate((p) => p.layers.push('acs:fc:cn-beijing:official:layers/Nodejs20/versions/3')),
      true,
      'an official layer (Node 20.11 under /opt, which bootstrap supports)',
    );
    assert.equal(
      mutate((p) => (p.layers = ['acs:fc:cn-beijing:someone:layers/kubectl/versions/3'])),
      false,
      'a layer ARN names an account id or official',
    );
    assert.equal(
      mutate((p) => (p.layers = [])),
      false,
      'kubectl needs its layer',
    );
  });
});

describe('deployment files around s.yaml', () => {
  it('name the kubectl layer the same everywhere: README publish command, layer build script, example tenant', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    const build = await readFile(join(REPO_ROOT, 'layers', 'kubectl', 'build.ts'), 'utf8');
    const example = await readFile(join(REPO_ROOT, 'tenants', 'example.env'), 'utf8');
    const names = [
      ...[...readme.matchAll(/--layer-name (\S+)/g)].map((m) => m[1]),
      ...[...build.matchAll(/--layer-name (\S+)/g)].map((m) => m[1]),
      ...[...example.matchAll(/:layers\/([^/]+)\/versions\//g)].map((m) => m[1]),
    ];
    assert.ok(names.length >= 3, names.join(', '));
    assert.deepEqual(new Set(names), new Set(['ack-mcp-kubectl']));
  });

  it('keep tenant settings, tokens and Serverless Devs state out of git', async () => {
    const ignored = async (path: string) =>
      promisify(execFile)('git', ['check-ignore', '-q', '--no-index', path], { cwd: REPO_ROOT }).then(
        () => true,
        (error: { code?: number }) => (error.code === 1 ? false : Promise.reject(error)),
      );
    assert.equal(await ignored('tenants/team-a.env'), true, 'a tenant file (settings and its token)');
    assert.equal(await ignored('.s/fc/state.json'), true, 'what s deploy writes');
    assert.equal(await ignored('tenants/example.env'), false, 'the example stays committed');
  });
});

describe('s.yaml with signed-in users', () => {
  const oauth = {
    ACK_MCP_AUTH_MODE: 'both',
    ACK_MCP_OAUTH_ISSUER: 'https://example.aliyunidaas.com/api/v2/app_abc/oidc',
    ACK_MCP_OAUTH_RESOURCE: 'https://ack-mcp-team-e.cn-beijing.fcapp.run/mcp',
    ACK_MCP_OAUTH_ROLE_MAPPING:
      'groups=ops=>acs:ram::1234567890123456:role/ack-ops,read-write;groups=dev=>acs:ram::1234567890123456:role/ack-dev',
  };
  it('renders the issuer, resource and mapping into the function, which the server accepts', async () => {
    const props = await render('s.yaml', tenantEnv('team-e', oauth));
    const env = props.environmentVariables;
    assert.equal(env.AUTH_MODE, 'both');
    assert.equal(env.OAUTH_ISSUER, oauth.ACK_MCP_OAUTH_ISSUER);
    assert.equal(env.OAUTH_RESOURCE, oauth.ACK_MCP_OAUTH_RESOURCE);
    assert.equal(env.OAUTH_ROLE_MAPPING, oauth.ACK_MCP_OAUTH_ROLE_MAPPING);
    assert.equal(env.OAUTH_ASSUME_WITH, 'role');
  });
  it('defaults to static tokens only, and the schema refuses a mapping to a malformed ARN', async () => {
    assert.equal((await render('s.yaml', tenantEnv('team-f'))).environmentVariables.AUTH_MODE, 'token');
    const result = await renderTemplate(
      's.yaml',
      tenantEnv('team-g', { ...oauth, ACK_MCP_OAUTH_ROLE_MAPPING: 'groups=ops=>acs:ram::12:role/x' }),
    );
    assert.ok(result.ok, result.output);
    const parsed = RenderedTemplate.safeParse(result.template);
    assert.equal(parsed.success, false);
    assert.match(JSON.stringify(parsed.error?.issues), /is not a RAM role ARN/);
  });
});
