/**
 * The role's least-privilege RAM policy (derived from each tool's `ramActions` by deploy/ram-actions.ts, rendered to
 * deploy/ram-policy*.json) covers exactly the tools the server offers and every action the emulator enforces.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ramPolicy, TOOL_ACTIONS } from '../../deploy/ram-actions.ts';
import { REPO_ROOT } from '../../deploy/render-template.ts';
import { allTools } from '../../src/tools/registry.ts';

const FILES = { 'read-write': 'ram-policy.json', 'read-only': 'ram-policy.read-only.json' } as const;

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const actionsOf = (mode: 'read-only' | 'read-write') => new Set(ramPolicy(mode).Statement.flatMap((statement) => statement.Action));

describe('RAM policy of the function role', () => {
  it('lists every registered tool, and every tool calls at least one RAM action', () => {
    assert.deepEqual(Object.keys(TOOL_ACTIONS).sort(), allTools.map((tool) => tool.name).sort());
    for (const tool of allTools) assert.ok(tool.ramActions.length > 0, tool.name);
  });

  it('the read-only policy covers the tools a read-only deployment offers, kubectl (its read-only variant) included', () => {
    const readOnly = actionsOf('read-only');
    for (const action of TOOL_ACTIONS.kubectl!.actions) assert.ok(readOnly.has(action), action);
    for (const action of TOOL_ACTIONS.list_clusters!.actions) assert.ok(readOnly.has(action), action);
  });

  it('grants every RAM action the emulator enforces for the cloud operations', async () => {
    const granted = actionsOf('read-write');
    // sts:AssumeRole (signed-in users' sessions) is granted on the mapped roles only: deploy/oauth-policy.ts, tested below.
    granted.add('sts:AssumeRole');
    for await (const file of files(join(REPO_ROOT, 'test', 'emulator'))) {
      const text = await readFile(file, 'utf8');
      for (const [, action] of text.matchAll(/ramAction:\s*'([a-z]+:[A-Za-z0-9]+)'/g)) {
        assert.ok(granted.has(action!), `${action} (enforced in ${file}) is missing from deploy/ram-actions.ts`);
      }
    }
  });

  it('read-only grants nothing that changes a cluster', () => {
    const readOnly = actionsOf('read-only');
    // Read-only variants (check_upgrade_readiness, query_inspect_report) are granted their own actions: no check or inspection started.
    for (const action of [
      'cs:ScaleClusterNodePool',
      'cs:RemoveNodePoolNodes',
      'cs:CreateClusterDiagnosis',
      'cs:RunClusterCheck',
      'cs:RunClusterInspect',
    ])
      assert.ok(!readOnly.has(action), action);
    for (const action of readOnly) assert.ok(actionsOf('read-write').has(action));
  });

  it('the committed JSON files are the rendered policies', async () => {
    for (const [mode, file] of Object.entries(FILES) as Array<[keyof typeof FILES, string]>) {
      const path = join(REPO_ROOT, 'deploy', file);
      const expected = `${JSON.stringify(ramPolicy(mode), null, 2)}\n`;
      if (process.env.UPDATE_RAM_POLICY) await writeFile(path, expected);
      assert.equal(
        await readFile(path, 'utf8'),
        expected,
        `${file} is stale: UPDATE_RAM_POLICY=1 node --import tsx --test test/fc/ram-policy.test.ts`,
      );
    }
  });

  it('npm run ram-policy prints the policy of a toolset selection: TOOLSETS=kubectl needs the region lookup and the kubeconfig only', async () => {
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'ram-policy.ts'), ...args]);
    const kubectl = JSON.parse((await run('--toolsets=kubectl', '--read-only')).stdout);
    assert.deepEqual(kubectl, {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['cs:DescribeClusterDetail', 'cs:DescribeClusterUserKubeconfig'], Resource: ['*'] }],
    });
    assert.deepEqual(JSON.parse((await run()).stdout), ramPolicy('read-write'));
    await assert.rejects(run('--toolsets=pods'), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /^ram-policy: TOOLSETS names unknown toolset "pods"; the toolsets are clusters, nodepools/);
      return true;
    });
  });
});

describe('RAM policy of the function role with signed-in users', () => {
  const mapping =
    'groups=ops=>acs:ram::1234567890123456:role/ack-ops,read-write;groups=dev=>acs:ram::1234567890123456:role/ack-dev;sub=x=>acs:ram::1234567890123456:role/ack-ops';
  it('oauth: sts:AssumeRole on exactly the mapped roles and nothing else', async () => {
    const { functionRolePolicy } = await import('../../deploy/oauth-policy.ts');
    assert.deepEqual(functionRolePolicy('oauth', 'read-only', mapping).Statement, [
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: ['acs:ram::1234567890123456:role/ack-dev', 'acs:ram::1234567890123456:role/ack-ops'],
      },
    ]);
  });
  it("both: the mode's tool policy plus that one statement", async () => {
    const { functionRolePolicy } = await import('../../deploy/oauth-policy.ts');
    const policy = functionRolePolicy('both', 'read-only', mapping);
    assert.deepEqual(policy.Statement.slice(0, -1), ramPolicy('read-only').Statement);
    assert.deepEqual(policy.Statement.at(-1)?.Action, ['sts:AssumeRole']);
  });
});
