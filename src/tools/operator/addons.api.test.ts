import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareAddonVersions } from './addons.api.ts';
import { orderFindings, type InspectFinding } from './inspect.api.ts';

test('addon versions compare by their numbers, build suffixes ignored', () => {
  assert.equal(compareAddonVersions('1.2.24', '1.2.26'), 'newer');
  assert.equal(compareAddonVersions('v1.9.3.10-7dfca203-aliyun', 'v1.11.3.2-f57ea7ed6-aliyun'), 'newer');
  assert.equal(compareAddonVersions('1.2.26', '1.2.24'), 'older');
  assert.equal(compareAddonVersions('v1.13.4', 'v1.13.4'), 'same');
  assert.equal(compareAddonVersions('1.2.0-a', '1.2.0-b'), 'unknown', 'same numbers, different builds: not ordered');
  assert.equal(compareAddonVersions('latest', 'stable'), 'unknown');
  assert.equal(compareAddonVersions('1.0', ''), 'unknown');
});

test('inspection findings: exceptions first, most severe first, then normal, then disabled', () => {
  const finding = (check_item: string, level: string, result: string): InspectFinding => ({
    check_item,
    name: check_item,
    category: 'stability',
    level,
    result,
    target_type: '',
    targets: [],
    description: '',
    fix: '',
  });
  const ordered = orderFindings([
    finding('a', 'advice', 'true'),
    finding('b', 'critical', 'false'),
    finding('c', 'warning', 'true'),
    finding('d', 'critical', 'true'),
    finding('e', 'error', 'disable'),
    finding('f', 'error', 'true'),
  ]);
  assert.deepEqual(
    ordered.map((f) => f.check_item),
    ['d', 'f', 'c', 'a', 'b', 'e'],
  );
});
