import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summariseInstance, type Datapoint } from './cms.api.ts';

const point = (minute: number, average: number, device?: string): Datapoint => ({
  timestamp: minute * 60_000,
  instanceId: 'i-1',
  ...(device ? { device } : {}),
  Average: average,
  Maximum: average + 1,
  Minimum: average - 1,
});

describe('summariseInstance', () => {
  it('summarises a per-instance series: latest, min, max, avg', () => {
    const summary = summariseInstance('i-1', [point(2, 30), point(1, 10), point(3, 20)], false);
    assert.deepEqual(summary, {
      instance_id: 'i-1',
      device: null,
      devices: 1,
      points: 3,
      latest: 20,
      latest_at: new Date(180_000).toISOString(),
      min: 9,
      max: 31,
      avg: 20,
    });
  });

  it('never mixes devices: the instance shows its busiest device, and how many it has', () => {
    const points = [point(1, 35, '/dev/vda1'), point(2, 36, '/dev/vda1'), point(1, 90, '/dev/vdb'), point(2, 93, '/dev/vdb')];
    const summary = summariseInstance('i-1', points, true);
    assert.deepEqual(
      [summary.device, summary.devices, summary.latest, summary.min, summary.max, summary.avg, summary.points],
      ['/dev/vdb', 2, 93, 89, 94, 91.5, 2],
    );
  });

  it('answers no data when nothing was reported', () => {
    assert.deepEqual(summariseInstance('i-1', [], true), {
      instance_id: 'i-1',
      device: null,
      devices: 0,
      points: 0,
      latest: null,
      latest_at: null,
      min: null,
      max: null,
      avg: null,
    });
  });
});
