/**
 * Runs one `tools/call`: finds the tool, enforces the access mode, validates arguments
 * strictly, runs the handler, checks its structured answer against the tool's output schema
 * (the low-level SDK server does not), and turns any failure into an `isError` result, mapped once.
 */
import type { z } from 'zod';
import type { AccessMode } from '../config.ts';
import { toToolFailure } from '../errors/map-error.ts';
import { ToolFailure } from '../errors/tool-failure.ts';
import { isMutating } from '../tools/define-tool.ts';
import { boundText, cutShort } from '../text.ts';
import type { ToolContext } from '../tools/tool-context.ts';
import { coerceScalarStrings } from './coerce-arguments.ts';
import type { ToolCatalog } from './tool-catalog.ts';

export interface CallToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface CallOutcome {
  /** The tool's name; a name that is no tool's is cut to 64 characters (it is the caller's text). */
  tool: string;
  /** `input_required`: the call asked the user to confirm and ran nothing (yet). */
  outcome: 'ok' | 'error' | 'input_required';
  errorCode?: string;
  requestId?: string;
}

/** Where a call reports what only the log may see. */
export interface CallReporting {
  /** An error that is a bug (mapped to InternalError for the caller). */
  onUnexpected(error: unknown): void;
  /** A handler's structured answer did not match its output schema (the answer was withheld). */
  onInvalidOutput(details: { tool: string; issues: string[] }): void;
}

const MAX_LOGGED_NAME = 64;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.') || '(arguments)';
      if (issue.code === 'unrecognized_keys') return `${path}: unknown argument(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

export function failureResult(failure: ToolFailure): CallToolResult {
  const lines = [`Error ${failure.code}: ${failure.message}`];
  if (failure.details.hint) lines.push(`Hint: ${failure.details.hint}`);
  if (failure.details.requestId) lines.push(`Request id: ${failure.details.requestId}`);
  return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
}

/** Why a tool that changes things is refused: the server, the signed-in user's role mapping, or the static token is read-only. */
function readOnlyRefusal(name: string, ctx: ToolContext): ToolFailure {
  const refused = `${name} changes the cluster and`;
  if (ctx.config.accessMode === 'read-only')
    return new ToolFailure('ReadOnlyMode', `${refused} this server is read-only, so it was refused. Nothing was changed.`, {
      hint: 'Ask the operator for a read-write deployment.',
    });
  if (ctx.user)
    return new ToolFailure(
      'ReadOnlyMode',
      `${refused} your role mapping is read-only (the OAUTH_ROLE_MAPPING entry that matched you grants read-only access), so it was refused. Nothing was changed.`,
      { hint: 'Ask the operator to map you (your group or subject) to a role with ,read-write in OAUTH_ROLE_MAPPING.' },
    );
  return new ToolFailure('ReadOnlyMode', `${refused} this token is read-only, so it was refused. Nothing was changed.`, {
    hint: 'Ask the operator for a read-write token or deployment.',
  });
}

export async function callTool(
  catalog: ToolCatalog,
  mode: AccessMode,
  name: string,
  rawArgs: Record<string, unknown> | undefined,
  ctx: ToolContext,
  reporting: CallReporting,
): Promise<{ result: CallToolResult; outcome: CallOutcome }> {
  const entry = catalog.get(name, mode);
  const logged = entry ? name : cutShort(name, MAX_LOGGED_NAME);
  try {
    if (!entry) throw new ToolFailure('UnknownTool', `There is no tool named "${name}". Call tools/list to see the available tools.`);
    if (mode === 'read-only' && isMutating(entry.tool)) throw readOnlyRefusal(name, ctx);
    const coerced = coerceScalarStrings(rawArgs ?? {}, entry.inputSchema);
    const parsed = entry.validator.safeParse(coerced);
    if (!parsed.success) {
      throw new ToolFailure('InvalidArguments', `Invalid arguments for ${name}: ${describeIssues(parsed.error)}.`, {
        hint: 'Nothing was sent to Alibaba Cloud. Fix the arguments (see the tool input schema) and call again.',
      });
    }
    const answer = await entry.tool.run(parsed.data as never, ctx);
    const checked = entry.output.safeParse(answer.structured);
    if (!checked.success) {
      reporting.onInvalidOutput({
        tool: name,
        issues: checked.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      });
      throw new ToolFailure(
        'InternalError',
        `The server's answer for ${name} did not match the tool's output schema, so it was withheld. The failure was logged.`,
      );
    }
    return {
      result: {
        content: [{ type: 'text', text: boundText(answer.text) }],
        structuredContent: checked.data as Record<string, unknown>,
      },
      outcome: { tool: name, outcome: 'ok' },
    };
  } catch (error) {
    const failure =
      ctx.signal.aborted && !(error instanceof ToolFailure)
        ? new ToolFailure('Cancelled', 'The call was cancelled (the client cancelled it or went away).')
        : toToolFailure(error, reporting.onUnexpected);
    return {
      result: failureResult(failure),
      outcome: {
        tool: logged,
        outcome: 'error',
        errorCode: failure.code,
        ...(failure.details.requestId ? { requestId: failure.details.requestId } : {}),
      },
    };
  }
}
