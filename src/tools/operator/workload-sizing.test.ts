import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cpuCores, formatCpu, formatMemory, memoryBytes } from './quantities.ts';
import { labelSelectorOf } from './workload-cost.api.ts';
import { overallVerdict, sizeContainers } from './workload-sizing.ts';

describe('quantities', () => {
  test('CPU in every unit metrics-server and manifests use', () => {
    assert.deepEqual(['500m', '1', '0.25', '7913052n', '250000u', '2k', 3].map(cpuCores), [0.5, 1, 0.25, 0.007913052, 0.25, 2000, 3]);
    assert.deepEqual(['', 'lots', '1Gi', '-1', '1e999'].map(cpuCores), [undefined, undefined, undefined, undefined, undefined]);
  });

  test('memory in binary and decimal units', () => {
    assert.deepEqual(['1Gi', '43204Ki', '128M', '1e3', '512'].map(memoryBytes), [2 ** 30, 43204 * 1024, 128e6, 1000, 512]);
    assert.equal(memoryBytes('5m'), undefined);
    assert.deepEqual([formatCpu(0.007913052), formatCpu(1.5), formatMemory(43204 * 1024)], ['8m', '1500m', '42Mi']);
  });
});

describe('sizing verdicts', () => {
  const spec = (requests: Record<string, string>, limits: Record<string, string> = {}) => [{ name: 'app', requests, limits }];
  const usage = (...samples: Array<[string, string]>) => new Map([['app', samples.map(([cpu, memory]) => ({ cpu, memory }))]]);

  test('over-provisioned below 30% of the request, with a suggested request of the highest usage × 1.3', () => {
    const [sized] = sizeContainers(spec({ cpu: '1', memory: '1Gi' }), usage(['100m', '100Mi'], ['200m', '200Mi']));
    assert.deepEqual(
      [sized!.cpu.verdict, sized!.cpu.usage_avg, sized!.cpu.usage_max, sized!.cpu.utilisation, sized!.cpu.suggested_request],
      ['over_provisioned', '150m', '200m', 0.15, '260m'],
    );
    assert.deepEqual([sized!.memory.verdict, sized!.memory.suggested_request], ['over_provisioned', '272Mi']);
  });

  test('under-provisioned above the request, near the limit, no request, fits', () => {
    const verdicts = (requests: Record<string, string>, limits: Record<string, string>, cpu: string) =>
      sizeContainers(spec(requests, limits), usage([cpu, '10Mi']))[0]!.cpu.verdict;
    assert.equal(verdicts({ cpu: '100m' }, {}, '150m'), 'under_provisioned');
    assert.equal(verdicts({ cpu: '100m' }, { cpu: '200m' }, '190m'), 'near_limit');
    assert.equal(verdicts({}, {}, '50m'), 'no_request');
    assert.equal(verdicts({ cpu: '100m' }, {}, '60m'), 'fits');
    assert.equal(sizeContainers(spec({ cpu: '100m' }), new Map())[0]!.cpu.verdict, 'no_usage');
  });

  test('the workload verdict is the most pressing one', () => {
    const sized = sizeContainers(
      [
        { name: 'a', requests: { cpu: '1', memory: '1Gi' }, limits: {} },
        { name: 'b', requests: { cpu: '10m', memory: '1Gi' }, limits: {} },
      ],
      new Map([
        ['a', [{ cpu: '10m', memory: '10Mi' }]],
        ['b', [{ cpu: '50m', memory: '10Mi' }]],
      ]),
    );
    assert.equal(overallVerdict(sized), 'under_provisioned');
  });
});

test('label selectors from matchLabels and matchExpressions', () => {
  assert.equal(
    labelSelectorOf({
      matchLabels: { app: 'web', tier: 'front' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists' },
        { key: 'team', operator: 'NotIn', values: ['x'] },
      ],
    }),
    'app=web,tier=front,env in (prod,staging),!canary,zone,team notin (x)',
  );
  assert.equal(labelSelectorOf(undefined), '');
});

test('the Prometheus queries name the pods exactly (dots escaped) and leave out pause and pod-level series', async () => {
  const { usageQueries } = await import('./workload-prometheus.api.ts');
  const { cpu, memory } = usageQueries('default', ['web-1.a', 'web-2']);
  const selector = 'namespace="default",pod=~"web-1\\.a|web-2",container!="",container!="POD"';
  assert.equal(cpu, `sum by (pod, container) (rate(container_cpu_usage_seconds_total{${selector}}[5m]))`);
  assert.equal(memory, `sum by (pod, container) (container_memory_working_set_bytes{${selector}})`);
});
