/**
 * A cluster's logs and metrics, not another's: every tool taking `project` (SQL, translate, diagnose, PromQL)
 * or a per-cluster logstore / metricstore name accepts only what belongs to the cluster it was given (its log,
 * control-plane and audit projects, its own metricstore in the region's Prometheus workspace) unless the
 * operator allows more projects with SLS_ALLOWED_PROJECTS. A refusal names what is allowed and the setting,
 * and nothing reaches Log Service.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { layoutOf } from '../emulator/sls/dataset.ts';
import { clusterIdFor, createDemoWorld } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import { call, text } from './observability.helpers.ts';

const PROD = clusterIdFor('prod-hangzhou');
const STAGING = clusterIdFor('staging-beijing');
const demo = createDemoWorld().accounts[0]!;
const staging = layoutOf(demo.clusters[1]!);
const WORKSPACE = (region: string) => `workspace-default-cms-${demo.accountId}-${region}`;
const SETTING_HINT = /SLS_ALLOWED_PROJECTS/;

const slsCalls = (stack: Stack) => stack.emulator.callLog.records.filter((record) => record.product === 'sls');

describe('Log Service projects are scoped to the cluster', () => {
  let stack: Stack;
  let client: Client;
  before(async () => {
    stack = await startStack();
    client = await stack.client(callerHeaders(demo.accessKeys[0]!));
  });
  after(() => stack.close());
  beforeEach(() => stack.emulator.callLog.clear());

  it("refuses another cluster's log project for SQL, naming the cluster's projects and the setting", async () => {
    const r = await call(client, 'sls_execute_sql_query', { cluster_id: PROD, project: `k8s-log-${STAGING}`, query: '*' });
    assert.equal(r.isError, true, text(r));
    assert.match(
      text(r),
      new RegExp(
        `^Error ProjectOutOfScope: Log Service project k8s-log-${STAGING} is not one of cluster ${PROD}'s projects \\(k8s-log-${PROD}`,
      ),
    );
    assert.match(text(r), /workspace-default-cms-\{account_id\}-cn-hangzhou/);
    assert.match(text(r), SETTING_HINT);
    assert.match(text(r), /Nothing was sent/);
    assert.deepEqual(slsCalls(stack), []);
  });

  it('refuses it for translation and diagnosis too', async () => {
    for (const [name, extra] of [
      ['sls_translate_text_to_sql_query', { text: 'warning events' }],
      ['sls_diagnose_query', { query: '* | SELECT x', error_message: 'no such column: x' }],
    ] as const) {
      const r = await call(client, name, { cluster_id: PROD, project: `k8s-log-${STAGING}`, ...extra });
      assert.match(text(r), /^Error ProjectOutOfScope: /, name);
      assert.match(text(r), SETTING_HINT);
    }
    assert.deepEqual(slsCalls(stack), []);
  });

  it("refuses another cluster's audit or control-plane logstore, even in the cluster's own project", async () => {
    for (const logstore of [`audit-${STAGING}`, `apiserver-${STAGING}`]) {
      const r = await call(client, 'sls_execute_sql_query', { cluster_id: PROD, logstore, query: '*' });
      assert.match(
        text(r),
        new RegExp(`^Error LogstoreOutOfScope: logstore ${logstore} is named for another cluster, not ${PROD}`),
        logstore,
      );
      assert.match(text(r), SETTING_HINT);
    }
    assert.deepEqual(slsCalls(stack), []);
  });

  it("PromQL: refuses another region's workspace and another cluster's metricstore", async () => {
    const otherWorkspace = await call(client, 'cms_execute_promql_query', {
      cluster_id: PROD,
      query: 'up',
      project: WORKSPACE('cn-beijing'),
    });
    assert.match(
      text(otherWorkspace),
      new RegExp(`^Error ProjectOutOfScope: Log Service project ${WORKSPACE('cn-beijing')} is not one of cluster ${PROD}'s projects`),
    );
    const otherStore = await call(client, 'cms_execute_promql_query', {
      cluster_id: PROD,
      query: 'up',
      metricstore: `aliyun-prom-${STAGING}`,
    });
    assert.match(
      text(otherStore),
      new RegExp(`^Error LogstoreOutOfScope: metricstore aliyun-prom-${STAGING} is named for another cluster, not ${PROD}`),
    );
    const customStore = await call(client, 'cms_execute_promql_query', {
      cluster_id: PROD,
      query: 'up',
      project: WORKSPACE('cn-hangzhou'),
      metricstore: 'shared-metrics',
    });
    assert.match(
      text(customStore),
      new RegExp(
        `^Error LogstoreOutOfScope: metricstore shared-metrics is not cluster ${PROD}'s: the Prometheus workspace ${WORKSPACE('cn-hangzhou')} is shared by the account's clusters in cn-hangzhou; only aliyun-prom-${PROD} is this cluster's`,
      ),
    );
    assert.deepEqual(slsCalls(stack), []);
  });

  it('accepts every project of the cluster: log, control-plane, audit and its Prometheus workspace', async () => {
    const own = await call(client, 'sls_execute_sql_query', { cluster_id: PROD, project: `k8s-log-${PROD}`, query: '*', limit: 1 });
    assert.equal(own.isError, undefined, text(own));
    const audit = await call(client, 'sls_execute_sql_query', {
      cluster_id: STAGING,
      project: staging.auditProject,
      logstore: `audit-${STAGING}`,
      query: '*',
      limit: 1,
    });
    assert.equal(audit.isError, undefined, text(audit));
    assert.equal(audit.structuredContent.region_id, 'cn-beijing');
    const controlPlane = await call(client, 'sls_execute_sql_query', {
      cluster_id: STAGING,
      project: staging.controlPlaneProject,
      logstore: `apiserver-${STAGING}`,
      query: '*',
      limit: 1,
    });
    assert.equal(controlPlane.isError, undefined, text(controlPlane));
    const promql = await call(client, 'cms_execute_promql_query', {
      cluster_id: PROD,
      query: 'count(up)',
      project: WORKSPACE('cn-hangzhou'),
      metricstore: `aliyun-prom-${PROD}`,
    });
    assert.equal(promql.isError, undefined, text(promql));
  });
});

describe('SLS_ALLOWED_PROJECTS', () => {
  let stack: Stack;
  let client: Client;
  before(async () => {
    stack = await startStack({ env: { SLS_ALLOWED_PROJECTS: `k8s-log-*, ${staging.auditProject}` } });
    client = await stack.client(callerHeaders(demo.accessKeys[0]!));
  });
  after(() => stack.close());

  it('lets the operator allow more projects by name or * pattern, with any logstore in them', async () => {
    const byPattern = await call(client, 'sls_execute_sql_query', {
      cluster_id: PROD,
      project: `k8s-log-${STAGING}`,
      query: 'reason: BackOff | SELECT count(*) AS n',
    });
    assert.equal(byPattern.isError, undefined, text(byPattern));
    assert.deepEqual(byPattern.structuredContent.rows, [{ n: '12' }]);
    const byName = await call(client, 'sls_execute_sql_query', {
      cluster_id: PROD,
      project: staging.auditProject,
      logstore: `audit-${STAGING}`,
      query: '*',
      limit: 1,
    });
    assert.equal(byName.isError, undefined, text(byName));
    const notListed = await call(client, 'sls_execute_sql_query', {
      cluster_id: PROD,
      project: staging.controlPlaneProject,
      logstore: 'k8s-event',
      query: '*',
    });
    assert.match(text(notListed), /^Error ProjectOutOfScope: /);
    assert.match(text(notListed), /SLS_ALLOWED_PROJECTS allows: k8s-log-\*, ack-audit-/);
  });

  it('is validated at start: project names or * patterns, comma-separated', () => {
    const base = { MCP_AUTH_TOKEN: 'a-long-enough-token-0001' };
    assert.deepEqual(loadConfig({ ...base, SLS_ALLOWED_PROJECTS: ' k8s-log-*,shared-audit ,' }).slsAllowedProjects, [
      'k8s-log-*',
      'shared-audit',
    ]);
    assert.deepEqual(loadConfig(base).slsAllowedProjects, []);
    for (const bad of ['K8s-Log', 'a/b', 'x'.repeat(129), 'with space']) {
      assert.throws(
        () => loadConfig({ ...base, SLS_ALLOWED_PROJECTS: bad }),
        (error: unknown) =>
          error instanceof ConfigError &&
          /SLS_ALLOWED_PROJECTS entries are Log Service project names or patterns with \*/.test(error.message),
        bad,
      );
    }
  });
});
