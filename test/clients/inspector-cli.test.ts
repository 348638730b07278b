/**
 * MCP Inspector's CLI (`mcp-inspector --cli`, the pinned version the sandbox prints) against the
 * server over real HTTP: what a user sees when listing and calling tools, and when the token is
 * missing or wrong.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SEND_TOKEN } from '../../src/http/auth-answers.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { callerHeaderPairs, clientEnv, clientHome, INSPECTOR, NODE22, run, runNode22 } from './client-tools.ts';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

function inspector(args: string[], headers: string[]) {
  const headerArgs = headers.flatMap((header) => ['--header', header]);
  return runNode22([INSPECTOR, '--cli', stack.mcpUrl, '--transport', 'http', ...headerArgs, ...args], { env: clientEnv(clientHome()) });
}

/** Inspector prints a failure as one JSON line `{"error": {code, message, status?}}` on stderr. */
function failure(stderr: string): { code: string; message: string; status?: number } {
  const line = stderr.split('\n').find((l) => l.startsWith('{"error"'));
  assert.ok(line, `an error line in:\n${stderr}`);
  return (JSON.parse(line) as { error: { code: string; message: string; status?: number } }).error;
}

// Each test starts its own Inspector process: run them side by side.
describe('MCP Inspector CLI', { concurrency: true }, () => {
  test('lists the tools', async () => {
    const { code, stdout, stderr } = await inspector(['--method', 'tools/list'], [`Authorization: Bearer ${TEST_TOKEN}`]);
    assert.equal(code, 0, stderr);
    const names = (JSON.parse(stdout) as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
    assert.ok(names.includes('list_clusters') && names.includes('kubectl'), names.join(', '));
  });

  test('calls a tool and shows its structured content', async () => {
    const key = stack.emulator.world.accounts[0]!.accessKeys[0]!;
    const { code, stdout, stderr } = await inspector(
      ['--method', 'tools/call', '--tool-name', 'list_clusters', '--tool-arg', 'page_size=50'],
      [`Authorization: Bearer ${TEST_TOKEN}`, ...callerHeaderPairs(key)],
    );
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as { isError?: boolean; structuredContent: { clusters: Array<{ cluster_id: string }> } };
    assert.notEqual(result.isError, true);
    const shown = result.structuredContent.clusters.map((cluster) => cluster.cluster_id).sort();
    assert.deepEqual(shown, stack.emulator.world.accounts[0]!.clusters.map((cluster) => cluster.cluster_id).sort());
  });

  test("a wrong token: shows the server's message (403, no OAuth sign-in attempted)", async () => {
    const { code, stderr } = await inspector(['--method', 'tools/list'], ['Authorization: Bearer not-the-token-0123456789']);
    assert.notEqual(code, 0);
    const error = failure(stderr);
    assert.equal(error.status, 403);
    assert.ok(error.message.includes(`The bearer token is not valid: ${SEND_TOKEN}`), error.message);
  });

  test("no token, --stored-auth-only (scripts): shows the server's message", async () => {
    const { code, stderr } = await inspector(['--stored-auth-only', '--method', 'tools/list'], []);
    assert.notEqual(code, 0);
    assert.ok(failure(stderr).message.includes(`Unauthorized: ${SEND_TOKEN}`), stderr);
  });

  test('no token, without a terminal: Inspector asks for a terminal to sign in (its own message)', async () => {
    const { code, stderr } = await inspector(['--method', 'tools/list'], []);
    assert.notEqual(code, 0);
    assert.match(failure(stderr).message, /Interactive OAuth requires a TTY/);
  });

  test("no token, in a terminal: the OAuth sign-in stops at registration with the server's message", async () => {
    // util-linux `script` gives Inspector the terminal a person would have.
    const command = [NODE22, INSPECTOR, '--cli', stack.mcpUrl, '--transport', 'http', '--method', 'tools/list'].join(' ');
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], clientEnv(clientHome()));
    const error = failure(stdout);
    assert.equal(error.status, 403);
    assert.match(error.message, /^Dynamic Client Registration rejected \(HTTP 403\)/);
    assert.ok(error.message.includes(SEND_TOKEN), error.message);
  });
});
