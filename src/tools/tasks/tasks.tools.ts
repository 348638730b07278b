/** describe_task_info: follow an ACK task (scale-out, node removal…), optionally waiting for it. */
import { z } from 'zod';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { boundText } from '../../text.ts';
import { describeTask, taskFailed, taskFinished, taskStateUnknown, type TaskInfo } from './tasks.api.ts';
import { pollUntil, waitSecondsArg } from './wait.ts';

export const taskIdArg = z
  .string()
  .regex(/^T-[0-9A-Za-z]{8,40}$/, 'must be an ACK task id such as T-5faa48fb31b6b8078d000006')
  .describe('ACK task id, e.g. T-5faa48fb31b6b8078d000006 (scale_nodepool and remove_nodepool_nodes answer it)');

const MAX_EVENTS_SHOWN = 8;

/** A scale-out that failed for want of ECS instances (quota, stock): ACK's pool goes on trying. */
function scaleOutShortfall(task: TaskInfo): boolean {
  const about = `${task.error?.code ?? ''} ${task.error?.message ?? ''}`;
  return (
    /scale_?out|scaleout|scale/i.test(task.task_type) && taskFailed(task) && /quota|stock|insufficient|NoStock|OutOfStock/i.test(about)
  );
}

/**
 * What a failed scale-out means: the node pool keeps its expected size and ACK keeps creating
 * nodes until it is reached (ACK guide "Manually scale a node pool"), so the nodes may still come,
 * and be billed, once the cause is gone.
 */
export const SCALE_OUT_SHORTFALL_ADVICE =
  "ACK keeps the node pool's expected size and retries in the background until the pool reaches it: the missing nodes will be created " +
  '(and billed) as soon as ECS allows (a raised quota in Quota Center, released instances, restocked instance types). list_nodepools ' +
  "shows the pool scaling until then. To give up instead, lower the pool's expected node count in the ACK console (or remove nodes " +
  'with remove_nodepool_nodes); do not call scale_nodepool again, which would add to the expected size.';

export function renderTask(task: TaskInfo): string {
  const lines = [
    `Task ${task.task_id} (${task.task_type || 'unknown type'}) on ${task.target.type || 'target'} ${task.target.id || task.cluster_id}` +
      `${task.cluster_id ? ` in cluster ${task.cluster_id}` : ''}: state ${task.state || 'unknown'}` +
      (task.state === 'running' && task.current_stage ? `, current stage ${task.current_stage}` : '') +
      `. Created ${task.created}, updated ${task.updated}.`,
  ];
  if (task.error) lines.push(`Error ${task.error.code}: ${task.error.message}`);
  if (scaleOutShortfall(task)) lines.push(`What now: ${SCALE_OUT_SHORTFALL_ADVICE}`);
  if (taskStateUnknown(task) && task.state)
    lines.push(`State "${task.state}" is not one ACK documents (running, success, fail): treated as not finished.`);
  if (task.stages.length > 0) {
    lines.push('Stages:');
    task.stages.forEach((stage, index) => {
      const named = stage.name && stage.name !== stage.message && stage.name !== `stage ${index + 1}` ? ` ${stage.name}` : '';
      const when = stage.end_time ? ` (ended ${stage.end_time})` : stage.start_time ? ` (started ${stage.start_time})` : '';
      lines.push(`  ${index + 1}. ${stage.state || 'unknown'}${named}${when}${stage.message ? ` - ${stage.message}` : ''}`);
    });
  }
  const warnings = task.events.filter((event) => event.level !== 'Normal');
  if (warnings.length > 0) {
    lines.push('Warnings:');
    for (const event of warnings.slice(-MAX_EVENTS_SHOWN)) lines.push(`  ${event.time} ${event.reason}: ${event.message}`);
  }
  if (task.task_result.length > 0) {
    lines.push(`Resources: ${task.task_result.map((item) => `${item.data} ${item.status}`).join(', ')}`);
  }
  return boundText(lines.join('\n'), 8_000, 'see structuredContent for every stage and event');
}

export const describeTaskInfoTool = defineTool({
  name: 'describe_task_info',
  title: 'Describe an ACK task',
  description:
    'Show an ACK task (started by scale_nodepool, remove_nodepool_nodes, upgrades…): state running/success/fail, current stage, ' +
    'errors, stages and events. With wait_seconds it polls until the task ends (success or fail) or the time is up, sending progress ' +
    "notifications while it waits. Pass cluster_id so the task is looked up in the cluster's region.",
  input: {
    task_id: taskIdArg,
    cluster_id: clusterIdArg.optional().describe('The cluster the task runs on (finds the regional endpoint)'),
    region: regionArg.optional(),
    wait_seconds: waitSecondsArg('the task ends (success or fail)'),
  },
  output: {
    task_id: z.string(),
    cluster_id: z.string(),
    task_type: z.string(),
    state: z.string(),
    current_stage: z.string(),
    created: z.string(),
    updated: z.string(),
    target: z.object({ id: z.string(), type: z.string() }),
    stages: z.array(
      z.object({
        name: z.string().describe('ACK names only the running stage (current_stage); other stages are named by their message'),
        state: z.string(),
        start_time: z.string(),
        end_time: z.string(),
        message: z.string(),
      }),
    ),
    events: z.array(z.object({ time: z.string(), level: z.string(), reason: z.string(), message: z.string() })),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    task_result: z.array(z.object({ data: z.string(), status: z.string() })),
    finished: z.boolean().describe('True when the task ended (success, fail); an undocumented state is not taken as the end'),
    waited_seconds: z.number(),
  },
  annotations: readOnlyTool,
  // Tasks follow node pool changes (scale_nodepool, remove_nodepool_nodes) and the cluster's own operations.
  toolsets: ['clusters', 'nodepools'],
  ramActions: [CLUSTER_REGION, 'cs:DescribeTaskInfo'],
  async run(args, ctx) {
    ctx.note({ task: args.task_id });
    const { cluster_id: clusterId } = args;
    const client = clusterId
      ? await ctx.forCluster({ cluster_id: clusterId, region: args.region }).cs()
      : await ctx.cs(args.region ?? ctx.fallbackRegion);
    const waited = await pollUntil(
      ctx,
      args.wait_seconds,
      () => describeTask(client, ctx.retry, args.task_id, ctx.signal),
      taskFinished,
      (task) => `task ${task.task_id} is ${task.state}${task.current_stage ? ` (stage ${task.current_stage})` : ''}`,
    );
    const task = waited.value;
    let text = renderTask(task);
    if (!waited.done && args.wait_seconds > 0) {
      text += `\nStill running after waiting ${waited.waited_seconds} s: call describe_task_info again (wait_seconds up to 120) to keep following it.`;
    } else if (!waited.done) {
      text += '\nThe task is still running: call again with wait_seconds (e.g. 60) to wait for it.';
    }
    return { structured: { ...task, finished: waited.done, waited_seconds: waited.waited_seconds }, text };
  },
});

export const taskTools = [describeTaskInfoTool];
