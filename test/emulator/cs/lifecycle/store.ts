/**
 * Where the emulated ACK keeps its asynchronous work: tasks (node pool scale-out and node
 * removal) and cluster diagnoses, per emulated world. Each record belongs to one account;
 * lookups from another account find nothing, as in ACK.
 *
 * Work advances on timers, one stage at a time. The stage duration comes from the emulator's
 * `env.taskStageMs` (default 1500 ms; tests pass a few ms) and `env.diagnosisStageMs`
 * (default: the task stage duration). Timers are unref'd: they never keep a process alive.
 * `lifecycleOf(world).held = true` pauses all work until it is set back to false;
 * `advanceHeld(store)` lets exactly one step of held work run and resolves when it has.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import type { CsEnvironment } from '../routes.ts';
import type { World } from '../../world.ts';

export interface TaskStage {
  name: string;
  state: 'pending' | 'running' | 'success' | 'fail';
  start_time: string;
  end_time: string;
  message: string;
}

export interface TaskEvent {
  action: string;
  level: 'Normal' | 'Warning';
  message: string;
  reason: string;
  source: 'ACK';
  timestamp: string;
}

export interface TaskRecord {
  task_id: string;
  account_id: string;
  cluster_id: string;
  /** The cluster's region: a regional endpoint answers only its own region's tasks. */
  region_id: string;
  nodepool_id: string;
  task_type: string;
  state: 'running' | 'success' | 'fail';
  created: string;
  updated: string;
  parameters: Record<string, unknown>;
  stages: TaskStage[];
  events: TaskEvent[];
  error?: { code: string; message: string };
  task_result: Array<{ data: string; status: string }>;
}

export interface DiagnosisRecord {
  diagnosis_id: string;
  account_id: string;
  cluster_id: string;
  type: string;
  target: Record<string, unknown>;
  status: 0 | 1 | 2;
  code: 0 | 1 | undefined;
  message: string;
  created: string;
  finished: string;
  result: string;
  /** The check items of a completed diagnosis (GetClusterDiagnosisCheckItems). */
  checks?: Array<Record<string, string>>;
}

export interface LifecycleStore {
  tasks: Map<string, TaskRecord>;
  diagnoses: Map<string, DiagnosisRecord>;
  /** node pool id → id of the task currently running on it. */
  busyPools: Map<string, string>;
  /** While true, no task or diagnosis advances (tests use it to observe work in progress deterministically). */
  held: boolean;
  /** Steps that may still run while held (`advanceHeld`). */
  allowance: number;
  /** Emits `step` after every step that ran. */
  steps: EventEmitter;
}

const stores = new WeakMap<World, LifecycleStore>();

export function lifecycleOf(world: World): LifecycleStore {
  let store = stores.get(world);
  if (!store) {
    store = { tasks: new Map(), diagnoses: new Map(), busyPools: new Map(), held: false, allowance: 0, steps: new EventEmitter() };
    stores.set(world, store);
  }
  return store;
}

const DEFAULT_STAGE_MS = 1500;

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function taskStageMs(env: CsEnvironment): number {
  return positive(env.taskStageMs) ?? DEFAULT_STAGE_MS;
}

export function diagnosisStageMs(env: CsEnvironment): number {
  return positive(env.diagnosisStageMs) ?? taskStageMs(env);
}

let taskCounter = 0;

/** A task id shaped like ACK's: `T-` and 24 hex digits (e.g. T-5faa48fb31b6b8078d000006). */
export function newTaskId(): string {
  taskCounter += 1;
  return `T-${randomBytes(9).toString('hex')}${taskCounter.toString(16).padStart(6, '0')}`;
}

export function newDiagnosisId(): string {
  return randomBytes(16).toString('hex');
}

/** ACK's timestamp style, e.g. 2020-11-10T16:02:04+08:00. */
export function isoTime(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

/** ACK's stage time style, e.g. 2022-12-15 23:00:00. */
export function stageTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Runs `steps` one after another, `stepMs` apart, on unref'd timers; a held store postpones the
 * next step (unless `advanceHeld` allowed one). A step that returns `'stop'` ends the work (a
 * failed task runs no further stage).
 */
export function runSteps(store: LifecycleStore, stepMs: number, steps: Array<() => unknown>): void {
  const [first, ...rest] = steps;
  if (!first) return;
  const timer = setTimeout(() => {
    if (store.held) {
      if (store.allowance <= 0) {
        runSteps(store, stepMs, steps);
        return;
      }
      store.allowance -= 1;
    }
    const outcome = first();
    store.steps.emit('step');
    if (outcome !== 'stop') runSteps(store, stepMs, rest);
  }, stepMs);
  timer.unref();
}

/** While the store is held, lets the next `count` steps of its work run; resolves when they have. */
export async function advanceHeld(store: LifecycleStore, count = 1): Promise<void> {
  const ran = (async () => {
    for (let i = 0; i < count; i += 1) await once(store.steps, 'step');
  })();
  store.allowance += count;
  await ran;
}
