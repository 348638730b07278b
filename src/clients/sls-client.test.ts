import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config.ts';
import { projectInHost, slsAiEndpoint, slsEndpoint, slsProjectHost } from './sls-client.ts';

const config = (env: Record<string, string> = {}) => loadConfig({ CREDENTIAL_SOURCES: 'caller', ...env });

describe('slsAiEndpoint', () => {
  it('sends CallAiTools to Shanghai for clusters in mainland China and to Singapore otherwise', () => {
    assert.equal(slsAiEndpoint(config(), 'cn-hangzhou'), 'cn-shanghai.log.aliyuncs.com');
    assert.equal(slsAiEndpoint(config(), 'cn-beijing'), 'cn-shanghai.log.aliyuncs.com');
    assert.equal(slsAiEndpoint(config(), 'ap-southeast-1'), 'ap-southeast-1.log.aliyuncs.com');
    assert.equal(slsAiEndpoint(config(), 'eu-central-1'), 'ap-southeast-1.log.aliyuncs.com');
  });

  it('honours SLS_AI_ENDPOINT', () => {
    assert.equal(slsAiEndpoint(config({ SLS_AI_ENDPOINT: '127.0.0.1:9000' }), 'cn-hangzhou'), '127.0.0.1:9000');
  });
});

describe('project hosts', () => {
  it('puts the project in the host of a regional endpoint, not of an IP or localhost', () => {
    assert.equal(slsEndpoint(config(), 'cn-hangzhou'), 'cn-hangzhou.log.aliyuncs.com');
    assert.equal(slsProjectHost(config(), 'cn-hangzhou', 'k8s-log-c1'), 'k8s-log-c1.cn-hangzhou.log.aliyuncs.com');
    assert.equal(slsProjectHost(config({ SLS_ENDPOINT: '127.0.0.1:8080' }), 'cn-hangzhou', 'k8s-log-c1'), '127.0.0.1:8080');
    assert.deepEqual(['localhost:80', '[::1]:80', '10.0.0.1', 'cn-hangzhou-intranet.log.aliyuncs.com'].map(projectInHost), [false, false, false, true]);
  });
});
