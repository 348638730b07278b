/**
 * check_upgrade_readiness end to end: version metadata, the pre-upgrade check (reused when recent, started when asked,
 * waited for with progress), deprecated API calls from the audit log, addons and node pools behind; one risk summary.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';
import { call as callWith, clientWithNewKey, text, upstream, type Result } from './observability.helpers.ts';

process.env.ACK_MCP_POLL_INTERVAL_MS = '20';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const [demoKey] = createDemoWorld().accounts[0]!.accessKeys;

describe('check_upgrade_readiness', () => {
  let stack: Stack;
  let client: Client;
  const call = (args: Record<string, unknown>, c = client): Promise<Result> => callWith(c, 'check_upgrade_readiness', args);

  before(async () => {
    stack = await startStack({ emulator: { env: { clusterCheckMs: 60 } } });
    client = await stack.client(callerHeaders(demoKey!));
  });
  after(async () => stack.close());

  it('is annotated as additive: not read-only, not destructive', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'check_upgrade_readiness');
    assert.deepEqual(tool?.annotations && [tool.annotations.readOnlyHint, tool.annotations.destructiveHint], [false, false]);
  });

  it('starts a pre-upgrade check for the next minor, waits for it, and sums up: one blocker, the deprecated API, the addon and the node pool behind', async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: PROD, wait_seconds: 120 });
    assert.equal(r.isError, undefined, text(r));
    const s = r.structuredContent;
    assert.deepEqual(
      [s.current_version, s.target_version, s.upgradable_versions],
      ['1.33.3-aliyun.1', '1.34.1-aliyun.1', ['1.34.1-aliyun.1']],
    );
    assert.equal(s.verdict, 'blocked');
    assert.equal(s.check.how, 'started', 'the seeded check is three hours old: a new one is started');
    assert.equal(s.check.status, 'Succeeded');
    const blockers = s.risks.filter((risk: any) => risk.severity === 'blocker');
    assert.equal(blockers.length, 1);
    assert.match(
      blockers[0].summary,
      /Addon\/AddonCompatibility \(ack-node-problem-detector\): ack-node-problem-detector 1\.2\.24 is not compatible with Kubernetes 1\.34\.1-aliyun\.1/,
    );
    assert.match(blockers[0].action, /Upgrade ack-node-problem-detector to 1\.2\.26/);
    const summaries = s.risks.map((risk: any) => `${risk.severity} ${risk.area}: ${risk.summary}`);
    assert.ok(
      summaries.some((line: string) =>
        /^warning deprecated API: endpoints v1 is deprecated \(no removal scheduled\); called 2 times in 7 days by system:serviceaccount:monitoring:legacy-exporter \(legacy-exporter\/0\.9\.1\)/.test(
          line,
        ),
      ),
      summaries.join('\n'),
    );
    assert.ok(summaries.some((line: string) => /^warning addon: ack-node-problem-detector 1\.2\.24 is behind ACK's 1\.2\.26$/.test(line)));
    assert.ok(
      summaries.some((line: string) =>
        /^warning node pool: gpu-pool \(np\w+\) runs kubelet 1\.32\.7-aliyun\.1, behind the control plane's 1\.33\.3-aliyun\.1/.test(line),
      ),
    );
    assert.equal(s.risks[0].severity, 'blocker', 'blockers first');
    assert.match(text(r), /from 1\.33\.3-aliyun\.1 to 1\.34\.1-aliyun\.1: BLOCKED — 1 blockers, 4 warnings, 0 not checked/);
    // The blocker names 1.34.1-aliyun.1: RunClusterCheck got the target as options.next_version.
    const calls = upstream(stack);
    assert.equal(calls.filter((c) => c === 'cs:RunClusterCheck').length, 1);
    assert.ok(
      calls.includes('cs:GetClusterCheck') && calls.includes('cs:DescribeKubernetesVersionMetadata') && calls.includes('sls:GetLogsV2'),
    );
  });

  it('reuses a check that finished within the hour instead of starting another', async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: PROD, target_version: '1.34' });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.target_version, '1.34.1-aliyun.1', 'a minor names the newest patch ACK offers');
    assert.equal(r.structuredContent.check.how, 'reused');
    assert.match(text(r), /Pre-upgrade check \S+ \(finished within the hour, reused\): Succeeded/);
    assert.equal(stack.emulator.callLog.of('RunClusterCheck').length, 0);
  });

  it('streams progress while it waits for the check it started', async () => {
    stack.emulator.env.clusterCheckMs = 3_600_000; // the check runs until the first notification arrived
    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    try {
      const result = (await client.callTool(
        { name: 'check_upgrade_readiness', arguments: { cluster_id: STAGING, new_check: true, wait_seconds: 60 } },
        undefined,
        {
          onprogress: (notification) => {
            progress.push(notification);
            stack.emulator.env.clusterCheckMs = 0;
          },
        },
      )) as unknown as Result;
      assert.equal(result.isError, undefined, text(result));
      assert.equal(result.structuredContent.check.status, 'Succeeded');
      assert.equal(result.structuredContent.check.how, 'started');
      assert.ok(progress.length >= 1);
      assert.equal(progress[0]!.total, 60);
      assert.match(progress[0]!.message ?? '', /pre-upgrade check \S+-clustercheck-\w+: Running/);
    } finally {
      stack.emulator.env.clusterCheckMs = 60;
    }
  });

  it('answers at once without waiting, and says how to read the check later', async () => {
    stack.emulator.env.clusterCheckMs = 3_600_000;
    try {
      const r = await call({ cluster_id: STAGING, new_check: true, wait_seconds: 0 });
      assert.equal(r.isError, undefined, text(r));
      assert.equal(r.structuredContent.verdict, 'incomplete');
      const pending = r.structuredContent.risks.find((risk: any) => risk.area === 'pre-upgrade check');
      assert.match(pending.summary, /^check \S+ is Running \(task running\)$/);
      assert.match(pending.action, new RegExp(`Call again with check_id ${r.structuredContent.check.check_id}`));
    } finally {
      stack.emulator.env.clusterCheckMs = 60;
    }
  });

  it('refuses a target more than one minor ahead, starting nothing', async () => {
    stack.emulator.callLog.clear();
    const r = await call({ cluster_id: PROD, target_version: '1.35' });
    assert.equal(r.isError, true);
    assert.match(
      text(r),
      /TargetVersionNotOffered: 1\.33\.3-aliyun\.1 cannot be upgraded to 1\.35 in one step; ACK offers: 1\.34\.1-aliyun\.1\./,
    );
    assert.equal(stack.emulator.callLog.of('RunClusterCheck').length, 0);
  });

  it('answers what it could read when a part is denied, and says the verdict is incomplete', async () => {
    const { client: denied } = await clientWithNewKey(stack, ['cs:ListClusterAddonInstances', 'cs:RunClusterCheck']);
    const r = await call({ cluster_id: STAGING, new_check: true }, denied);
    assert.equal(r.isError, undefined, text(r));
    const unknown = r.structuredContent.risks
      .filter((risk: any) => risk.severity === 'unknown')
      .map((risk: any) => `${risk.area}: ${risk.summary}`);
    assert.equal(unknown.length, 2, unknown.join('\n'));
    assert.ok(unknown.some((line: string) => /^addon: not checked: StatusForbidden/.test(line)));
    assert.ok(unknown.some((line: string) => /^pre-upgrade check: not checked: StatusForbidden/.test(line)));
    assert.equal(r.structuredContent.verdict, 'incomplete');
  });

  it('in read-only mode reads the latest check and starts none, with a key denied RunClusterCheck (the read-only policy grants none)', async () => {
    const readOnly = await startStack({ env: { ACCESS_MODE: 'read-only' } });
    try {
      const { client: c } = await clientWithNewKey(readOnly, ['cs:RunClusterCheck']);
      const { tools } = await c.listTools();
      assert.equal(tools.find((t) => t.name === 'check_upgrade_readiness')?.annotations?.readOnlyHint, true);
      const r = await callWith(c, 'check_upgrade_readiness', { cluster_id: PROD, new_check: true });
      assert.equal(r.isError, undefined, text(r));
      assert.equal(r.structuredContent.check.how, 'latest');
      assert.equal(readOnly.emulator.callLog.of('RunClusterCheck').length, 0);
      assert.equal(r.structuredContent.verdict, 'blocked');
    } finally {
      await readOnly.close();
    }
  });
});
