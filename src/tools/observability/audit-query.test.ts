import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { auditSearch, exactMatch, listArg, normaliseResourceTypes, parseList, valueFilter } from './audit-query.ts';

const refused = (fn: () => unknown) =>
  assert.throws(fn, (error: unknown) => error instanceof ToolFailure && error.code === 'InvalidArguments');

describe('audit query', () => {
  it('quotes exact values and uses Log Service prefixes only for single tokens', () => {
    const filters = {
      values: [valueFilter('user', 'system:serviceaccount:kube-*'), valueFilter('namespace', 'kube*'), valueFilter('resource_name', 'web')],
      verbs: ['get'],
      resourceTypes: normaliseResourceTypes(['deploy', 'pods/exec']),
    };
    assert.equal(
      auditSearch(filters),
      '* and user.username: "system:serviceaccount" and objectRef.namespace: kube* and objectRef.name: "web" and (verb: "get") and (objectRef.resource: "deployments" or objectRef.resource: "pods/exec")',
    );
    const row = { 'user.username': 'system:serviceaccount:kube-system:x', 'objectRef.namespace': 'kube-system', 'objectRef.name': 'web' };
    assert.equal(exactMatch(filters, row), true);
    assert.equal(exactMatch(filters, { ...row, 'user.username': 'system:serviceaccount:shop:x' }), false);
    assert.equal(exactMatch(filters, { ...row, 'objectRef.name': 'web-2' }), false);
  });

  it('refuses every character that could leave the quoted phrase or start an operator', () => {
    for (const value of ['a"b', 'a\\b', 'a b', 'a|b', 'a(b', 'a*b', '*', '', 'a\nb', 'a\u0000b']) refused(() => valueFilter('user', value));
    for (const value of ['Default', 'a_b', 'a.b', 'a:b']) refused(() => valueFilter('namespace', value));
    refused(() => normaliseResourceTypes(['pods" or "x']));
    assert.equal(listArg.safeParse('[1,2]').success, false);
    assert.equal(listArg.safeParse('["get"').success, false);
    assert.equal(listArg.safeParse(JSON.stringify(Array.from({ length: 21 }, (_, i) => `v${i}`))).success, false);
  });

  it('reads lists as arrays, JSON array strings or comma-separated words', () => {
    assert.deepEqual(parseList(listArg.parse(['Get', 'get', ' list '])), ['get', 'list']);
    assert.deepEqual(parseList(listArg.parse('["create","update"]')), ['create', 'update']);
    assert.deepEqual(parseList(listArg.parse('create, delete')), ['create', 'delete']);
  });
});
