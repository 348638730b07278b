/**
 * Where each cluster's data is found, end to end: routing by logstore (staging-beijing has its own
 * control-plane and audit projects), fallbacks when ACK's lookups are denied or fail, what is
 * cached, and when the account id (STS) is needed at all.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { layoutOf } from '../emulator/sls/dataset.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { call, clientWithNewKey, text, upstream } from './observability.helpers.ts';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const world = createDemoWorld();
const demo = world.accounts[0]!;
const staging = layoutOf(demo.clusters[1]!);
const PROMETHEUS_PROJECT = `workspace-default-cms-${demo.accountId}-cn-hangzhou`;

describe('observability discovery', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });
  after(async () => stack.close());
  beforeEach(() => {
    stack.emulator.faults.clear();
    stack.emulator.callLog.clear();
  });

  it('routes events, control-plane and audit logstores to the projects ACK names', async () => {
    assert.notEqual(staging.controlPlaneProject, staging.logProject);
    assert.notEqual(staging.auditProject, staging.logProject);
    const { client } = await clientWithNewKey(stack);
    const events = await call(client, 'sls_execute_sql_query', { cluster_id: STAGING, query: 'reason: BackOff | SELECT count(*) AS n' });
    assert.equal(events.isError, undefined, text(events));
    assert.deepEqual(
      [events.structuredContent.project, events.structuredContent.project_source],
      [`k8s-log-${STAGING}`, 'naming rule k8s-log-{cluster_id}'],
    );
    assert.deepEqual(events.structuredContent.rows, [{ n: '12' }]);
    const apiserver = await call(client, 'sls_execute_sql_query', { cluster_id: STAGING, logstore: `apiserver-${STAGING}`, query: 'List' });
    assert.equal(apiserver.isError, undefined, text(apiserver));
    assert.deepEqual(
      [apiserver.structuredContent.project, apiserver.structuredContent.project_source],
      [staging.controlPlaneProject, 'CheckControlPlaneLogEnable'],
    );
    assert.equal(apiserver.structuredContent.rows.length, 1);
    const audit = await call(client, 'sls_execute_sql_query', { cluster_id: STAGING, logstore: `audit-${STAGING}`, query: 'verb: delete' });
    assert.equal(audit.isError, undefined, text(audit));
    assert.deepEqual(
      [audit.structuredContent.project, audit.structuredContent.project_source],
      [staging.auditProject, 'GetClusterAuditProject'],
    );
    assert.equal(audit.structuredContent.rows.length, 1);
    assert.deepEqual(upstream(stack), [
      'cs:DescribeClusterDetail',
      'sls:GetLogsV2',
      'cs:CheckControlPlaneLogEnable',
      'sls:GetLogsV2',
      'cs:GetClusterAuditProject',
      'sls:GetLogsV2',
    ]);
  });

  it('lets an explicit project win, and says so when the logstore is not there', async () => {
    const { client } = await clientWithNewKey(stack);
    const r = await call(client, 'sls_execute_sql_query', {
      cluster_id: STAGING,
      logstore: `apiserver-${STAGING}`,
      project: `k8s-log-${STAGING}`,
      query: '*',
    });
    assert.equal(r.isError, true);
    assert.match(
      text(r),
      new RegExp(
        `LogStoreNotExist: logstore apiserver-${STAGING} not found in project k8s-log-${STAGING} \\(cn-beijing; project from argument\\)`,
      ),
    );
    assert.ok(!upstream(stack).includes('cs:CheckControlPlaneLogEnable'));
  });

  it('lists each kind of log in its own project', async () => {
    const { client } = await clientWithNewKey(stack);
    const r = await call(client, 'list_log_stores', { cluster_id: STAGING });
    assert.equal(r.isError, undefined, text(r));
    assert.deepEqual(
      r.structuredContent.projects.map((row: any) => [row.project, row.source, row.logstores, row.lookup_error]),
      [
        [`k8s-log-${STAGING}`, 'naming rule k8s-log-{cluster_id}', ['k8s-event', 'config-operation-log', 'nginx-ingress'], null],
        [
          staging.controlPlaneProject,
          'CheckControlPlaneLogEnable',
          [`apiserver-${STAGING}`, `kcm-${STAGING}`, `scheduler-${STAGING}`],
          null,
        ],
        [staging.auditProject, 'GetClusterAuditProject', [`audit-${STAGING}`], null],
        [`workspace-default-cms-${demo.accountId}-cn-beijing`, 'naming rule with account id from STS GetCallerIdentity', [], null],
      ],
    );
    assert.equal(stack.emulator.callLog.of('ListLogStores').length, 4, 'one listing per distinct project');
  });

  it('falls back to the default project when the lookups are denied, says why, and keeps SQL working', async () => {
    const { client } = await clientWithNewKey(stack, ['cs:CheckControlPlaneLogEnable', 'cs:GetClusterAuditProject']);
    const events = await call(client, 'sls_execute_sql_query', { cluster_id: PROD, query: 'level: Warning | SELECT count(*) AS n' });
    assert.deepEqual(events.structuredContent.rows, [{ n: '14' }], text(events));
    // prod-hangzhou keeps its control-plane logs in k8s-log-{id}: the default finds them.
    const apiserver = await call(client, 'sls_execute_sql_query', { cluster_id: PROD, logstore: `apiserver-${PROD}`, query: '*' });
    assert.equal(apiserver.isError, undefined, text(apiserver));
    assert.equal(apiserver.structuredContent.project, `k8s-log-${PROD}`);
    assert.equal(
      apiserver.structuredContent.project_source,
      'default k8s-log-{cluster_id} (CheckControlPlaneLogEnable failed: StatusForbidden)',
    );
    assert.match(
      text(apiserver),
      /Project k8s-log-\S+ is a default: .*CheckControlPlaneLogEnable failed: StatusForbidden\); pass `project` if the logs are elsewhere/,
    );
    const audit = await call(client, 'sls_execute_sql_query', { cluster_id: PROD, logstore: `audit-${PROD}`, query: 'verb: delete' });
    assert.equal(audit.structuredContent.project_source, 'default k8s-log-{cluster_id} (GetClusterAuditProject failed: StatusForbidden)');
    // staging-beijing does not: the failure says what was tried and what to do.
    const stagingAudit = await call(client, 'sls_execute_sql_query', { cluster_id: STAGING, logstore: `audit-${STAGING}`, query: '*' });
    assert.equal(stagingAudit.isError, true);
    assert.match(
      text(stagingAudit),
      new RegExp(
        `LogStoreNotExist: logstore audit-${STAGING} not found in project k8s-log-${STAGING} \\(cn-beijing; project from default k8s-log-\\{cluster_id\\} \\(GetClusterAuditProject failed: StatusForbidden\\)\\)`,
      ),
    );
    const listed = await call(client, 'list_log_stores', { cluster_id: STAGING });
    assert.equal(listed.isError, undefined, text(listed));
    const [events_, controlPlane, auditRow] = listed.structuredContent.projects;
    assert.equal(events_.lookup_error, null);
    assert.match(controlPlane.lookup_error, /^StatusForbidden: RAM policy Forbidden for action cs:CheckControlPlaneLogEnable/);
    assert.match(auditRow.lookup_error, /^StatusForbidden: RAM policy Forbidden for action cs:GetClusterAuditProject/);
    assert.equal(controlPlane.project, `k8s-log-${STAGING}`);
    assert.deepEqual(controlPlane.logstores, [], 'the default project has no control-plane logstores of staging');
    assert.match(text(listed), /lookup failed, default used: StatusForbidden/);
  });

  it('does not cache a fallback after a transient failure, and caches one after a denial', async () => {
    const { client } = await clientWithNewKey(stack);
    // 4 = the first attempt and 3 retries: CheckControlPlaneLogEnable stays unavailable for this call.
    stack.emulator.faults.inject({ kind: 'service-unavailable', product: 'cs', action: 'CheckControlPlaneLogEnable', times: 4 });
    const args = { cluster_id: PROD, logstore: `apiserver-${PROD}`, query: '*' };
    const during = await call(client, 'sls_execute_sql_query', args);
    assert.equal(
      during.structuredContent.project_source,
      'default k8s-log-{cluster_id} (CheckControlPlaneLogEnable failed: ServiceUnavailable)',
      text(during),
    );
    stack.emulator.callLog.clear();
    const afterwards = await call(client, 'sls_execute_sql_query', args);
    assert.equal(afterwards.structuredContent.project_source, 'CheckControlPlaneLogEnable');
    assert.deepEqual(upstream(stack), ['cs:CheckControlPlaneLogEnable', 'sls:GetLogsV2'], 'ACK was asked again');
    stack.emulator.callLog.clear();
    await call(client, 'sls_execute_sql_query', args);
    assert.deepEqual(upstream(stack), ['sls:GetLogsV2'], 'the real answer is cached');

    const { client: denied } = await clientWithNewKey(stack, ['cs:CheckControlPlaneLogEnable']);
    await call(denied, 'sls_execute_sql_query', args);
    stack.emulator.callLog.clear();
    const again = await call(denied, 'sls_execute_sql_query', args);
    assert.equal(
      again.structuredContent.project_source,
      'default k8s-log-{cluster_id} (CheckControlPlaneLogEnable failed: StatusForbidden)',
    );
    assert.deepEqual(upstream(stack), ['sls:GetLogsV2'], 'a denial is not retried on every call');
  });

  it('runs PromQL with an explicit project and metricstore without asking STS, even when STS fails', async () => {
    const { client } = await clientWithNewKey(stack);
    stack.emulator.faults.inject({ kind: 'service-unavailable', product: 'sts', action: 'GetCallerIdentity', times: 100 });
    const explicit = await call(client, 'cms_execute_promql_query', {
      cluster_id: PROD,
      query: 'count(up)',
      project: PROMETHEUS_PROJECT,
      metricstore: `aliyun-prom-${PROD}`,
    });
    assert.equal(explicit.isError, undefined, text(explicit));
    assert.deepEqual(
      explicit.structuredContent.result.map((s: any) => s.value[1]),
      ['4'],
    );
    const projectOnly = await call(client, 'cms_execute_promql_query', {
      cluster_id: PROD,
      query: 'count(up)',
      project: PROMETHEUS_PROJECT,
    });
    assert.equal(projectOnly.isError, undefined, text(projectOnly));
    assert.ok(!upstream(stack).includes('sts:GetCallerIdentity'));
    const discovered = await call(client, 'cms_execute_promql_query', { cluster_id: PROD, query: 'count(up)' });
    assert.equal(discovered.isError, true);
    assert.match(
      text(discovered),
      /Error AccountIdUnknown: Could not find the account id for the Prometheus project name: STS GetCallerIdentity failed \(ServiceUnavailable: /,
    );
    assert.match(text(discovered), /Hint: Pass `project` explicitly \(workspace-default-cms-\{accountId\}-\{region\}\)/);
  });
});

describe('observability discovery on Function Compute (FC_ACCOUNT_ID)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { CREDENTIAL_SOURCES: 'caller,function', TRUST_FC_HEADERS: 'true', FC_ACCOUNT_ID: demo.accountId } });
  });
  after(async () => stack.close());

  it("takes the account id from FC with the function's own role, and from STS for a caller's keys", async () => {
    const key = demo.accessKeys[0]!;
    const role = await stack.client({ 'x-fc-access-key-id': key.accessKeyId, 'x-fc-access-key-secret': key.accessKeySecret });
    stack.emulator.callLog.clear();
    const r = await call(role, 'cms_execute_promql_query', { cluster_id: PROD, query: 'count(up)' });
    assert.equal(r.isError, undefined, text(r));
    assert.equal(r.structuredContent.project, PROMETHEUS_PROJECT);
    assert.deepEqual(upstream(stack), ['cs:DescribeClusterDetail', 'sls:PrometheusQuery'], 'no STS call with the function role');
    const listed = await call(role, 'list_log_stores', { cluster_id: PROD });
    assert.equal(listed.structuredContent.projects[3].source, 'naming rule with account id from FC_ACCOUNT_ID');

    const { client: caller } = await clientWithNewKey(stack);
    stack.emulator.callLog.clear();
    const own = await call(caller, 'cms_execute_promql_query', { cluster_id: PROD, query: 'count(up)' });
    assert.equal(own.isError, undefined, text(own));
    assert.ok(upstream(stack).includes('sts:GetCallerIdentity'), "a caller's keys may belong to another account");
  });
});
