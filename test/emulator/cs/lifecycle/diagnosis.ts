/**
 * ACK cluster diagnosis:
 * - CreateClusterDiagnosis (POST /clusters/{id}/diagnosis, body `type`, `target`) answers
 *   `{cluster_id, diagnosis_id, request_id}`. Targets as the SDK documents them; a network target
 *   is `{src, dst, dport, protocol?}` with `dport` a string (`"80"`) and `protocol` `tcp`/`udp`
 *   (SDK example; the official ack-mcp-server's tool description);
 * - GetClusterDiagnosisResult (GET …/diagnosis/{diagnosis_id}/result) answers `status` 0 created →
 *   1 running → 2 completed (one diagnosis stage each), `code` 0 ok / 1 failed, times as the SDK's
 *   example (`2024-05-28T11:29Z`) and `result`, a JSON *string*. Its layout is NOT documented (the SDK's
 *   only example is `{"phase":5,"version":"20240101"}`): the emulator answers that example's keys
 *   plus an undocumented `items` member, so a client can rely on neither;
 * - GetClusterDiagnosisCheckItems (GET …/diagnosis/{diagnosis_id}/check_items) answers the
 *   documented `check_items[]` (`name`, `display`, `group`, `level` normal/warning/error, `desc`,
 *   `message`, `value`, `refer`), `code`, `is_success`.
 * Findings are derived from the world (a node that is not Ready is an error, an unknown node
 * makes the diagnosis fail), so tests can see real differences.
 */
import { EmulatorError } from '../../http-util.ts';
import type { ClusterRecord } from '../../world.ts';
import type { CsRoute } from '../routes.ts';
import { invalid, ownCluster } from './lookup.ts';
import { diagnosisStageMs, lifecycleOf, newDiagnosisId, runSteps, type DiagnosisRecord } from './store.ts';

/** The diagnosis types ACK documents, with the target fields each needs. */
export const DIAGNOSIS_TARGETS: Record<string, string[]> = {
  node: ['name'],
  pod: ['namespace', 'name'],
  network: ['src', 'dst', 'dport'],
  ingress: ['url'],
  memory: ['node'],
  service: ['namespace', 'name'],
};

/** A check item as GetClusterDiagnosisCheckItems documents it. */
interface Check {
  name: string;
  display: string;
  group: string;
  level: 'normal' | 'warning' | 'error';
  desc: string;
  message: string;
  value: string;
  refer: string;
}

function check(group: string, name: string, level: Check['level'], desc: string, message: string, value = '', refer = ''): Check {
  return { name, display: name, group, level, desc, message, value, refer };
}

function nodeChecks(cluster: ClusterRecord, nodeName: string): Check[] | string {
  const node = cluster.nodes.find((candidate) => candidate.node_name === nodeName);
  if (!node) return `node ${nodeName} not found in cluster ${cluster.cluster_id}`;
  const ready = node.node_status === 'Ready' && node.state === 'running';
  return [
    check(
      'Node',
      'NodeReady',
      ready ? 'normal' : 'error',
      'Check whether the node is Ready',
      ready ? 'success' : `node is ${node.node_status} (state ${node.state})`,
      String(ready),
      'True',
    ),
    check('Node', 'KubeletStatus', 'normal', 'Check whether kubelet is active', 'success', 'active', 'active'),
    check('Node', 'DiskPressure', 'warning', 'Check the usage of the system disk', 'system disk usage is 83% (threshold 80%)', '83', '80'),
    check('Node', 'HostDNS', 'normal', 'Check whether the node can access host dns service', 'success', 'True', 'True'),
  ];
}

function podChecks(): Check[] {
  return [
    check('Pod', 'PodScheduled', 'normal', 'Check whether the pod is scheduled', 'success', 'True', 'True'),
    check('Pod', 'ImagePull', 'normal', 'Check whether the images were pulled', 'success', 'True', 'True'),
    check(
      'Pod',
      'ContainerRestarts',
      'warning',
      'Check container restarts in the last hour',
      'container "app" restarted 4 times (last reason: OOMKilled)',
      '4',
      '0',
    ),
    check('Pod', 'ReadinessProbe', 'normal', 'Check the readiness probe', 'success', 'True', 'True'),
  ];
}

function genericChecks(type: string, target: Record<string, unknown>): Check[] {
  const group = type.charAt(0).toUpperCase() + type.slice(1);
  return [
    check(
      group,
      `${group}Reachability`,
      'normal',
      `Check whether the ${type} target answers`,
      `target ${JSON.stringify(target)} answered`,
      'True',
      'True',
    ),
    check(group, `${group}Configuration`, 'normal', `Check the ${type} configuration`, 'success', 'True', 'True'),
  ];
}

/** ACK's diagnosis time style, as the SDK's example: `2024-05-28T11:29Z`. */
function diagnosisTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

function complete(record: DiagnosisRecord, cluster: ClusterRecord): void {
  const checks =
    record.type === 'node'
      ? nodeChecks(cluster, String(record.target.name))
      : record.type === 'memory'
        ? nodeChecks(cluster, String(record.target.node))
        : record.type === 'pod'
          ? podChecks()
          : genericChecks(record.type, record.target);
  record.status = 2;
  record.finished = diagnosisTime(Date.now());
  if (typeof checks === 'string') {
    record.code = 1;
    record.message = checks;
    record.result = JSON.stringify({ phase: 5, version: '20240101', error: checks });
    return;
  }
  record.code = 0;
  record.message = 'success';
  record.checks = checks.map((item) => ({ ...item }));
  record.result = JSON.stringify({
    phase: 5,
    version: '20240101',
    items: checks.map((item) => ({ key: item.name, status: item.level, detail: item.message })),
  });
}

function validTarget(type: string, target: unknown): Record<string, unknown> {
  const fields = DIAGNOSIS_TARGETS[type];
  if (!fields) throw invalid(`type must be one of ${Object.keys(DIAGNOSIS_TARGETS).join(', ')}; got ${JSON.stringify(type)}.`);
  if (!target || typeof target !== 'object' || Array.isArray(target)) throw invalid('target must be an object.');
  const record = target as Record<string, unknown>;
  const missing = fields.filter((field) => record[field] === undefined || record[field] === '');
  if (missing.length > 0) throw invalid(`target for type ${type} needs ${missing.join(', ')}.`);
  if (type === 'network') {
    if (typeof record.dport !== 'string' || !/^\d{1,5}$/.test(record.dport))
      throw invalid('target.dport must be a port number as a string, such as "80".');
    if (record.protocol !== undefined && record.protocol !== 'tcp' && record.protocol !== 'udp')
      throw invalid('target.protocol must be tcp or udp.');
  }
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
      created: diagnosisTime(now),
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

function ownDiagnosis(request: Parameters<CsRoute['handle']>[0]): DiagnosisRecord {
  const cluster = ownCluster(request);
  const id = request.params.diagnosisId ?? '';
  const record = lifecycleOf(request.world).diagnoses.get(id);
  if (!record || record.cluster_id !== cluster.cluster_id || record.account_id !== request.caller.account.accountId) {
    throw new EmulatorError(404, 'ErrorDiagnosisNotFound', `The specified diagnosis ${id} does not exist.`);
  }
  return record;
}

const getClusterDiagnosisResult: CsRoute = {
  action: 'GetClusterDiagnosisResult',
  method: 'GET',
  pattern: /^\/clusters\/(?<clusterId>[^/]+)\/diagnosis\/(?<diagnosisId>[^/]+)\/result$/,
  ramAction: 'cs:GetClusterDiagnosisResult',
  handle(request) {
    const record = ownDiagnosis(request);
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

const getClusterDiagnosisCheckItems: CsRoute = {
  action: 'GetClusterDiagnosisCheckItems',
  method: 'GET',
  pattern: /^\/clusters\/(?<clusterId>[^/]+)\/diagnosis\/(?<diagnosisId>[^/]+)\/check_items$/,
  ramAction: 'cs:GetClusterDiagnosisCheckItems',
  handle(request) {
    const record = ownDiagnosis(request);
    return { code: 'success', is_success: true, check_items: record.checks ?? [] };
  },
};

export const diagnosisRoutes: CsRoute[] = [createClusterDiagnosis, getClusterDiagnosisResult, getClusterDiagnosisCheckItems];
