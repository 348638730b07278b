import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessReadiness, minorOf } from './upgrade-risk.ts';
import { checkItem } from './upgrade.api.ts';

const done = { check_id: 'c1', status: 'Succeeded', message: '', created_at: '', finished_at: '', items: [] };
const base = {
  currentVersion: '1.31.9-aliyun.1',
  targetVersion: '1.32.7-aliyun.1',
  check: { ok: done },
  deprecated: { ok: { calls: [], sampled: false, days: 7 } },
  addons: { ok: [] },
  nodePools: { ok: [] },
};

describe('upgrade risk', () => {
  it('blocks on an API the target removes, warns on one only deprecated', () => {
    const call = (removed: string) => ({
      api: 'flowcontrol.apiserver.k8s.io/v1beta3',
      resource: 'flowschemas',
      removed_release: removed,
      user: 'u',
      user_agent: 'a',
      calls: 3,
      last_seen: '',
    });
    const removed = assessReadiness({ ...base, deprecated: { ok: { calls: [call('1.32')], sampled: false, days: 7 } } });
    assert.equal(removed.verdict, 'blocked');
    assert.match(removed.risks[0]!.summary, /is removed in 1\.32/);
    const later = assessReadiness({ ...base, deprecated: { ok: { calls: [call('1.35')], sampled: false, days: 7 } } });
    assert.equal(later.verdict, 'ready with warnings');
  });

  it('blocks a node pool that would fall more than three minors behind; an unread part makes the verdict incomplete', () => {
    const pools = (kubelet: string) => ({ ok: [{ nodepool_id: 'np1', name: 'old', kubelet_version: kubelet }] });
    assert.equal(assessReadiness({ ...base, nodePools: pools('1.28.9-aliyun.1') }).verdict, 'blocked');
    assert.equal(assessReadiness({ ...base, nodePools: pools('1.29.1-aliyun.1') }).verdict, 'ready with warnings');
    assert.equal(assessReadiness({ ...base, addons: { unavailable: 'StatusForbidden: no' } }).verdict, 'incomplete');
    assert.equal(assessReadiness(base).verdict, 'ready');
    assert.equal(assessReadiness({ ...base, check: { ok: { ...done, status: 'Running' } } }).verdict, 'incomplete');
  });

  it('reads check items with unknown keys conservatively', () => {
    assert.equal(checkItem('c', { name: 'x', level: 'error' }).severity, 'blocker');
    assert.equal(checkItem('c', { check_item: 'x', status: 'Failed' }).severity, 'blocker');
    assert.equal(checkItem('c', { name: 'x', level: 'pass' }).severity, 'pass');
    assert.equal(checkItem('c', { name: 'x', level: 'strange' }).severity, 'warning');
    assert.equal(checkItem('c', {}).name, '?');
    assert.equal(minorOf('v1.34.1-aliyun.1'), 34);
    assert.equal(minorOf('nonsense'), undefined);
  });
});
