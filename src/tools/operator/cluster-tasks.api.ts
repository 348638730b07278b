/** DescribeClusterTasks over the CS SDK, normalised to snake_case; no MCP here. */
import { loadCsSdk, type CsClient } from '../../clients/cs-client.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';

export interface ClusterTask {
  task_id: string;
  task_type: string;
  state: string;
  created: string;
  updated: string;
  error?: { code: string; message: string };
}

export interface ClusterTaskPage {
  tasks: ClusterTask[];
  page_number: number;
  page_size: number;
  total_count: number;
}

export async function describeClusterTasks(
  client: CsClient,
  retry: RetryPolicy,
  clusterId: string,
  page: { pageNumber: number; pageSize: number },
  signal?: AbortSignal,
): Promise<ClusterTaskPage> {
  const { DescribeClusterTasksRequest } = (await loadCsSdk()).models;
  const request = new DescribeClusterTasksRequest({ pageNumber: page.pageNumber, pageSize: page.pageSize });
  const { body } = await callRead(retry, () => client.describeClusterTasks(clusterId, request), signal);
  return {
    tasks: (body?.tasks ?? []).map((task) => ({
      task_id: task.taskId ?? '',
      task_type: task.taskType ?? '',
      state: task.state ?? '',
      created: task.created ?? '',
      updated: task.updated ?? '',
      ...(task.error && (task.error.code || task.error.message)
        ? { error: { code: task.error.code ?? '', message: task.error.message ?? '' } }
        : {}),
    })),
    page_number: body?.pageInfo?.pageNumber ?? page.pageNumber,
    page_size: body?.pageInfo?.pageSize ?? page.pageSize,
    total_count: body?.pageInfo?.totalCount ?? 0,
  };
}
