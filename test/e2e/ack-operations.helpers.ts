/** Shared by the ack-operations end-to-end tests: a stack with fast ACK lifecycles and a typed tool call. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';
import type { AccountRecord, ClusterRecord, NodePoolRecord } from '../emulator/world.ts';

// The tools poll every 2 s in production; this documented setting shortens it for tests.
process.env.ACK_MCP_POLL_INTERVAL_MS = '20';

export interface ToolResult<T = any> {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent: T;
}

export async function call<T = any>(client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult<T>> {
  return (await client.callTool({ name, arguments: args })) as unknown as ToolResult<T>;
}

export function text(result: ToolResult): string {
  return result.content.map((part) => part.text).join('\n');
}

/** A stack whose ACK tasks and diagnoses advance one stage every 15 ms. */
export async function startAckStack(env: Record<string, string> = {}): Promise<Stack> {
  return startStack({ env, emulator: { env: { taskStageMs: 15 } } });
}

export interface Demo {
  account: AccountRecord;
  other: AccountRecord;
  hangzhou: ClusterRecord;
  defaultPool: NodePoolRecord;
  gpuPool: NodePoolRecord;
  client: Client;
}

export async function demo(stack: Stack): Promise<Demo> {
  const [account, other] = stack.emulator.world.accounts as [AccountRecord, AccountRecord];
  const hangzhou = account.clusters[0]!;
  return {
    account,
    other,
    hangzhou,
    defaultPool: hangzhou.nodepools[0]!,
    gpuPool: hangzhou.nodepools[1]!,
    client: await stack.client(callerHeaders(account.accessKeys[0]!)),
  };
}

/** The actions the emulator saw, in order. */
export function actions(stack: Stack): string[] {
  return stack.emulator.callLog.records.map((record) => record.action);
}

export function poolNodes(cluster: ClusterRecord, pool: NodePoolRecord) {
  return cluster.nodes.filter((node) => node.nodepool_id === pool.nodepool_id);
}
