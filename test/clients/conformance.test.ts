/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned, run by Node 22)
 * against the server over real HTTP. The suite cannot send headers, so it talks to a loopback proxy
 * that adds the bearer token: the server runs as deployed, token required, with the proxy's address as its
 * allowed Host and Origin.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../../deploy/render-template.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { clientEnv, clientHome, CONFORMANCE, runNode22 } from './client-tools.ts';
import { SCENARIOS } from './conformance-scenarios.ts';
import { startTokenProxy, type TokenProxy } from './token-proxy.ts';

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  errorMessage?: string;
}

let stack: Stack;
let proxy: TokenProxy;
let outputDir: string;
/** Scenario name → the checks the suite recorded for it. */
const results = new Map<string, Check[]>();

before(async () => {
  proxy = await startTokenProxy(() => stack.server.url, TEST_TOKEN);
  // Configured as an operator would a loopback deployment that a local browser client may use: the suite's
  // dns-rebinding scenario then sees its localhost Host/Origin served and evil.example.com refused.
  const { host, origin } = new URL(proxy.url);
  stack = await startStack({ env: { ALLOWED_HOSTS: host, ALLOWED_ORIGINS: origin } });
  outputDir = await mkdtemp(join(tmpdir(), 'conformance-'));
  // Exits non-zero when any scenario fails (the not-applicable ones do): the results are in the files.
  const run = await runNode22([CONFORMANCE, 'server', '--url', `${proxy.url}/mcp`, '--suite', 'active', '-o', outputDir], {
    env: clientEnv(clientHome()),
  });
  for (const entry of await readdir(outputDir)) {
    // server-<scenario>-<ISO timestamp with - for :>
    const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(entry)?.[1];
    if (!scenario) continue;
    results.set(scenario, JSON.parse(await readFile(join(outputDir, entry, 'checks.json'), 'utf8')) as Check[]);
  }
  assert.ok(results.size > 0, `the suite wrote no results:\n${run.stdout}\n${run.stderr}`);
});

after(async () => {
  await proxy?.close();
  await stack?.close();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

const failures = (checks: Check[]) =>
  checks.filter((check) => check.status === 'FAILURE').map((check) => `${check.id}: ${check.errorMessage ?? ''}`);

describe('MCP conformance suite, server scenarios', () => {
  test('every scenario of the suite is classified (a new suite version is looked at, not ignored)', (t) => {
    assert.deepEqual([...results.keys()].sort(), Object.keys(SCENARIOS).sort());
    for (const [scenario, checks] of [...results].sort())
      t.diagnostic(
        `${failures(checks).length === 0 ? 'pass' : 'fail'}  ${scenario} (${SCENARIOS[scenario]?.expect})${failures(checks).length ? `: ${failures(checks)[0]!.slice(0, 300)}` : ''}`,
      );
  });

  test("the README's conformance table names every scenario", async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Conformance'), readme.indexOf('\n## ', readme.indexOf('### Conformance')));
    const named = new Set([...section.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]));
    assert.deepEqual(
      Object.keys(SCENARIOS).filter((scenario) => !named.has(scenario)),
      [],
    );
  });

  for (const [scenario, verdict] of Object.entries(SCENARIOS)) {
    if (verdict.expect !== 'pass') continue;
    test(`${scenario}: ${verdict.why}`, () => {
      const checks = results.get(scenario);
      assert.ok(checks, `${scenario} did not run`);
      assert.deepEqual(failures(checks), []);
    });
  }
});
