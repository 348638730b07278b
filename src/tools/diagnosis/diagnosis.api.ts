/**
 * ACK cluster diagnosis over the CS SDK: CreateClusterDiagnosis (a write: `callWrite`),
 * GetClusterDiagnosisResult and GetClusterDiagnosisCheckItems. The findings come from the check
 * items, whose layout the SDK documents (`name`, `display`, `group`, `level`, `desc`, `message`,
 * `value`, `refer`). The result's own `result` document is a JSON string whose layout Alibaba does
 * not document (the SDK's example: `{"phase":5,"version":"20240101"}`): it is passed through as
 * it came, labelled so; only when the check items cannot be read is it searched tolerantly for a
 * list of checks (`summariseFindings`). No MCP here.
 */
import type { CsClient, CsModels } from '../../clients/cs-client.ts';
import { loadCsSdk } from '../../clients/cs-client.ts';
import { toToolFailure } from '../../errors/map-error.ts';
import { requireAnswerField } from '../../errors/unreadable-answer.ts';
import { callRead, callWrite, type RetryPolicy, type WriteDescription } from '../../upstream/call-upstream.ts';

async function models(): Promise<CsModels> {
  return (await loadCsSdk()).models;
}

export async function createDiagnosis(
  client: CsClient,
  retry: RetryPolicy,
  request: { clusterId: string; type: string; target: Record<string, string> },
  description: WriteDescription,
  signal?: AbortSignal,
): Promise<string> {
  const { CreateClusterDiagnosisRequest } = await models();
  const body = new CreateClusterDiagnosisRequest({ type: request.type, target: request.target });
  const response = await callWrite(
    retry,
    description,
    async () => {
      const answer = await client.createClusterDiagnosis(request.clusterId, body);
      requireAnswerField(answer.body?.diagnosisId, 'diagnosis_id');
      return answer;
    },
    signal,
  );
  return response.body?.diagnosisId ?? '';
}

export interface Finding {
  name: string;
  group: string;
  level: 'normal' | 'warning' | 'error' | 'unknown';
  message: string;
  /** What was checked, and the value found against the expected one, when ACK says. */
  detail: string;
}

/** Where the findings came from. */
export type FindingsSource = 'check_items' | 'result (undocumented layout, read tolerantly)' | 'none';

export interface DiagnosisResult {
  diagnosis_id: string;
  type: string;
  target: Record<string, unknown>;
  status: number;
  state: 'created' | 'running' | 'completed' | 'unknown';
  code?: number;
  succeeded?: boolean;
  message: string;
  created: string;
  finished: string;
  result: unknown;
  /** How to read `result`: its layout is not documented by Alibaba. */
  result_layout: string;
  summary: { total: number; normal: number; warning: number; error: number; unknown: number };
  findings: Finding[];
  findings_source: FindingsSource;
  /** Why the check items could not be read, when they could not. */
  check_items_error?: string;
}

const STATES = ['created', 'running', 'completed'] as const;

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function normaliseLevel(raw: unknown): Finding['level'] {
  const value = String(raw ?? '').toLowerCase();
  if (/^(normal|ok|pass(ed)?|success|healthy|info)$/.test(value)) return 'normal';
  if (/^(warn(ing)?|notice|risk)$/.test(value)) return 'warning';
  if (/^(error|fail(ed|ure)?|abnormal|critical|fatal|unhealthy)$/.test(value)) return 'error';
  return 'unknown';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

/** The first array (breadth-first, a few levels deep) whose items look like checks. */
function findChecks(document: unknown): Array<Record<string, unknown>> {
  const queue: Array<{ value: unknown; depth: number }> = [{ value: document, depth: 0 }];
  while (queue.length > 0) {
    const { value, depth } = queue.shift()!;
    if (Array.isArray(value)) {
      const items = value.filter((item): item is Record<string, unknown> => !!item && typeof item === 'object' && !Array.isArray(item));
      if (items.length > 0 && items.some((item) => 'level' in item || 'status' in item || 'result' in item)) return items;
    }
    if (value && typeof value === 'object' && depth < 3) {
      for (const child of Object.values(value)) queue.push({ value: child, depth: depth + 1 });
    }
  }
  return [];
}

function summary(findings: Finding[]): DiagnosisResult['summary'] {
  const count = (level: Finding['level']) => findings.filter((finding) => finding.level === level).length;
  return { total: findings.length, normal: count('normal'), warning: count('warning'), error: count('error'), unknown: count('unknown') };
}

/** Findings from a result document of unknown layout: any array of objects with a level/status. */
export function summariseFindings(document: unknown): { summary: DiagnosisResult['summary']; findings: Finding[] } {
  const findings = findChecks(document).map((item) => ({
    name: text(item.display ?? item.name ?? item.item ?? item.key ?? item.desc),
    group: text(item.group ?? item.category),
    level: normaliseLevel(item.level ?? item.status ?? item.result),
    message: text(item.message ?? item.msg ?? item.detail ?? item.desc),
    detail: text(item.suggestion ?? item.advice ?? item.solution ?? item.desc),
  }));
  return { summary: summary(findings), findings };
}

interface CheckItem {
  name?: string;
  display?: string;
  group?: string;
  level?: string;
  desc?: string;
  message?: string;
  value?: string;
  refer?: string;
}

/** Findings from GetClusterDiagnosisCheckItems' documented `check_items`. */
export function findingsOfCheckItems(items: CheckItem[]): Finding[] {
  return items.map((item) => {
    const measured = item.value || item.refer ? `value ${item.value || '?'}, expected ${item.refer || '?'}` : '';
    return {
      name: item.display || item.name || '',
      group: item.group ?? '',
      level: normaliseLevel(item.level),
      message: item.message ?? '',
      detail: [item.desc, measured].filter(Boolean).join('; '),
    };
  });
}

async function readCheckItems(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  diagnosisId: string,
  signal?: AbortSignal,
): Promise<CheckItem[]> {
  const { GetClusterDiagnosisCheckItemsRequest } = await models();
  const { body } = await callRead(
    retry,
    () => client.getClusterDiagnosisCheckItems(clusterId, diagnosisId, new GetClusterDiagnosisCheckItemsRequest({})),
    signal,
  );
  return body?.checkItems ?? [];
}

export async function getDiagnosisResult(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  diagnosisId: string,
  signal?: AbortSignal,
): Promise<DiagnosisResult> {
  const { GetClusterDiagnosisResultRequest } = await models();
  const { body } = await callRead(
    retry,
    async () => {
      const answer = await client.getClusterDiagnosisResult(clusterId, diagnosisId, new GetClusterDiagnosisResultRequest({}));
      requireAnswerField(answer.body?.status, 'status');
      return answer;
    },
    signal,
  );
  const status = body?.status ?? -1;
  const result = parseJson(body?.result);
  const target = parseJson(body?.target);
  let findings: Finding[] = [];
  let source: FindingsSource = 'none';
  let checkItemsError: string | undefined;
  if (status === 2) {
    try {
      findings = findingsOfCheckItems(await readCheckItems(client, retry, clusterId, diagnosisId, signal));
      if (findings.length > 0) source = 'check_items';
    } catch (error) {
      const failure = toToolFailure(error);
      checkItemsError = `${failure.code}: ${failure.message}`;
    }
    if (source === 'none') {
      findings = summariseFindings(result).findings;
      if (findings.length > 0) source = 'result (undocumented layout, read tolerantly)';
    }
  }
  return {
    diagnosis_id: body?.diagnosisId ?? diagnosisId,
    type: body?.type ?? '',
    target: target && typeof target === 'object' && !Array.isArray(target) ? (target as Record<string, unknown>) : { value: text(target) },
    status,
    state: STATES[status] ?? 'unknown',
    ...(status === 2 && body?.code !== undefined ? { code: body.code, succeeded: body.code === 0 } : {}),
    message: body?.message ?? '',
    created: body?.created ?? '',
    finished: body?.finished ?? '',
    result: result ?? null,
    result_layout: 'as ACK answered it (parsed when JSON); its layout is not documented by Alibaba',
    summary: summary(findings),
    findings,
    findings_source: source,
    ...(checkItemsError ? { check_items_error: checkItemsError } : {}),
  };
}
