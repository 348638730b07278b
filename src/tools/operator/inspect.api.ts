/**
 * ACK cluster inspection over the CS SDK: RunClusterInspect (starts an inspection: a write, `callWrite`),
 * ListClusterInspectReports and GetClusterInspectReportDetail. These operations use camelCase on the wire
 * (`reportId`, `checkItemResults`, `maxResults`), as the SDK's models map them. No MCP here.
 */
import { loadCsSdk, type CsClient } from '../../clients/cs-client.ts';
import { requireAnswerField } from '../../errors/unreadable-answer.ts';
import { callRead, callWrite, type RetryPolicy, type WriteDescription } from '../../upstream/call-upstream.ts';

export interface InspectSummary {
  code: string;
  normal: number;
  advice: number;
  warning: number;
  error: number;
}

export interface InspectReportHead {
  report_id: string;
  /** running or completed (the SDK documents these two). */
  status: string;
  start_time: string;
  end_time: string;
  summary: InspectSummary;
}

export interface InspectFinding {
  check_item: string;
  name: string;
  category: string;
  /** advice, warning (low risk), error (medium risk), critical (high risk). */
  level: string;
  /** true: the check found a problem; false: normal; disable: the check is off. */
  result: string;
  target_type: string;
  targets: string[];
  description: string;
  fix: string;
}

export interface InspectReport extends InspectReportHead {
  findings: InspectFinding[];
  /** More check items exist than were read (the read stops after `MAX_DETAIL_PAGES`). */
  more: boolean;
}

/** GetClusterInspectReportDetail answers at most 50 items a page; this many pages are read at most. */
export const MAX_DETAIL_PAGES = 10;

function summaryOf(
  summary: { code?: string; normalCount?: number; adviceCount?: number; warnCount?: number; errorCount?: number } | undefined,
): InspectSummary {
  return {
    code: summary?.code ?? '',
    normal: summary?.normalCount ?? 0,
    advice: summary?.adviceCount ?? 0,
    warning: summary?.warnCount ?? 0,
    error: summary?.errorCount ?? 0,
  };
}

export async function runClusterInspect(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  description: WriteDescription,
  signal?: AbortSignal,
): Promise<{ report_id: string; task_id: string }> {
  const { RunClusterInspectRequest } = (await loadCsSdk()).models;
  const { body } = await callWrite(
    retry,
    description,
    async () => {
      const answer = await client.runClusterInspect(clusterId, new RunClusterInspectRequest({}));
      requireAnswerField(answer.body?.reportId, 'reportId');
      return answer;
    },
    signal,
  );
  return { report_id: body?.reportId ?? '', task_id: body?.taskId ?? '' };
}

/** The newest reports first (ACK lists them newest first; the emulator does too). */
export async function listInspectReports(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  maxResults: number,
  signal?: AbortSignal,
): Promise<InspectReportHead[]> {
  const { ListClusterInspectReportsRequest } = (await loadCsSdk()).models;
  const { body } = await callRead(
    retry,
    () => client.listClusterInspectReports(clusterId, new ListClusterInspectReportsRequest({ maxResults })),
    signal,
  );
  return (body?.reports ?? []).map((report) => ({
    report_id: report.reportId ?? '',
    status: report.status ?? '',
    start_time: report.startTime ?? '',
    end_time: report.endTime ?? '',
    summary: summaryOf(report.summary),
  }));
}

export async function getInspectReport(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  reportId: string,
  options: { language: 'en_US' | 'zh_CN'; onlyExceptions: boolean },
  signal?: AbortSignal,
): Promise<InspectReport> {
  const { GetClusterInspectReportDetailRequest } = (await loadCsSdk()).models;
  const findings: InspectFinding[] = [];
  let head: InspectReportHead | undefined;
  let token: string | undefined;
  for (let page = 0; page < MAX_DETAIL_PAGES; page += 1) {
    const request = new GetClusterInspectReportDetailRequest({
      language: options.language,
      enableFilter: options.onlyExceptions,
      maxResults: 50,
      ...(token ? { nextToken: token } : {}),
    });
    const { body } = await callRead(
      retry,
      async () => {
        const answer = await client.getClusterInspectReportDetail(clusterId, reportId, request);
        requireAnswerField(answer.body?.status, 'report status');
        return answer;
      },
      signal,
    );
    head ??= {
      report_id: body?.reportId ?? reportId,
      status: body?.status ?? '',
      start_time: body?.startTime ?? '',
      end_time: body?.endTime ?? '',
      summary: summaryOf(body?.summary),
    };
    for (const item of body?.checkItemResults ?? []) {
      findings.push({
        check_item: item.checkItemUid ?? '',
        name: item.name ?? '',
        category: item.category ?? '',
        level: item.level ?? '',
        result: item.result ?? '',
        target_type: item.targetType ?? '',
        targets: item.targets ?? [],
        description: item.description ?? '',
        fix: item.fix ?? '',
      });
    }
    token = body?.nextToken || undefined;
    if (!token) return { ...head, findings, more: false };
  }
  return { ...head!, findings, more: true };
}

const LEVEL_ORDER: Record<string, number> = { critical: 0, error: 1, warning: 2, advice: 3 };

/** Exceptions first (result true), most severe first; then normal items, then disabled ones. */
export function orderFindings(findings: InspectFinding[]): InspectFinding[] {
  const rank = (finding: InspectFinding) => (finding.result === 'true' ? 0 : finding.result === 'false' ? 1 : 2);
  return [...findings].sort((a, b) => rank(a) - rank(b) || (LEVEL_ORDER[a.level] ?? 4) - (LEVEL_ORDER[b.level] ?? 4));
}
