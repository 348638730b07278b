/**
 * ACK cluster diagnosis over the CS SDK: CreateClusterDiagnosis (a write: `callWrite`) and
 * GetClusterDiagnosisResult, whose `result` is a JSON string parsed here. How ACK lays out
 * that document is not documented, so `summariseFindings` reads it tolerantly: any array of
 * objects that carry a level/status is taken as the list of checks. No MCP here.
 */
import type { CsClient, CsModels } from '../../clients/cs-client.ts';
import { loadCsSdk } from '../../clients/cs-client.ts';
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
  level: 'normal' | 'warning' | 'error' | 'unknown';
  message: string;
  suggestion: string;
}

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
  summary: { total: number; normal: number; warning: number; error: number; unknown: number };
  findings: Finding[];
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

export function summariseFindings(document: unknown): { summary: DiagnosisResult['summary']; findings: Finding[] } {
  const findings = findChecks(document).map((item) => ({
    name: text(item.name ?? item.item ?? item.key ?? item.desc),
    level: normaliseLevel(item.level ?? item.status ?? item.result),
    message: text(item.message ?? item.msg ?? item.desc ?? item.detail),
    suggestion: text(item.suggestion ?? item.advice ?? item.solution),
  }));
  const count = (level: Finding['level']) => findings.filter((finding) => finding.level === level).length;
  return {
    summary: { total: findings.length, normal: count('normal'), warning: count('warning'), error: count('error'), unknown: count('unknown') },
    findings,
  };
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
    ...summariseFindings(result),
  };
}
