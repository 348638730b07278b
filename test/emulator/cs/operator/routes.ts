/**
 * ACK operations the operator tools read, with the SDK's (`@alicloud/cs20151215`) paths, parameters and field names:
 * - DescribeClusterTasks (GET /clusters/{id}/tasks, `page_size`, `page_number`): `tasks[]` (`task_id`, `task_type`,
 *   `state`, `created`, `updated`, `error{code,message}`), `page_info`; the seeded history plus the node pool tasks
 *   this cluster ran (scale-out, node removal), newest first;
 * - DescribeClusterEvents (GET /clusters/{id}/events, `page_size` 1-100 default 50, `page_number`, `task_id`):
 *   `events[]` (`event_id`, `type`, `source`, `subject`, `time`, `cluster_id`, `data{level,reason,message}`), `page_info`;
 * - RunClusterInspect (POST /clusters/{id}/inspectReports, body `clientToken`), ListClusterInspectReports (GET …,
 *   `maxResults` ≤50, `nextToken`), GetClusterInspectReportDetail (GET …/inspectReports/{reportId}, `language`,
 *   `category`, `targetType`, `level`, `enableFilter`, `maxResults` ≤50, `nextToken`): camelCase on the wire, as the SDK
 *   maps them. A new report is `running` for one diagnosis stage, then `completed`;
 * (ListClusterAddonInstances and ListAddons, which list_cluster_addons reads, are in `../addons.ts`.)
 * Unconfirmed (docs/alibaba-cloud-fidelity.md): the tasks' order and page bounds, the code for an unknown report, how
 * the summary counts `critical` items, what `enableFilter` keeps.
 */
import { EmulatorError } from '../../http-util.ts';
import { diagnosisStageMs, isoTime, lifecycleOf, newTaskId, runSteps } from '../lifecycle/store.ts';
import { invalid, ownCluster } from '../lifecycle/lookup.ts';
import type { CsRequest, CsRoute } from '../routes.ts';
import { checkItemsFor, newReportId, operatorRecordsOf, type CheckItemResult, type InspectReportRecord } from './records.ts';

function recordsOf(request: CsRequest) {
  const cluster = ownCluster(request);
  return { cluster, records: operatorRecordsOf(cluster, request.caller.account.clusters, request.now) };
}

function integer(query: URLSearchParams, key: string, min: number, max: number, fallback: number): number {
  const raw = query.get(key);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(`${key} must be an integer from ${min} to ${max}.`);
  return value;
}

/** An opaque `nextToken`: the offset of the next item, base64. */
function offsetOf(token: string | null): number {
  if (!token) return 0;
  const offset = Number(Buffer.from(token, 'base64').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw invalid('The nextToken is invalid.');
  return offset;
}

function nextToken(offset: number, size: number, total: number): string {
  return offset + size < total ? Buffer.from(String(offset + size)).toString('base64') : '';
}

function summaryOf(report: InspectReportRecord) {
  const abnormal = report.items.filter((item) => item.result === 'true');
  const count = (...levels: string[]) => abnormal.filter((item) => levels.includes(item.level)).length;
  const errorCount = count('error', 'critical');
  const warnCount = count('warning');
  return {
    code: report.status !== 'completed' ? '' : errorCount > 0 ? 'error' : warnCount > 0 ? 'warning' : 'normal',
    normalCount: report.items.filter((item) => item.result === 'false').length,
    adviceCount: count('advice'),
    warnCount,
    errorCount,
  };
}

function findReport(request: CsRequest): InspectReportRecord {
  const { records } = recordsOf(request);
  const id = request.params.reportId ?? '';
  const report = records.reports.find((candidate) => candidate.reportId === id);
  if (!report) throw new EmulatorError(404, 'ErrorReportNotFound', `The inspect report ${id} does not exist.`);
  return report;
}

function itemMatches(item: CheckItemResult, query: URLSearchParams): boolean {
  const wanted = (key: string) => query.get(key) || undefined;
  return (
    (!wanted('category') || item.category === wanted('category')) &&
    (!wanted('targetType') || item.targetType === wanted('targetType')) &&
    (!wanted('level') || item.level === wanted('level')) &&
    (query.get('enableFilter') !== 'true' || item.result === 'true')
  );
}

export const operatorRoutes: CsRoute[] = [
  {
    action: 'DescribeClusterTasks',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/tasks$/,
    ramAction: 'cs:DescribeClusterTasks',
    handle(request) {
      const { cluster, records } = recordsOf(request);
      const size = integer(request.query, 'page_size', 1, 100, 10);
      const number = integer(request.query, 'page_number', 1, 10_000, 1);
      const lifecycle = [...lifecycleOf(request.world).tasks.values()]
        .filter((task) => task.cluster_id === cluster.cluster_id)
        .map((task) => ({
          task_id: task.task_id,
          task_type: task.task_type,
          state: task.state,
          created: task.created,
          updated: task.updated,
          ...(task.error ? { error: task.error } : {}),
        }));
      const all = [...records.tasks, ...lifecycle].sort((a, b) => b.created.localeCompare(a.created));
      return {
        requestId: request.requestId,
        tasks: all.slice((number - 1) * size, number * size),
        page_info: { page_number: number, page_size: size, total_count: all.length },
      };
    },
  },
  {
    action: 'DescribeClusterEvents',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/events$/,
    ramAction: 'cs:DescribeClusterEvents',
    handle(request) {
      const { cluster, records } = recordsOf(request);
      const size = integer(request.query, 'page_size', 1, 100, 50);
      const number = integer(request.query, 'page_number', 1, 10_000, 1);
      const all = [...records.events].sort((a, b) => b.time.localeCompare(a.time));
      return {
        events: all.slice((number - 1) * size, number * size).map((event) => ({ ...event, cluster_id: cluster.cluster_id })),
        page_info: { page_number: number, page_size: size, total_count: all.length },
      };
    },
  },
  {
    action: 'RunClusterInspect',
    method: 'POST',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/inspectReports$/,
    ramAction: 'cs:RunClusterInspect',
    mutating: true,
    handle(request) {
      const { cluster, records } = recordsOf(request);
      const report: InspectReportRecord = {
        reportId: newReportId(cluster.cluster_id),
        taskId: newTaskId(),
        startTime: isoTime(Date.now()),
        endTime: '',
        status: 'running',
        items: [],
      };
      records.reports.unshift(report);
      runSteps(lifecycleOf(request.world), diagnosisStageMs(request.env), [
        () => {
          report.items = checkItemsFor(cluster);
          report.status = 'completed';
          report.endTime = isoTime(Date.now());
        },
      ]);
      return { requestId: request.requestId, reportId: report.reportId, taskId: report.taskId };
    },
  },
  {
    action: 'ListClusterInspectReports',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/inspectReports$/,
    ramAction: 'cs:ListClusterInspectReports',
    handle(request) {
      const { records } = recordsOf(request);
      const size = integer(request.query, 'maxResults', 1, 50, 20);
      const offset = offsetOf(request.query.get('nextToken'));
      return {
        requestId: request.requestId,
        reports: records.reports.slice(offset, offset + size).map((report) => ({
          reportId: report.reportId,
          startTime: report.startTime,
          endTime: report.endTime,
          status: report.status,
          summary: summaryOf(report),
        })),
        nextToken: nextToken(offset, size, records.reports.length),
      };
    },
  },
  {
    action: 'GetClusterInspectReportDetail',
    method: 'GET',
    pattern: /^\/clusters\/(?<clusterId>[^/]+)\/inspectReports\/(?<reportId>[^/]+)$/,
    ramAction: 'cs:GetClusterInspectReportDetail',
    handle(request) {
      const report = findReport(request);
      const size = integer(request.query, 'maxResults', 1, 50, 20);
      const offset = offsetOf(request.query.get('nextToken'));
      const items = report.items.filter((item) => itemMatches(item, request.query));
      return {
        requestId: request.requestId,
        reportId: report.reportId,
        startTime: report.startTime,
        endTime: report.endTime,
        status: report.status,
        summary: summaryOf(report),
        checkItemResults: items.slice(offset, offset + size),
        nextToken: nextToken(offset, size, items.length),
      };
    },
  },
];
