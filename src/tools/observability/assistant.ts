/**
 * Natural-language help for writing and fixing queries, behind one interface so that a later
 * backend (e.g. the CMS 2.0 chat API) can replace the current one. A failure explains itself and
 * never affects running queries: nothing but the three translate/diagnose tools imports this.
 * Log Service CallAiTools is deprecated by Alibaba (its observability MCP server marks these
 * tools deprecated; the successor is a billed CMS 2.0 API).
 */
import { createSlsAiClient, loadSlsSdk, slsAiEndpoint } from '../../clients/sls-client.ts';
import { toToolFailure } from '../../errors/map-error.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { callRead } from '../../upstream/call-upstream.ts';
import type { ToolContext } from '../tool-context.ts';

export interface AssistantAnswer {
  /** The query found in the answer (a fenced code block, else the whole answer). */
  query: string;
  /** The assistant's full answer text. */
  answer: string;
  backend: string;
}

export interface QueryAssistant {
  textToSql(input: { region: string; project: string; logstore: string; text: string }): Promise<AssistantAnswer>;
  diagnoseSql(input: { region: string; project: string; logstore: string; query: string; errorMessage: string }): Promise<AssistantAnswer>;
  textToPromql(input: { region: string; project: string; metricstore: string; text: string }): Promise<AssistantAnswer>;
}

const ANSWER_MARKER = '------answer------';

/** The text after the `------answer------` line, and the first fenced code block in it. */
export function parseAiAnswer(raw: string): { answer: string; query: string } {
  const index = raw.indexOf(ANSWER_MARKER);
  const answer = (index >= 0 ? raw.slice(index + ANSWER_MARKER.length) : raw).trim();
  const fenced = /```[a-zA-Z]*\n([\s\S]*?)```/.exec(answer);
  return { answer, query: (fenced?.[1] ?? answer).trim() };
}

function withTime(text: string): string {
  return `${text}\n(current time: ${new Date().toISOString()})`;
}

/** Log Service CallAiTools (`text_to_sql`, `diagnosis_sql`, `text_to_promql`). */
export function slsAiToolsAssistant(ctx: ToolContext): QueryAssistant {
  async function call(toolName: string, region: string, params: Record<string, string>): Promise<AssistantAnswer> {
    const { endpoint } = slsAiEndpoint(ctx.config, toolName, region);
    const backend = `SLS CallAiTools ${toolName} (${endpoint})`;
    let raw: string;
    try {
      const { models } = await loadSlsSdk();
      const client = await createSlsAiClient(ctx.config, await ctx.credentials(), toolName, region);
      const request = new models.CallAiToolsRequest({ toolName, params, regionId: region });
      const response = await callRead(ctx.retry, () => client.callAiTools(request), ctx.signal);
      raw = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
    } catch (error) {
      if (error instanceof ToolFailure && error.code === 'NoCredentials') throw error;
      const failure = toToolFailure(error);
      const denied =
        failure.details.httpStatus === 401 || failure.details.httpStatus === 403 || /Unauthorized|Forbidden|Denied/i.test(failure.code);
      throw new ToolFailure(
        denied ? 'TranslationNotAuthorized' : 'TranslationUnavailable',
        `${backend} ${denied ? 'refused these credentials' : 'is unavailable'}: ${failure.code}: ${failure.message.replace(`${failure.code}: `, '')}`,
        {
          requestId: failure.details.requestId,
          hint: denied
            ? 'Grant log:CallAiTools to this identity, or write the query yourself. Running queries does not depend on translation.'
            : 'Alibaba has deprecated these AI tools; write the query yourself and run it with the execute tool, which does not depend on translation.',
        },
      );
    }
    const parsed = parseAiAnswer(raw);
    if (!parsed.answer)
      throw new ToolFailure('TranslationUnavailable', `${backend} returned an empty answer.`, { hint: 'Write the query yourself.' });
    return { ...parsed, backend };
  }
  return {
    textToSql: (input) =>
      call('text_to_sql', input.region, { project: input.project, logstore: input.logstore, 'sys.query': withTime(input.text) }),
    diagnoseSql: (input) =>
      call('diagnosis_sql', input.region, {
        project: input.project,
        logstore: input.logstore,
        'sys.query': withTime(`Diagnose this Log Service query: ${input.query}\nIt failed with: ${input.errorMessage}`),
      }),
    textToPromql: (input) =>
      call('text_to_promql', input.region, { project: input.project, metricstore: input.metricstore, 'sys.query': withTime(input.text) }),
  };
}
