/** list_cluster_tasks: a cluster's recent ACK tasks (upgrades, scaling, addon changes), filterable by state and type. */
import { z } from 'zod';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { boundText } from '../../text.ts';
import { table } from '../render.ts';
import { describeClusterTasks, type ClusterTask } from './cluster-tasks.api.ts';

/** Tasks are read 50 a page, at most this many pages (the newest 150) to find the filtered ones. */
const PAGE_SIZE = 50;
const MAX_PAGES = 3;

const FINAL_FAILED = /^(fail|failed)$/i;

export const listClusterTasksTool = defineTool({
  name: 'list_cluster_tasks',
  title: 'List cluster tasks',
  description:
    'Recent ACK tasks of a cluster, newest first: upgrades, node pool scaling and updates, addon installs and upgrades, with ' +
    'state (running/success/fail), type, times and the error of failed ones. Filter by state and by task type (substring, e.g. ' +
    '"upgrade", "scale"). Follow one task with describe_task_info.',
  input: {
    cluster_id: clusterIdArg,
    state: z.enum(['running', 'success', 'fail']).optional().describe('Only tasks in this state (fail includes failed)'),
    task_type: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be letters, digits, "_", "-" or ".", e.g. upgrade or nodepool_scaleout')
      .optional()
      .describe('Only task types containing this text, e.g. upgrade, scale, addon'),
    limit: z.number().int().min(1).max(100).default(20).describe('Tasks to show, 1-100 (default 20)'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    tasks: z.array(
      z.object({
        task_id: z.string(),
        task_type: z.string(),
        state: z.string(),
        created: z.string(),
        updated: z.string(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
    total_count: z.number().describe('Tasks ACK holds for the cluster (before filtering)'),
    scanned: z.number().describe('How many of the newest tasks were searched'),
    more: z.boolean().describe('More matching tasks may exist than are shown'),
  },
  annotations: readOnlyTool,
  toolsets: ['clusters'],
  ramActions: [CLUSTER_REGION, 'cs:DescribeClusterTasks'],
  async run(args, ctx) {
    const client = await ctx.forCluster(args).cs();
    const wanted = (task: ClusterTask) =>
      (!args.state || task.state === args.state || (args.state === 'fail' && FINAL_FAILED.test(task.state))) &&
      (!args.task_type || task.task_type.toLowerCase().includes(args.task_type.toLowerCase()));
    const found: ClusterTask[] = [];
    let total = 0;
    let scanned = 0;
    for (let page = 1; page <= MAX_PAGES && found.length < args.limit; page += 1) {
      const answer = await describeClusterTasks(client, ctx.retry, args.cluster_id, { pageNumber: page, pageSize: PAGE_SIZE }, ctx.signal);
      total = answer.total_count;
      scanned += answer.tasks.length;
      found.push(...answer.tasks.filter(wanted));
      if (answer.tasks.length < PAGE_SIZE || scanned >= total) break;
    }
    const tasks = found.slice(0, args.limit);
    const more = found.length > args.limit || scanned < total;
    const filters = [args.state && `state ${args.state}`, args.task_type && `type ~ "${args.task_type}"`].filter(Boolean).join(', ');
    const lines = [
      `${tasks.length} task(s) of cluster ${args.cluster_id}${filters ? ` (${filters})` : ''}; ACK holds ${total}, the newest ${scanned} searched.`,
    ];
    if (tasks.length > 0) {
      lines.push(
        table(
          ['TASK', 'TYPE', 'STATE', 'CREATED', 'UPDATED', 'ERROR'],
          tasks.map((t) => [t.task_id, t.task_type, t.state, t.created, t.updated, t.error ? `${t.error.code}: ${t.error.message}` : '']),
        ),
      );
    } else {
      lines.push(filters ? 'No task matches: widen the filters.' : 'The cluster has no tasks.');
    }
    if (more)
      lines.push(
        `More may exist: raise limit (up to 100)${scanned < total ? ' or narrow the filters (only the newest 150 are searched)' : ''}.`,
      );
    return {
      structured: { cluster_id: args.cluster_id, tasks, total_count: total, scanned, more },
      text: boundText(lines.join('\n'), 12_000, 'see structuredContent.tasks'),
    };
  },
});
