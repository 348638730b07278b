import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger, logLine, scrub } from './log.ts';

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger((line) => lines.push(line)) };
}

describe('log lines', () => {
  test('a hostile value is masked inside its own string and leaves the other fields and the JSON intact', () => {
    const { lines, logger } = capture();
    const hostile = ['Bearer x', 'Bearer "}],"tool":"forged', 'bearer\nabc.def', 'x Bearer\tq/r+s=='];
    for (const value of hostile) {
      logger.request({ rpc: ['tools/call', value], tool: 'list_nodepools', cluster: 'c1', outcome: 'ok', accessKeyId: 'LTAI5t****0001' });
    }
    assert.equal(lines.length, hostile.length);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.equal(entry.tool, 'list_nodepools', line);
      assert.equal(entry.cluster, 'c1');
      assert.equal(entry.outcome, 'ok');
      assert.equal(entry.accessKeyId, 'LTAI5t****0001');
      assert.equal(entry.event, 'request');
      assert.equal((entry.rpc as string[])[0], 'tools/call');
    }
    const masked = lines.map((line) => (JSON.parse(line) as { rpc: string[] }).rpc[1]);
    // A quote cannot be part of a bearer credential, so nothing after it is touched.
    assert.deepEqual(masked, ['Bearer ****', 'Bearer "}],"tool":"forged', 'bearer\n****', 'x Bearer\t****']);
  });

  test('AccessKey ids, STS ids and bearer tokens are masked anywhere in a value, nested too', () => {
    const line = logLine({
      message: 'signed by LTAI5tDemoAccessKeyId001 with STS.NTDemoRoleSession0001',
      nested: { list: ['Authorization: Bearer test-token-0123456789abcdef'] },
    });
    assert.ok(!line.includes('DemoAccessKeyId'), line);
    assert.ok(!line.includes('DemoRoleSession'), line);
    assert.ok(!line.includes('test-token-0123456789abcdef'), line);
    const entry = JSON.parse(line) as { message: string; nested: { list: string[] } };
    assert.equal(entry.message, 'signed by LTAI5t****d001 with STS.NT****0001');
    assert.deepEqual(entry.nested.list, ['Authorization: Bearer ****']);
  });

  test('text without anything key-shaped is unchanged, including masked ids', () => {
    for (const text of ['LTAI5t****0001', 'plain text', 'STS.', 'bearer', 'LTAI', '']) assert.equal(scrub(text), text);
  });

  test('warn and error lines carry their level and event', () => {
    const { lines, logger } = capture();
    logger.warn('open_endpoint', { message: 'no token' });
    logger.error('unexpected', new Error('boom Bearer abc'));
    const [warn, error] = lines.map((line) => JSON.parse(line) as Record<string, any>);
    assert.deepEqual([warn!.level, warn!.event, warn!.message], ['warn', 'open_endpoint', 'no token']);
    assert.deepEqual([error!.level, error!.event, error!.error.message], ['error', 'unexpected', 'boom Bearer ****']);
  });
});
