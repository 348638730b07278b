import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { loadConfig } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';
import { createCmsClient, loadCmsSdk } from './cms-client.ts';
import { createCsClient, loadCsSdk } from './cs-client.ts';
import { createSlsClient, loadSlsSdk } from './sls-client.ts';
import { createStsClient } from './sts-client.ts';

const credentials: AliyunCredentials = {
  accessKeyId: 'LTAI5tUnitTestKey000001',
  accessKeySecret: 's',
  securityToken: undefined,
  source: 'caller',
  identityKey: 'k',
};

/** Runs `call` against a local server that answers `body` after `delayMs`, with a connect timeout far below it. */
async function slowAnswer<T>(body: unknown, call: (endpoint: string) => Promise<T>): Promise<T> {
  const server = createServer((req, res) => {
    req.resume();
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-log-requestid': 'R1' });
      res.end(JSON.stringify(body));
    }, 400);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await call(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
  }
}

function configFor(endpointSetting: string, endpoint: string) {
  return loadConfig({
    CREDENTIAL_SOURCES: 'caller',
    [endpointSetting]: endpoint,
    ALIBABA_CLOUD_ENDPOINT_PROTOCOL: 'http',
    UPSTREAM_CONNECT_TIMEOUT_MS: '100',
    UPSTREAM_READ_TIMEOUT_MS: '5000',
  });
}

// The SDK's connect timer is an idle timer that keeps running while the answer is awaited: every
// client must still get an answer slower than the connect timeout but within the read timeout.
describe('an answer slower than the connect timeout but within the read timeout arrives', () => {
  test('CS (ACK)', async () => {
    const { models } = await loadCsSdk();
    const answer = await slowAnswer({ task_id: 'T-5faa48fb31b6b8078d000006', request_id: 'R1' }, async (endpoint) => {
      const cs = await createCsClient(configFor('CS_ENDPOINT', endpoint), credentials, 'cn-hangzhou');
      return cs.scaleClusterNodePool('c1', 'np1', new models.ScaleClusterNodePoolRequest({ count: 1 }));
    });
    assert.equal(answer.body?.taskId, 'T-5faa48fb31b6b8078d000006');
  });

  test('CloudMonitor', async () => {
    const { models } = await loadCmsSdk();
    const answer = await slowAnswer({ Code: '200', Success: true, Datapoints: '[]', RequestId: 'R1' }, async (endpoint) => {
      const cms = await createCmsClient(configFor('CMS_ENDPOINT', endpoint), credentials, 'cn-hangzhou');
      return cms.describeMetricList(new models.DescribeMetricListRequest({ namespace: 'acs_ecs_dashboard', metricName: 'CPUUtilization' }));
    });
    assert.equal(answer.body?.requestId, 'R1');
  });

  test('STS', async () => {
    const answer = await slowAnswer(
      { AccountId: '1234567890123456', Arn: 'acs:ram::1234567890123456:root', RequestId: 'R1' },
      async (endpoint) => {
        const sts = await createStsClient(configFor('STS_ENDPOINT', endpoint), credentials, undefined);
        return sts.getCallerIdentity();
      },
    );
    assert.equal(answer.body?.accountId, '1234567890123456');
  });

  test('Log Service', async () => {
    const { models } = await loadSlsSdk();
    const answer = await slowAnswer({ count: 1, total: 1, logstores: ['k8s-event'] }, async (endpoint) => {
      const sls = await createSlsClient(configFor('SLS_ENDPOINT', endpoint), credentials, 'cn-hangzhou');
      return sls.listLogStores('k8s-log-c1', new models.ListLogStoresRequest({}));
    });
    assert.deepEqual(answer.body?.logstores, ['k8s-event']);
  });
});
