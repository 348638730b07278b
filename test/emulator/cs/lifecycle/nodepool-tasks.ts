/**
 * ACK node pool operations that start tasks, and the task they start:
 * - ScaleClusterNodePool (POST /clusters/{id}/nodepools/{np}, body `count`): ADDS `count` nodes.
 *   Stages CreateInstances → JoinNodes → WaitNodesReady; new nodes appear in state `initial`
 *   after the first stage and become `running`/Ready at the end.
 * - RemoveNodePoolNodes (DELETE …/nodes, query `instance_ids` JSON array, `drain_node`,
 *   `release_node`, `concurrency`): nodes go to `removing` at once; stages DrainNodes (when
 *   draining) → RemoveNodes (nodes leave the cluster, desired size shrinks) → ReleaseInstances
 *   (when releasing; prepaid instances are never released).
 * - DescribeTaskInfo (GET /tasks/{task_id}): the caller's own tasks only (on a regional endpoint,
 *   only that region's). Stages carry the documented fields only: `state`, `start_time`,
 *   `end_time`, `message`, `outputs`; the running stage's name is the task's `current_stage`.
 * A node pool with a running task refuses another operation with a conflict error.
 *
 * A scale-out short of ECS instance quota (`AccountRecord.ecsInstanceQuota`) creates what the quota
 * allows; the task ends `state: fail` with `error {code, message}` and Warning events, but the pool
 * KEEPS its expected size and stays `scaling`, retrying in the background until it has that many
 * nodes ("If the system fails to create a node, it automatically retries until the number of nodes
 * in the node pool reaches the expected number": ACK guide "Manually scale a node pool"). The
 * retries create the missing nodes as soon as quota allows (raised quota, released instances),
 * then the pool is `active` again. (ACK relays the ECS error; the code it reports is unconfirmed:
 * the emulator uses ECS's `QuotaExceed.ElasticQuota`.) Pool states are the SDK's: `active`,
 * `scaling`, `removing` (the emulator never uses `deleting`/`updating`).
 */
import { EmulatorError } from '../../http-util.ts';
import { makeNode, type ClusterRecord, type NodePoolRecord, type NodeRecord } from '../../world.ts';
import type { CsRequest, CsRoute } from '../routes.ts';
import { visibleAt } from '../cluster-scope.ts';
import { invalid, ownCluster, ownNodePool } from './lookup.ts';
import {
  isoTime,
  lifecycleOf,
  newTaskId,
  runSteps,
  stageTime,
  taskStageMs,
  type LifecycleStore,
  type TaskEvent,
  type TaskRecord,
} from './store.ts';

/** The code the emulator answers when a node pool already has a task running (ACK's exact code is unconfirmed). */
export const NODEPOOL_BUSY_CODE = 'ErrorNodePoolStateConflict';

/** The code a scale-out task fails with when the account's ECS instance quota is exhausted (see above). */
export const INSTANCE_QUOTA_CODE = 'QuotaExceed.ElasticQuota';

const MAX_SCALE_COUNT = 500;
const MAX_REMOVE_NODES = 100;

function event(reason: string, message: string, level: TaskEvent['level'] = 'Normal'): TaskEvent {
  return { action: reason.endsWith('Start') ? 'start' : 'finish', level, message, reason, source: 'ACK', timestamp: String(Date.now()) };
}

function claimPool(store: LifecycleStore, pool: NodePoolRecord): void {
  const running = store.busyPools.get(pool.nodepool_id);
  if (running) {
    throw new EmulatorError(
      400,
      NODEPOOL_BUSY_CODE,
      `The node pool ${pool.nodepool_id} is in state ${pool.state}: task ${running} is still running on it. Retry after it finishes.`,
    );
  }
}

function startTask(
  store: LifecycleStore,
  request: CsRequest,
  cluster: ClusterRecord,
  pool: NodePoolRecord,
  taskType: string,
  stageNames: string[],
  parameters: Record<string, unknown>,
): TaskRecord {
  const now = Date.now();
  const task: TaskRecord = {
    task_id: newTaskId(),
    account_id: request.caller.account.accountId,
    cluster_id: cluster.cluster_id,
    region_id: cluster.region_id,
    nodepool_id: pool.nodepool_id,
    task_type: taskType,
    state: 'running',
    created: isoTime(now),
    updated: isoTime(now),
    parameters,
    stages: stageNames.map((name, index) => ({
      name,
      state: index === 0 ? 'running' : 'pending',
      start_time: index === 0 ? stageTime(now) : '',
      end_time: '',
      message: '',
    })),
    events: [event(`${taskType}Start`, `start to ${taskType} on node pool ${pool.nodepool_id}`)],
    task_result: [],
  };
  store.tasks.set(task.task_id, task);
  store.busyPools.set(pool.nodepool_id, task.task_id);
  return task;
}

/** Ends the running stage with `message` and starts the next one (or finishes the task). */
function finishStage(store: LifecycleStore, task: TaskRecord, pool: NodePoolRecord, message: string): void {
  const now = Date.now();
  const index = task.stages.findIndex((stage) => stage.state === 'running');
  const stage = task.stages[index];
  if (!stage) return;
  stage.state = 'success';
  stage.end_time = stageTime(now);
  stage.message = message;
  task.events.push(event(`${stage.name}Finished`, message));
  const next = task.stages[index + 1];
  if (next) {
    next.state = 'running';
    next.start_time = stageTime(now);
  } else {
    task.state = 'success';
    task.events.push(event(`${task.task_type}Succeed`, `task ${task.task_id} succeeded`));
    pool.state = 'active';
    store.busyPools.delete(pool.nodepool_id);
  }
  task.updated = isoTime(now);
}

/** Ends the running stage and the task as failed with `error`; the pool is free again. */
function failTask(store: LifecycleStore, task: TaskRecord, pool: NodePoolRecord, error: { code: string; message: string }): void {
  const now = Date.now();
  const stage = task.stages.find((candidate) => candidate.state === 'running');
  if (stage) {
    stage.state = 'fail';
    stage.end_time = stageTime(now);
    stage.message = error.message;
    task.events.push(event(`${stage.name}Failed`, error.message, 'Warning'));
  }
  task.state = 'fail';
  task.error = error;
  task.events.push(event(`${task.task_type}Failed`, `task ${task.task_id} failed: ${error.code}`, 'Warning'));
  task.updated = isoTime(now);
  pool.state = 'active';
  store.busyPools.delete(pool.nodepool_id);
}

function instancesInUse(account: CsRequest['caller']['account']): number {
  return account.clusters.reduce((total, cluster) => total + cluster.nodes.length, 0);
}

/** How many more ECS instances the account's quota allows (Infinity without a quota). */
function instancesAllowed(account: CsRequest['caller']['account']): number {
  return account.ecsInstanceQuota === undefined ? Infinity : Math.max(0, account.ecsInstanceQuota - instancesInUse(account));
}

function addNodes(cluster: ClusterRecord, pool: NodePoolRecord, seed: string, count: number, state: 'initial' | 'running'): NodeRecord[] {
  const added: NodeRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    const node = makeNode(cluster.region_id, pool, `${cluster.name}:${pool.name}:${seed}:${cluster.nodes.length}`, isoTime(Date.now()));
    if (state === 'initial') {
      node.state = 'initial';
      node.node_status = 'NotReady';
    }
    added.push(node);
    cluster.nodes.push(node);
  }
  return added;
}

/**
 * The node pool's own retries after a scale-out fell short: every stage interval (not while the
 * store is held) it creates the nodes the quota now allows, until the pool has its expected size;
 * then it is `active` again and `store.steps` emits `pool-complete` with the pool id.
 */
function keepScaling(store: LifecycleStore, request: CsRequest, cluster: ClusterRecord, pool: NodePoolRecord): void {
  const size = () => cluster.nodes.filter((node) => node.nodepool_id === pool.nodepool_id).length;
  const timer = setTimeout(() => {
    if (!store.held && pool.state === 'scaling') {
      addNodes(
        cluster,
        pool,
        `retry:${Date.now()}`,
        Math.min(Math.max(0, pool.desired_size - size()), instancesAllowed(request.caller.account)),
        'running',
      );
      if (size() >= pool.desired_size) {
        pool.state = 'active';
        store.steps.emit('pool-complete', pool.nodepool_id);
        return;
      }
    }
    if (pool.state === 'scaling') keepScaling(store, request, cluster, pool);
  }, taskStageMs(request.env));
  timer.unref();
}

function parseFlag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw invalid(`${name} must be true or false.`);
}

function parseInstanceIds(query: URLSearchParams): string[] {
  const raw = query.get('instance_ids');
  if (!raw) {
    if (query.get('nodes')) throw invalid('nodes is deprecated: pass instance_ids.');
    throw invalid('instance_ids is required.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid('instance_ids must be a JSON-encoded array of ECS instance ids.');
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((id) => typeof id === 'string' && id)) {
    throw invalid('instance_ids must be a non-empty JSON array of ECS instance ids.');
  }
  if (parsed.length > MAX_REMOVE_NODES) throw invalid(`At most ${MAX_REMOVE_NODES} instances can be removed at once.`);
  return [...new Set(parsed as string[])];
}

const scaleNodePool: CsRoute = {
  action: 'ScaleClusterNodePool',
  method: 'POST',
  pattern: /^\/clusters\/(?<clusterId>[^/]+)\/nodepools\/(?<nodepoolId>[^/]+)$/,
  ramAction: 'cs:ScaleClusterNodePool',
  mutating: true,
  handle(request) {
    const cluster = ownCluster(request);
    const pool = ownNodePool(request, cluster);
    const count = request.body.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_SCALE_COUNT) {
      throw invalid(`count must be an integer from 1 to ${MAX_SCALE_COUNT}; got ${JSON.stringify(count)}.`);
    }
    const store = lifecycleOf(request.world);
    claimPool(store, pool);
    const task = startTask(store, request, cluster, pool, 'cluster_scaleout', ['CreateInstances', 'JoinNodes', 'WaitNodesReady'], {
      nodepool_id: pool.nodepool_id,
      count,
    });
    pool.desired_size += count;
    pool.state = 'scaling';
    const added: NodeRecord[] = [];
    const account = request.caller.account;
    runSteps(store, taskStageMs(request.env), [
      () => {
        const allowed = instancesAllowed(account);
        if (allowed < count) {
          const made = addNodes(cluster, pool, task.task_id, allowed, 'running');
          failTask(store, task, pool, {
            code: INSTANCE_QUOTA_CODE,
            message:
              `Failed to create ${count - allowed} of ${count} ECS instance(s): the account's instance quota is ${account.ecsInstanceQuota} ` +
              `and ${instancesInUse(account) - made.length} were in use. Ask for a larger quota in Quota Center, or release instances you no longer need.`,
          });
          pool.state = 'scaling';
          keepScaling(store, request, cluster, pool);
          return 'stop';
        }
        added.push(...addNodes(cluster, pool, task.task_id, count, 'initial'));
        finishStage(store, task, pool, `created ${count} ECS instance(s): ${added.map((node) => node.instance_id).join(',')}`);
        return undefined;
      },
      () => finishStage(store, task, pool, `${count} node(s) joined the cluster`),
      () => {
        for (const node of added) {
          node.state = 'running';
          node.node_status = 'Ready';
        }
        task.task_result = added.map((node) => ({ data: node.instance_id, status: 'success' }));
        finishStage(store, task, pool, `${count} node(s) are Ready`);
      },
    ]);
    return { task_id: task.task_id };
  },
};

const removeNodePoolNodes: CsRoute = {
  action: 'RemoveNodePoolNodes',
  method: 'DELETE',
  pattern: /^\/clusters\/(?<clusterId>[^/]+)\/nodepools\/(?<nodepoolId>[^/]+)\/nodes$/,
  ramAction: 'cs:RemoveNodePoolNodes',
  mutating: true,
  handle(request) {
    const cluster = ownCluster(request);
    const pool = ownNodePool(request, cluster);
    const instanceIds = parseInstanceIds(request.query);
    const drain = parseFlag(request.query, 'drain_node', false);
    const release = parseFlag(request.query, 'release_node', false);
    const concurrency = parseFlag(request.query, 'concurrency', false);
    const nodes = instanceIds.map((id) => cluster.nodes.find((node) => node.instance_id === id && node.nodepool_id === pool.nodepool_id));
    const missing = instanceIds.filter((_, index) => !nodes[index]);
    if (missing.length > 0) throw invalid(`The instances ${missing.join(',')} do not belong to node pool ${pool.nodepool_id}.`);
    const store = lifecycleOf(request.world);
    claimPool(store, pool);
    const targets = nodes as NodeRecord[];
    const stages = [...(drain ? ['DrainNodes'] : []), 'RemoveNodes', ...(release ? ['ReleaseInstances'] : [])];
    const task = startTask(store, request, cluster, pool, 'nodepool_remove_nodes', stages, {
      instance_ids: instanceIds,
      drain_node: drain,
      release_node: release,
      concurrency,
    });
    for (const node of targets) node.state = 'removing';
    pool.state = 'removing';
    const steps: Array<() => void> = [];
    if (drain) steps.push(() => finishStage(store, task, pool, `drained ${targets.length} node(s)`));
    steps.push(() => {
      const gone = new Set(instanceIds);
      cluster.nodes = cluster.nodes.filter((node) => !gone.has(node.instance_id));
      pool.desired_size = Math.max(0, pool.desired_size - targets.length);
      if (!release) task.task_result = targets.map((node) => ({ data: node.instance_id, status: 'success' }));
      finishStage(store, task, pool, `removed ${targets.length} node(s) from the cluster; the ECS instances were kept`);
    });
    if (release) {
      steps.push(() => {
        const prepaid = targets.filter((node) => node.instance_charge_type === 'PrePaid');
        const released = targets.filter((node) => node.instance_charge_type !== 'PrePaid');
        for (const node of prepaid) {
          task.events.push(
            event('InstanceNotReleased', `instance ${node.instance_id} is prepaid (subscription) and was not released`, 'Warning'),
          );
        }
        task.task_result = targets.map((node) => ({ data: node.instance_id, status: 'success' }));
        finishStage(
          store,
          task,
          pool,
          `released ${released.length} instance(s)${prepaid.length ? `; ${prepaid.length} prepaid instance(s) kept: ${prepaid.map((n) => n.instance_id).join(',')}` : ''}`,
        );
      });
    }
    runSteps(store, taskStageMs(request.env), steps);
    return { task_id: task.task_id };
  },
};

function taskView(task: TaskRecord): Record<string, unknown> {
  const current = task.stages.find((stage) => stage.state === 'running') ?? task.stages.at(-1);
  return {
    task_id: task.task_id,
    cluster_id: task.cluster_id,
    task_type: task.task_type,
    state: task.state,
    created: task.created,
    updated: task.updated,
    current_stage: task.state === 'running' ? (current?.name ?? '') : '',
    target: { id: task.nodepool_id, type: 'nodepool' },
    parameters: task.parameters,
    stages: task.stages
      .filter((stage) => stage.state !== 'pending')
      .map((stage) => ({
        state: stage.state,
        start_time: stage.start_time,
        end_time: stage.end_time,
        message: stage.message,
        outputs: {},
      })),
    events: task.events,
    task_result: task.task_result,
    ...(task.error ? { error: task.error } : {}),
  };
}

const describeTaskInfo: CsRoute = {
  action: 'DescribeTaskInfo',
  method: 'GET',
  pattern: /^\/tasks\/(?<taskId>[^/]+)$/,
  ramAction: 'cs:DescribeTaskInfo',
  handle(request) {
    const id = request.params.taskId ?? '';
    const task = lifecycleOf(request.world).tasks.get(id);
    if (!task || task.account_id !== request.caller.account.accountId || !visibleAt(request.endpointRegion, task.region_id)) {
      throw new EmulatorError(404, 'ErrorTaskNotFound', `The specified task ${id} does not exist.`);
    }
    return taskView(task);
  },
};

export const nodePoolTaskRoutes: CsRoute[] = [scaleNodePool, removeNodePoolNodes, describeTaskInfo];
