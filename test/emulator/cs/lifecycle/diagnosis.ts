/**
 * ACK cluster diagnosis:
 * - CreateClusterDiagnosis (POST /clusters/{id}/diagnosis, body `type`, `target`) answers
 *   `{cluster_id, diagnosis_id, request_id}`;
 * - GetClusterDiagnosisResult (GET /clusters/{id}/diagnosis/{diagnosis_id}/result) answers
 *   `status` 0 created → 1 running → 2 completed (one diagnosis stage each), `code` 0 ok / 1
 *   failed, and `result`, a JSON *string* with the checks that ran.
 * Findings are derived from the world (a node that is not Ready is an error, an unknown node
 * makes the diagnosis fail), so tests can see real differences.
 */
import { EmulatorError } from '../../http-util.ts';
import type { ClusterRecord } from '../../world.ts';
import type { CsRoute } from '../routes.ts';
import { invalid, ownCluster } from './lookup.ts';
import { diagnosisStageMs, isoTime, lifecycleOf, newDiagnosisId, runSteps, type DiagnosisRecord } from './store.ts';

/** The diagnosis types ACK documents, with the target fields each needs. */
export const DIAGNOSIS_TARGETS: Record<string, string[]> = {
  node: ['name'],
  pod: ['namespace', 'name'],
  network: ['src', 'dst', 'dport'],
  ingress: ['url'],
  memory: ['node'],
  service: ['namespace', 'name'],
};

interface Check {
  name: string;
  category: string;
  level: 'normal' | 'warning' | 'error';
  message: string;
  suggestion?: string;
}

function nodeChecks(cluster: ClusterRecord, nodeName: string): Check[] | string {
  const node = cluster.nodes.find((candidate) => candidate.node_name === nodeName);
  if (!node) return `node ${nodeName} not found in cluster ${cluster.cluster_id}`;
  const ready = node.node_status === 'Ready' && node.state === 'running';
  return [
    {
      name: 'NodeReady',
      category: 'node',
      level: ready ? 'normal' : 'error',
      message: ready ? `node ${nodeName} is Ready` : `node ${nodeName} is ${node.node_status} (state ${node.state})`,
      ...(ready ? {} : { suggestion: 'Check kubelet and containerd on the node, or remove and replace the node.' }),
    },
    { name: 'KubeletStatus', category: 'node', level: 'normal', message: 'kubelet is active and reports to the API server' },
    {
      name: 'DiskPressure',
      category: 'node',
      level: 'warning',
      message: 'system disk usage is 83% (threshold 80%)',
      suggestion: 'Clean unused images with `crictl rmi --prune` or enlarge the system disk.',
    },
    { name: 'ContainerRuntime', category: 'node', level: 'normal', message: 'containerd 1.6.39 is running' },
  ];
}

function podChecks(target: Record<string, unknown>): Check[] {
  const where = `${String(target.namespace)}/${String(target.name)}`;
  return [
    { name: 'PodScheduled', category: 'pod', level: 'normal', message: `pod ${where} is scheduled` },
    { name: 'ImagePull', category: 'pod', level: 'normal', message: 'all container images were pulled' },
    {
      name: 'ContainerRestarts',
      category: 'pod',
      level: 'warning',
      message: 'container "app" restarted 4 times in the last hour (last reason: OOMKilled)',
      suggestion: 'Raise the container memory limit or reduce its memory use.',
    },
    { name: 'ReadinessProbe', category: 'pod', level: 'normal', message: 'readiness probe passes' },
  ];
}

function genericChecks(type: string, target: Record<string, unknown>): Check[] {
  return [
    { name: `${type}Reachability`, category: type, level: 'normal', message: `${type} target ${JSON.stringify(target)} answered` },
    { name: `${type}Configuration`, category: type, level: 'normal', message: 'no misconfiguration found' },
  ];
}

function complete(record: DiagnosisRecord, cluster: ClusterRecord): void {
  const checks =
    record.type === 'node'
      ? nodeChecks(cluster, String(record.target.name))
      : record.type === 'memory'
        ? nodeChecks(cluster, String(record.target.node))
        : record.type === 'pod'
          ? podChecks(record.target)
          : genericChecks(record.type, record.target);
  record.status = 2;
  record.finished = isoTime(Date.now());
  if (typeof checks === 'string') {
    record.code = 1;
    record.message = checks;
    record.result = JSON.stringify({ version: '20240101', phase: 5, error: checks });
    return;
  }
  const count = (level: Check['level']) => checks.filter((check) => check.level === level).length;
  record.code = 0;
  record.message = 'success';
  record.result = JSON.stringify({
    version: '20240101',
    phase: 5,
    type: record.type,
    target: record.target,
    summary: { total: checks.length, normal: count('normal'), warning: count('warning'), error: count('error') },
    checks,
  });
}

function validTarget(type: string, target: unknown): Record<string, unknown> {
  const fields = DIAGNOSIS_TARGETS[type];
  if (!fields) throw invalid(`type must be one of ${Object.keys(DIAGNOSIS_TARGETS).join(', ')}; got ${JSON.stringify(type)}.`);
  if (!target || typeof target !== 'object' || Array.isArray(target)) throw invalid('target must be an object.');
  const record = target as Record<string, unknown>;
  const missing = fields.filter((field) => record[field] === undefined || record[field] === '');
  if (missing.length > 0) throw invalid(`target for type ${type} needs ${missing.join(', ')}.`);
  return record;
}

const createClusterDiagnosis: CsRoute = {
  action: 'CreateClusterDiagnosis',
  method: 'POST',
  pattern: /^\/clusters\/(?<clusterId>[^/]+)\/diagnosis$/,
  ramAction: 'cs:CreateClusterDiagnosis',
  mutating: true,
  handle(request) {
    const cluster = ownCluster(request);
    const type = String(request.body.type ?? '');
    const target = validTarget(type, request.body.target);
    const now = Date.now();
    const record: DiagnosisRecord = {
      diagnosis_id: newDiagnosisId(),
      account_id: request.caller.account.accountId,
      cluster_id: cluster.cluster_id,
      type,
      target,
      status: 0,
      code: undefined,
      message: '',
      created: isoTime(now),
      finished: '',
      result: '',
    };
    const store = lifecycleOf(request.world);
    store.diagnoses.set(record.diagnosis_id, record);
    runSteps(store, diagnosisStageMs(request.env), [
      () => {
        record.status = 1;
        record.message = 'running';
      },
      () => complete(record, cluster),
    ]);
    return { cluster_id: cluster.cluster_id, diagnosis_id: record.diagnosis_id };
  },
};

const getClusterDiagnosisResult: CsRoute = {
  action: 'GetClusterDiagnosisResult',
  method: 'GET',
  pattern: /^\/clusters\/(?<clusterId>[^/]+)\/diagnosis\/(?<diagnosisId>[^/]+)\/result$/,
  ramAction: 'cs:GetClusterDiagnosisResult',
  handle(request) {
    const cluster = ownCluster(request);
    const id = request.params.diagnosisId ?? '';
    const record = lifecycleOf(request.world).diagnoses.get(id);
    if (!record || record.cluster_id !== cluster.cluster_id || record.account_id !== request.caller.account.accountId) {
      throw new EmulatorError(404, 'ErrorDiagnosisNotFound', `The specified diagnosis ${id} does not exist.`);
    }
    return {
      diagnosis_id: record.diagnosis_id,
      type: record.type,
      target: JSON.stringify(record.target),
      status: record.status,
      ...(record.code !== undefined ? { code: record.code } : {}),
      message: record.message,
      created: record.created,
      ...(record.finished ? { finished: record.finished } : {}),
      result: record.result,
    };
  },
};

export const diagnosisRoutes: CsRoute[] = [createClusterDiagnosis, getClusterDiagnosisResult];
