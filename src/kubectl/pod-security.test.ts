/**
 * The baseline profile as a table: every control refuses what it forbids, in every container list and every pod
 * shape, and allows what baseline allows (an ordinary pod, the default capabilities, the safe sysctls).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { baselineViolations, podShapeOf, type PodShape } from './pod-security.ts';

/** [what, pod spec (as the pod's `spec`), the refused field paths under `spec`] */
const FORBIDDEN: Array<[string, Record<string, unknown>, string[]]> = [
  [
    'privileged container',
    { containers: [{ name: 'a', securityContext: { privileged: true } }] },
    ['containers[0].securityContext.privileged'],
  ],
  [
    'privileged init container',
    { initContainers: [{ name: 'i', securityContext: { privileged: true } }] },
    ['initContainers[0].securityContext.privileged'],
  ],
  [
    'privileged ephemeral container',
    { ephemeralContainers: [{ name: 'e', securityContext: { privileged: true } }] },
    ['ephemeralContainers[0].securityContext.privileged'],
  ],
  ['privileged as a string', { containers: [{ securityContext: { privileged: 'true' } }] }, ['containers[0].securityContext.privileged']],
  ['hostPID', { hostPID: true }, ['hostPID']],
  ['hostIPC', { hostIPC: true }, ['hostIPC']],
  ['hostNetwork', { hostNetwork: true }, ['hostNetwork']],
  [
    'hostPath volume',
    {
      volumes: [
        { name: 'ok', emptyDir: {} },
        { name: 'root', hostPath: { path: '/' } },
      ],
    },
    ['volumes[1].hostPath'],
  ],
  [
    'hostPort',
    { containers: [{ ports: [{ containerPort: 80 }, { containerPort: 22, hostPort: 22 }] }] },
    ['containers[0].ports[1].hostPort'],
  ],
  [
    'SYS_ADMIN',
    { containers: [{ securityContext: { capabilities: { add: ['CHOWN', 'SYS_ADMIN'] } } }] },
    ['containers[0].securityContext.capabilities.add[1]'],
  ],
  [
    'ALL capabilities',
    { initContainers: [{ securityContext: { capabilities: { add: ['ALL'] } } }] },
    ['initContainers[0].securityContext.capabilities.add[0]'],
  ],
  [
    'CAP_-prefixed name',
    { containers: [{ securityContext: { capabilities: { add: ['CAP_NET_RAW'] } } }] },
    ['containers[0].securityContext.capabilities.add[0]'],
  ],
  ['procMount Unmasked', { containers: [{ securityContext: { procMount: 'Unmasked' } }] }, ['containers[0].securityContext.procMount']],
  ['seccomp Unconfined (pod)', { securityContext: { seccompProfile: { type: 'Unconfined' } } }, ['securityContext.seccompProfile.type']],
  [
    'seccomp Unconfined (container)',
    { containers: [{ securityContext: { seccompProfile: { type: 'Unconfined' } } }] },
    ['containers[0].securityContext.seccompProfile.type'],
  ],
  ['AppArmor Unconfined', { securityContext: { appArmorProfile: { type: 'Unconfined' } } }, ['securityContext.appArmorProfile.type']],
  ['SELinux type spc_t', { securityContext: { seLinuxOptions: { type: 'spc_t' } } }, ['securityContext.seLinuxOptions.type']],
  [
    'SELinux user and role',
    { containers: [{ securityContext: { seLinuxOptions: { user: 'system_u', role: 'system_r' } } }] },
    ['containers[0].securityContext.seLinuxOptions.user', 'containers[0].securityContext.seLinuxOptions.role'],
  ],
  [
    'unsafe sysctl',
    {
      securityContext: {
        sysctls: [
          { name: 'net.ipv4.tcp_syncookies', value: '1' },
          { name: 'kernel.core_pattern', value: '|/x' },
        ],
      },
    },
    ['securityContext.sysctls[1].name'],
  ],
  [
    'Windows hostProcess (pod)',
    { securityContext: { windowsOptions: { hostProcess: true } } },
    ['securityContext.windowsOptions.hostProcess'],
  ],
  [
    'Windows hostProcess (container)',
    { containers: [{ securityContext: { windowsOptions: { hostProcess: true } } }] },
    ['containers[0].securityContext.windowsOptions.hostProcess'],
  ],
  [
    'a sparse list (a JSON-patch index)',
    { containers: { 3: { securityContext: { privileged: true } } } },
    ['containers[3].securityContext.privileged'],
  ],
];

const ALLOWED: Array<[string, Record<string, unknown>]> = [
  [
    'an ordinary pod',
    {
      containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], securityContext: { runAsNonRoot: true } }],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  ],
  [
    'explicit false and zero',
    {
      hostNetwork: false,
      hostPID: false,
      hostIPC: false,
      containers: [{ ports: [{ containerPort: 80, hostPort: 0 }], securityContext: { privileged: false, procMount: 'Default' } }],
    },
  ],
  [
    'baseline capabilities',
    { containers: [{ securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN', 'SETUID'], drop: ['ALL'] } } }] },
  ],
  [
    'RuntimeDefault and Localhost profiles',
    { securityContext: { seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'Localhost', localhostProfile: 'x' } } },
  ],
  [
    'container_t SELinux type, safe sysctls',
    {
      securityContext: {
        seLinuxOptions: { type: 'container_t', level: 's0:c1' },
        sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }],
      },
    },
  ],
  ['nulls (a merge patch removing fields)', { hostNetwork: null, containers: [{ securityContext: { privileged: null } }], volumes: null }],
];

/** The object of each shape that holds `spec` (and `annotations` on the pod's metadata). */
function wrap(shape: PodShape, spec: unknown, annotations?: Record<string, string>): unknown {
  const pod = { metadata: annotations ? { annotations } : {}, spec };
  if (shape === 'pod') return pod;
  if (shape === 'podtemplate') return { template: pod };
  if (shape === 'cronjob') return { spec: { jobTemplate: { spec: { template: pod } } } };
  return { spec: { template: pod } };
}
const PREFIX: Record<PodShape, string> = {
  pod: 'spec',
  template: 'spec.template.spec',
  cronjob: 'spec.jobTemplate.spec.template.spec',
  podtemplate: 'template.spec',
};
const SHAPES: PodShape[] = ['pod', 'template', 'cronjob', 'podtemplate'];

describe('pod security: the baseline profile', () => {
  for (const shape of SHAPES) {
    for (const [what, spec, paths] of FORBIDDEN) {
      test(`${shape}: ${what} is refused, naming the field`, () => {
        assert.deepEqual(
          baselineViolations(wrap(shape, spec), shape).map((v) => v.path),
          paths.map((path) => `${PREFIX[shape]}.${path}`),
        );
      });
    }
    for (const [what, spec] of ALLOWED) {
      test(`${shape}: ${what} is allowed`, () => assert.deepEqual(baselineViolations(wrap(shape, spec), shape), []));
    }
  }

  test('AppArmor and seccomp annotations: unconfined refused, runtime/default and localhost allowed', () => {
    const refused = baselineViolations(
      wrap(
        'template',
        {},
        {
          'container.apparmor.security.beta.kubernetes.io/web': 'unconfined',
          'container.apparmor.security.beta.kubernetes.io/ok': 'runtime/default',
          'container.apparmor.security.beta.kubernetes.io/local': 'localhost/profile',
          'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
          'example.com/other': 'unconfined',
        },
      ),
      'template',
    );
    assert.deepEqual(
      refused.map((v) => [v.path, v.control]),
      [
        ['spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/web"]', 'AppArmor'],
        ['spec.template.metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]', 'seccomp'],
      ],
    );
  });

  test("a field outside the pod spec of the shape is not the pod (a Deployment's own spec.hostNetwork means nothing)", () => {
    assert.deepEqual(baselineViolations({ spec: { hostNetwork: true } }, 'template'), []);
    assert.deepEqual(baselineViolations('not an object', 'pod'), []);
  });

  test('the resources that hold pod specs, by group', () => {
    assert.deepEqual(
      [
        ['', 'pods'],
        ['', 'podtemplates'],
        ['', 'replicationcontrollers'],
        ['apps', 'deployments'],
        ['apps', 'daemonsets'],
        ['apps', 'statefulsets'],
        ['apps', 'replicasets'],
        ['extensions', 'deployments'],
        ['batch', 'jobs'],
        ['batch', 'cronjobs'],
        ['', 'configmaps'],
        ['apps', 'controllerrevisions'],
        ['example.com', 'deployments'],
        ['', 'constructor'],
      ].map(([g, r]) => podShapeOf(g!, r!)),
      [
        'pod',
        'podtemplate',
        'template',
        'template',
        'template',
        'template',
        'template',
        'template',
        'template',
        'cronjob',
        undefined,
        undefined,
        undefined,
        undefined,
      ],
    );
  });
});
