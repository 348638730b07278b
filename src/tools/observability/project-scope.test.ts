import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedByOperator } from './project-scope.ts';

test('SLS_ALLOWED_PROJECTS entries match whole project names; * stands for any run of name characters', () => {
  assert.equal(allowedByOperator([], 'k8s-log-c1'), false);
  assert.equal(allowedByOperator(['*'], 'any-project'), true);
  assert.equal(allowedByOperator(['k8s-log-*'], 'k8s-log-c123'), true);
  assert.equal(allowedByOperator(['k8s-log-*'], 'my-k8s-log-c123'), false, 'anchored at the start');
  assert.equal(allowedByOperator(['shared-audit'], 'shared-audit-2'), false, 'anchored at the end');
  assert.equal(allowedByOperator(['ack-*-audit'], 'ack-prod-audit'), true);
  assert.equal(allowedByOperator(['ack-*-audit'], 'ack-prod-audit-x'), false);
});
