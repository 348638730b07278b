/**
 * The Kubernetes Pod Security Standards **baseline** profile, checked on what a write request sets in a pod or pod
 * template (docs/kubectl-safety.md, rule 10). Pure, no I/O. The object may be whole (create, replace) or partial (a
 * strategic-merge or merge patch, one JSON-patch operation as a sparse object): every field present is checked, a
 * field absent is left as it is. Fail closed: a restricted field holding anything but an allowed value is refused, even
 * a value of the wrong type the API server would reject anyway (a string `"true"`, a number).
 *
 * Baseline's controls (kubernetes.io/docs/concepts/security/pod-security-standards, policy version "latest"):
 * HostProcess, host namespaces, privileged containers, capabilities beyond the default set, hostPath volumes, host
 * ports, AppArmor, SELinux, /proc mount type, seccomp and sysctls. Containers are checked in all three lists
 * (`containers`, `initContainers`, `ephemeralContainers`).
 */

/** Where a resource keeps its pod spec. */
export type PodShape = 'pod' | 'template' | 'cronjob' | 'podtemplate';

/** A field a request sets that baseline does not allow. */
export interface Violation {
  /** The field, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  path: string;
  /** The baseline control it breaks, e.g. `privileged containers`. */
  control: string;
  /** The value as the request sets it (cut short). */
  value: string;
}

type Fields = Record<string, unknown>;

const WORKLOADS: Record<string, Record<string, PodShape>> = {
  '': { pods: 'pod', podtemplates: 'podtemplate', replicationcontrollers: 'template' },
  apps: { deployments: 'template', daemonsets: 'template', statefulsets: 'template', replicasets: 'template' },
  extensions: { deployments: 'template', daemonsets: 'template', replicasets: 'template' },
  batch: { jobs: 'template', cronjobs: 'cronjob' },
};

/** Where the pod's `metadata` and `spec` sit in an object of each shape. */
const LOCATIONS: Record<PodShape, { meta: string[]; spec: string[] }> = {
  pod: { meta: ['metadata'], spec: ['spec'] },
  template: { meta: ['spec', 'template', 'metadata'], spec: ['spec', 'template', 'spec'] },
  cronjob: { meta: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'], spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
  podtemplate: { meta: ['template', 'metadata'], spec: ['template', 'spec'] },
};

/** The pod shape of an API resource (group lower-case, `''` for core), or undefined when it holds no pod spec. */
export function podShapeOf(group: string, resource: string): PodShape | undefined {
  return Object.hasOwn(WORKLOADS, group) && Object.hasOwn(WORKLOADS[group]!, resource) ? WORKLOADS[group]![resource] : undefined;
}

/** The path (object keys) of the pod spec in a resource of this shape, e.g. `['spec', 'template', 'spec']`. */
export function podSpecPath(shape: PodShape): readonly string[] {
  return LOCATIONS[shape].spec;
}

/** Capabilities baseline allows a container to add (the container runtimes' default set). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** The "safe" sysctls baseline allows (namespaced, isolated from other pods). */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const PROFILE_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown) => value === undefined || value === null;
const show = (value: unknown) => (JSON.stringify(value) ?? String(value)).slice(0, 80);

/** The entries of a list field; an object stands for a sparse list (a JSON-patch index path), anything else for none. */
function entries(value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.map((item, index) => [String(index), item]);
  return isFields(value) ? Object.entries(value) : [];
}

function at(object: unknown, path: readonly string[]): unknown {
  let current = object;
  for (const key of path) {
    if (!isFields(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

class Findings {
  readonly list: Violation[] = [];
  add(path: string, control: string, value: unknown): void {
    this.list.push({ path, control, value: show(value) });
  }
  /** Allowed: absent or false. */
  notTrue(fields: Fields, key: string, base: string, control: string): void {
    const value = fields[key];
    if (!absent(value) && value !== false) this.add(`${base}.${key}`, control, value);
  }
  /** Allowed: absent or one of `allowed`. */
  oneOf(fields: Fields, key: string, base: string, control: string, allowed: ReadonlySet<string>): void {
    const value = fields[key];
    if (!absent(value) && !(typeof value === 'string' && allowed.has(value))) this.add(`${base}.${key}`, control, value);
  }
}

function checkSecurityContext(context: unknown, base: string, out: Findings, container: boolean): void {
  if (!isFields(context)) return;
  const windows = context.windowsOptions;
  if (isFields(windows)) out.notTrue(windows, 'hostProcess', `${base}.windowsOptions`, 'Windows HostProcess');
  const selinux = context.seLinuxOptions;
  if (isFields(selinux)) {
    out.oneOf(selinux, 'type', `${base}.seLinuxOptions`, 'SELinux', SELINUX_TYPES);
    out.oneOf(selinux, 'user', `${base}.seLinuxOptions`, 'SELinux', new Set(['']));
    out.oneOf(selinux, 'role', `${base}.seLinuxOptions`, 'SELinux', new Set(['']));
  }
  for (const key of ['seccompProfile', 'appArmorProfile'] as const) {
    const profile = context[key];
    if (isFields(profile)) out.oneOf(profile, 'type', `${base}.${key}`, key === 'seccompProfile' ? 'seccomp' : 'AppArmor', PROFILE_TYPES);
  }
  if (container) {
    out.notTrue(context, 'privileged', base, 'privileged containers');
    out.oneOf(context, 'procMount', base, '/proc mount type', new Set(['Default']));
    const capabilities = context.capabilities;
    if (isFields(capabilities)) {
      for (const [index, name] of entries(capabilities.add)) {
        if (!(typeof name === 'string' && BASELINE_CAPABILITIES.has(name)))
          out.add(`${base}.capabilities.add[${index}]`, 'capabilities', name);
      }
    }
  } else {
    for (const [index, sysctl] of entries(context.sysctls)) {
      const name = isFields(sysctl) ? sysctl.name : sysctl;
      if (!absent(name) && !(typeof name === 'string' && SAFE_SYSCTLS.has(name)))
        out.add(`${base}.sysctls[${index}].name`, 'sysctls', name);
    }
  }
}

function checkContainer(container: unknown, base: string, out: Findings): void {
  if (!isFields(container)) return;
  checkSecurityContext(container.securityContext, `${base}.securityContext`, out, true);
  for (const [index, port] of entries(container.ports)) {
    if (!isFields(port)) continue;
    const hostPort = port.hostPort;
    if (!absent(hostPort) && hostPort !== 0) out.add(`${base}.ports[${index}].hostPort`, 'host ports', hostPort);
  }
}

function checkSpec(spec: unknown, base: string, out: Findings): void {
  if (!isFields(spec)) return;
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) out.notTrue(spec, key, base, 'host namespaces');
  checkSecurityContext(spec.securityContext, `${base}.securityContext`, out, false);
  for (const [index, volume] of entries(spec.volumes)) {
    if (isFields(volume) && !absent(volume.hostPath)) out.add(`${base}.volumes[${index}].hostPath`, 'hostPath volumes', volume.hostPath);
  }
  for (const list of CONTAINER_LISTS) {
    for (const [index, container] of entries(spec[list])) checkContainer(container, `${base}.${list}[${index}]`, out);
  }
}

/** AppArmor and seccomp annotations (the forms older clusters still honour). */
function checkAnnotations(meta: unknown, base: string, out: Findings): void {
  if (!isFields(meta) || !isFields(meta.annotations)) return;
  for (const [key, value] of Object.entries(meta.annotations)) {
    const path = `${base}.annotations[${JSON.stringify(key)}]`;
    if (key.startsWith('container.apparmor.security.beta.kubernetes.io/')) {
      if (!absent(value) && !(value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'))))
        out.add(path, 'AppArmor', value);
    } else if (key === 'seccomp.security.alpha.kubernetes.io/pod' || key.startsWith('container.seccomp.security.alpha.kubernetes.io/')) {
      if (typeof value === 'string' && value.toLowerCase() === 'unconfined') out.add(path, 'seccomp', value);
    }
  }
}

/**
 * What `object` (a whole or partial resource of `shape`) sets that baseline forbids.
 * @example baselineViolations({ spec: { hostNetwork: true } }, 'pod') // → [{ path: 'spec.hostNetwork', control: 'host namespaces', value: 'true' }]
 */
export function baselineViolations(object: unknown, shape: PodShape): Violation[] {
  const out = new Findings();
  const { meta, spec } = LOCATIONS[shape];
  checkAnnotations(at(object, meta), meta.join('.'), out);
  checkSpec(at(object, spec), spec.join('.'), out);
  return out.list;
}
