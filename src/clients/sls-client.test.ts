import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config.ts';
import { projectHostHeader, projectInHost, slsAiEndpoint, slsEndpoint, slsProjectHost } from './sls-client.ts';

const config = (env: Record<string, string> = {}) => loadConfig({ CREDENTIAL_SOURCES: 'caller', ...env });

describe('slsAiEndpoint', () => {
  // As alibabacloud-observability-mcp-server v1: text_to_promql via cn-shanghai, text_to_sql via the project's region.
  it("sends text_to_promql to Shanghai and the SQL tools to the project's own region", () => {
    assert.deepEqual(slsAiEndpoint(config(), 'text_to_promql', 'eu-central-1'), {
      endpoint: 'cn-shanghai.log.aliyuncs.com',
      region: 'cn-shanghai',
    });
    assert.deepEqual(slsAiEndpoint(config(), 'text_to_sql', 'cn-beijing'), {
      endpoint: 'cn-beijing.log.aliyuncs.com',
      region: 'cn-beijing',
    });
    assert.deepEqual(slsAiEndpoint(config(), 'diagnosis_sql', 'ap-southeast-1'), {
      endpoint: 'ap-southeast-1.log.aliyuncs.com',
      region: 'ap-southeast-1',
    });
  });

  it('honours SLS_AI_ENDPOINT', () => {
    assert.equal(slsAiEndpoint(config({ SLS_AI_ENDPOINT: '127.0.0.1:9000' }), 'text_to_promql', 'cn-hangzhou').endpoint, '127.0.0.1:9000');
  });
});

describe('project hosts', () => {
  it('names the project in the Host header even for an IP endpoint (Log Service routes by Host)', () => {
    assert.equal(projectHostHeader(config({ SLS_ENDPOINT: '127.0.0.1:8080' }), 'cn-hangzhou', 'k8s-log-c1'), 'k8s-log-c1.127.0.0.1:8080');
    assert.equal(projectHostHeader(config(), 'cn-hangzhou', 'k8s-log-c1'), 'k8s-log-c1.cn-hangzhou.log.aliyuncs.com');
  });

  it('puts the project in the host of a regional endpoint, not of an IP or localhost', () => {
    assert.equal(slsEndpoint(config(), 'cn-hangzhou'), 'cn-hangzhou.log.aliyuncs.com');
    assert.equal(slsProjectHost(config(), 'cn-hangzhou', 'k8s-log-c1'), 'k8s-log-c1.cn-hangzhou.log.aliyuncs.com');
    assert.equal(slsProjectHost(config({ SLS_ENDPOINT: '127.0.0.1:8080' }), 'cn-hangzhou', 'k8s-log-c1'), '127.0.0.1:8080');
    assert.deepEqual(['localhost:80', '[::1]:80', '10.0.0.1', 'cn-hangzhou-intranet.log.aliyuncs.com'].map(projectInHost), [
      false,
      false,
      false,
      true,
    ]);
  });
});
