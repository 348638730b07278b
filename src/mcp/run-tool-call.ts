/**
 * One `tools/call` with the request's hooks: its context, the access mode, confirmation of destructive writes and
 * outcome reporting. Shared by the SDK server (`build-server.ts`) and the direct path (`serve-request.ts`), which
 * loads it without the SDK.
 */
import type { AccessMode } from '../config.ts';
import type { ToolContext } from '../tools/tool-context.ts';
import { callTool, failureResult, type CallOutcome, type CallReporting, type CallToolResult } from './call-tool.ts';
import { CANNOT_CONFIRM, gateForCall, type ConfirmingClient } from './confirmations.ts';
import type { ToolCatalog } from './tool-catalog.ts';

/**
 * Where a request finds its catalogues: the whole one (`tools/list` through the SDK) and the one a `tools/call` of
 * `name` runs with (its tool's module alone when the build mapped it, `serve-request.ts`). Each loaded on first need.
 */
export interface CatalogSource {
  all(): Promise<ToolCatalog>;
  forCall(name: string): Promise<ToolCatalog>;
}

/** What the request's log line records of one `tools/call`. */
export type CallRecord = CallOutcome & { durationMs: number; cluster?: string };

export interface RequestHooks extends CallReporting {
  mode: AccessMode;
  /** The HTTP request's signal: aborted when the client goes away. Every call of the request stops with it. */
  signal: AbortSignal;
  /** Creates the tool context for one call; `progress` is wired to the request's progress token. */
  makeContext(signal: AbortSignal, progress: ToolContext['progress']): ToolContext;
  onCallStarted?(): void;
  onCallFinished(record: CallRecord): void;
}

/** A call that needs the user's confirmation first (`confirmations.ts`): what to ask, and the state the answer must echo. */
export interface AskToConfirm {
  confirm: { message: string; state: string };
}

/**
 * One `tools/call`, with the hooks' context, mode, confirmation of destructive writes and outcome
 * reporting: shared by the SDK server and the direct path (whose clients cannot confirm: never asked).
 */
export async function runToolCall(
  catalog: ToolCatalog,
  hooks: RequestHooks,
  name: string,
  args: Record<string, unknown> | undefined,
  signal: AbortSignal,
  progress: ToolContext['progress'],
  client: ConfirmingClient = CANNOT_CONFIRM,
): Promise<CallToolResult | AskToConfirm> {
  const started = performance.now();
  hooks.onCallStarted?.();
  const base = hooks.makeContext(signal, progress);
  const gate = gateForCall(catalog, hooks.mode, name, args, base.config, client);
  const durationMs = () => Math.round(performance.now() - started);
  if (gate.kind === 'ask') {
    hooks.onCallFinished({ tool: name, outcome: 'input_required', durationMs: durationMs() });
    return { confirm: { message: gate.message, state: gate.state } };
  }
  if (gate.kind === 'refuse') {
    hooks.onCallFinished({ tool: name, outcome: 'error', errorCode: gate.failure.code, durationMs: durationMs() });
    return failureResult(gate.failure);
  }
  // The cluster a call works on is recorded per call, not in the request's shared fields
  // (in a batch each call has its own).
  let cluster: string | undefined;
  const ctx: ToolContext = {
    ...base,
    note(fields) {
      if (fields.cluster === undefined) return base.note(fields);
      const { cluster: named, ...rest } = fields;
      cluster = String(named);
      base.note(rest);
    },
  };
  const { result, outcome } = await callTool(catalog, hooks.mode, name, args, ctx, hooks);
  hooks.onCallFinished({ ...outcome, durationMs: durationMs(), ...(cluster !== undefined ? { cluster } : {}) });
  return result;
}
