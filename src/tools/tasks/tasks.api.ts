/** DescribeTaskInfo over the CS SDK, normalised to snake_case; no MCP here. */
import type { CsClient } from '../../clients/cs-client.ts';
import { requireAnswerField } from '../../errors/unreadable-answer.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';

export interface TaskStage {
  name: string;
  state: string;
  start_time: string;
  end_time: string;
  message: string;
}

export interface TaskEvent {
  time: string;
  level: string;
  reason: string;
  message: string;
}

export interface TaskInfo {
  task_id: string;
  cluster_id: string;
  task_type: string;
  state: string;
  current_stage: string;
  created: string;
  updated: string;
  target: { id: string; type: string };
  stages: TaskStage[];
  events: TaskEvent[];
  error?: { code: string; message: string };
  task_result: Array<{ data: string; status: string }>;
}

function eventTime(timestamp: string | undefined): string {
  const ms = Number(timestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : (timestamp ?? '');
}

/**
 * A stage's name. ACK documents a stage as `state`, `start_time`, `end_time`, `message` and an
 * open `outputs` object, with no name; the task's `current_stage` names the running one. So: the
 * current stage's name for the running stage, else the stage's message, else its position.
 */
function stageName(stage: { state?: string; message?: string }, index: number, currentStage: string | undefined): string {
  if (stage.state === 'running' && currentStage) return currentStage;
  return stage.message || `stage ${index + 1}`;
}

export async function describeTask(client: CsClient, retry: RetryPolicy, taskId: string, signal?: AbortSignal): Promise<TaskInfo> {
  const { body } = await callRead(
    retry,
    async () => {
      const response = await client.describeTaskInfo(taskId);
      requireAnswerField(response.body?.state, 'task state');
      return response;
    },
    signal,
  );
  return {
    task_id: body?.taskId ?? taskId,
    cluster_id: body?.clusterId ?? '',
    task_type: body?.taskType ?? '',
    state: body?.state ?? '',
    current_stage: body?.currentStage ?? '',
    created: body?.created ?? '',
    updated: body?.updated ?? '',
    target: { id: body?.target?.id ?? '', type: body?.target?.type ?? '' },
    stages: (body?.stages ?? []).map((stage, index) => ({
      name: stageName(stage, index, body?.currentStage),
      state: stage.state ?? '',
      start_time: stage.startTime ?? '',
      end_time: stage.endTime ?? '',
      message: stage.message ?? '',
    })),
    events: (body?.events ?? []).map((event) => ({
      time: eventTime(event.timestamp),
      level: event.level ?? '',
      reason: event.reason ?? '',
      message: event.message ?? '',
    })),
    ...(body?.error && (body.error.code || body.error.message)
      ? { error: { code: body.error.code ?? '', message: body.error.message ?? '' } }
      : {}),
    task_result: (body?.taskResult ?? []).map((item) => ({ data: item.data ?? '', status: item.status ?? '' })),
  };
}

/**
 * Final task states: the SDK documents `running`, `fail` and `success`; ACK's older API reference
 * says `failed`, and a cancelled task may say `canceled`/`cancelled`. Any other state (empty,
 * `pending`, `paused`…) is not taken as the end: a wait goes on until the time is up.
 */
const FINAL_STATES = new Set(['success', 'succeeded', 'fail', 'failed', 'canceled', 'cancelled']);
const FAILED_STATES = new Set(['fail', 'failed']);

export function taskFinished(task: TaskInfo): boolean {
  return FINAL_STATES.has(task.state.toLowerCase());
}

export function taskFailed(task: TaskInfo): boolean {
  return FAILED_STATES.has(task.state.toLowerCase());
}

/** True for a state that is neither `running` nor a known final state. */
export function taskStateUnknown(task: TaskInfo): boolean {
  return task.state.toLowerCase() !== 'running' && !taskFinished(task);
}
