/** Shared by the observability end-to-end tests: typed tool calls, the call log as `product:action`, keys made for one test. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallRecord } from '../emulator/call-log.ts';
import type { AccessKey } from '../emulator/world.ts';
import type { Stack } from '../support/stack.ts';
import { callerHeaders } from '../support/stack.ts';

export interface Result {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: any;
}

export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Result> {
  return (await client.callTool({ name, arguments: args })) as unknown as Result;
}

export function text(result: Result): string {
  return result.content.map((part) => part.text).join('\n');
}

/** The emulator's call log as `product:action`, in arrival order. */
export function upstream(stack: Stack, records: CallRecord[] = stack.emulator.callLog.records): string[] {
  return records.map((record) => `${record.product}:${record.action}`);
}

let keys = 0;

/**
 * A new AccessKey of the demo account, with its own RAM denials. A new key is a new identity, so the
 * server's per-identity caches start empty for it: its first call is a cold one.
 */
export async function clientWithNewKey(stack: Stack, deniedActions: string[] = []): Promise<{ client: Client; key: AccessKey }> {
  keys += 1;
  const key: AccessKey = {
    accessKeyId: `LTAI5tObsTestKey${String(keys).padStart(4, '0')}${process.pid % 10_000}`,
    accessKeySecret: `ObsTestSecret${String(keys).padStart(4, '0')}abcdefghijklmn`,
    ...(deniedActions.length ? { deniedActions } : {}),
  };
  stack.emulator.world.accounts[0]!.accessKeys.push(key);
  return { client: await stack.client(callerHeaders(key)), key };
}
