import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLogProject, roleOf } from './discovery.ts';

describe('roleOf', () => {
  it('routes a logstore to the project that holds it', () => {
    assert.equal(roleOf('k8s-event'), 'cluster');
    assert.equal(roleOf('config-operation-log'), 'cluster');
    assert.equal(roleOf('nginx-ingress'), 'cluster');
    for (const store of ['apiserver-c1', 'kcm-c1', 'scheduler-c1', 'ccm-c1']) assert.equal(roleOf(store), 'control-plane', store);
    assert.equal(roleOf('audit-c1'), 'audit');
    assert.equal(roleOf('my-apiserver-copy'), 'cluster');
  });

  it('names the default project after the cluster', () => {
    assert.equal(defaultLogProject('c123'), 'k8s-log-c123');
  });
});
