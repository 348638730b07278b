/** Plain functions over the Log Service SDK: GetLogsV2, ListLogStores and GetIndex, errors explained once. */
import { loadSlsSdk, type SlsClient } from '../../clients/sls-client.ts';
import { toToolFailure } from '../../errors/map-error.ts';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { callRead, type RetryPolicy } from '../../upstream/call-upstream.ts';
import { linesToAsk, splitQuery } from './log-rows.ts';

export interface LogQuery {
  project: string;
  logstore: string;
  query: string;
  from: number;
  to: number;
  /** Rows wanted: a search asks for one more (to learn whether more match); SQL results are cut by the caller. */
  limit: number;
}

export interface LogQueryResult {
  rows: Array<Record<string, string>>;
  /** SLS `progress`: `Complete`, or `Incomplete` when SLS did not scan everything. */
  progress: string;
  complete: boolean;
  processed_rows: number;
  /** Rows Log Service returned, before this server's bound. */
  returned_rows: number;
  elapsed_ms: number;
  has_sql: boolean;
}

/** Where a query went, so that a failure can say what was tried. */
export interface SlsTarget {
  region: string;
  project: string;
  projectSource: string;
  logstore?: string;
  kind?: 'logstore' | 'metricstore';
}

/** Maps an SLS error to what the agent sees, naming the project/logstore that was tried. */
export function slsFailure(error: unknown, target: SlsTarget): ToolFailure {
  if (error instanceof ToolFailure) return error;
  const failure = toToolFailure(error);
  const raw = failure.message.startsWith(`${failure.code}: `) ? failure.message.slice(failure.code.length + 2) : failure.message;
  const details = { requestId: failure.details.requestId, httpStatus: failure.details.httpStatus, retryable: failure.details.retryable };
  if (failure.code === 'ProjectNotExist') {
    return new ToolFailure(
      'ProjectNotExist',
      `Log Service project ${target.project} not found in ${target.region} (project from ${target.projectSource}): is log collection enabled for this cluster?`,
      {
        ...details,
        hint: 'Enable log collection for the cluster, or pass `project` if it logs to another project; list_log_stores shows what was found.',
      },
    );
  }
  if (failure.code === 'LogStoreNotExist' || failure.code === 'MetricStoreNotExist') {
    const what = target.kind ?? 'logstore';
    return new ToolFailure(
      failure.code,
      `${what} ${target.logstore ?? '?'} not found in project ${target.project} (${target.region}; project from ${target.projectSource}).`,
      { ...details, hint: 'list_log_stores shows the logstores and metricstores of this cluster.' },
    );
  }
  if (failure.code === 'Unauthorized' && /denied by sts or ram/i.test(raw)) {
    const action = /action: ([\w:]+)/.exec(raw)?.[1] ?? 'the Log Service action';
    return new ToolFailure(failure.code, raw, {
      ...details,
      hint: `RAM does not allow ${action} on project ${target.project} for this identity: grant it (see the README's RAM policy), or use another identity.`,
    });
  }
  return new ToolFailure(failure.code, raw, { ...details, hint: failure.details.hint });
}

export async function getLogs(
  client: SlsClient,
  retry: RetryPolicy,
  query: LogQuery,
  target: SlsTarget,
  signal?: AbortSignal,
): Promise<LogQueryResult> {
  const { models } = await loadSlsSdk();
  const request = new models.GetLogsV2Request({
    from: query.from,
    to: query.to,
    query: query.query,
    line: linesToAsk(query.limit),
    offset: 0,
    reverse: true,
  });
  try {
    const { body } = await callRead(retry, () => client.getLogsV2(query.project, query.logstore, request), signal);
    const data = (body?.data ?? []) as Array<Record<string, string>>;
    const progress = body?.meta?.progress ?? 'Unknown';
    return {
      rows: data,
      progress,
      complete: progress === 'Complete',
      processed_rows: body?.meta?.processedRows ?? 0,
      returned_rows: data.length,
      elapsed_ms: body?.meta?.elapsedMillisecond ?? 0,
      has_sql: body?.meta?.hasSQL ?? splitQuery(query.query).sql !== undefined,
    };
  } catch (error) {
    throw slsFailure(error, target);
  }
}

/** Logstore (or, with `metrics`, metricstore) names of a project. */
export async function listStores(
  client: SlsClient,
  retry: RetryPolicy,
  project: string,
  metrics: boolean,
  target: SlsTarget,
  signal?: AbortSignal,
): Promise<string[]> {
  const { models } = await loadSlsSdk();
  const request = new models.ListLogStoresRequest({ offset: 0, size: 500, ...(metrics ? { telemetryType: 'Metrics' } : {}) });
  try {
    const { body } = await callRead(retry, () => client.listLogStores(project, request), signal);
    return body?.logstores ?? [];
  } catch (error) {
    throw slsFailure(error, target);
  }
}

export interface IndexField {
  name: string;
  type: string;
  alias: string;
  /** Analytics on (`doc_value`): the field can be used in SQL. */
  sql: boolean;
  /** Sub-keys of a `json` field that are indexed themselves. */
  json_keys: string[];
}

export interface LogstoreIndex {
  fields: IndexField[];
  full_text: boolean;
  ttl_days: number | null;
}

/** A logstore's index (GetIndex): its fields and types, whether full-text search is on. */
export async function getIndex(
  client: SlsClient,
  retry: RetryPolicy,
  project: string,
  logstore: string,
  target: SlsTarget,
  signal?: AbortSignal,
): Promise<LogstoreIndex> {
  try {
    const { body } = await callRead(retry, () => client.getIndex(project, logstore), signal);
    // The SDK casts the map's values as plain objects: the wire names (doc_value, json_keys) may be all there is.
    const fields = Object.entries(body?.keys ?? {}).map(([name, raw]) => {
      const key = (raw ?? {}) as {
        type?: string;
        alias?: string;
        docValue?: boolean;
        doc_value?: boolean;
        jsonKeys?: object;
        json_keys?: object;
      };
      return {
        name,
        type: key.type ?? 'text',
        alias: key.alias ?? '',
        sql: key.docValue ?? key.doc_value ?? false,
        json_keys: Object.keys(key.jsonKeys ?? key.json_keys ?? {}),
      };
    });
    return {
      fields: fields.sort((a, b) => a.name.localeCompare(b.name)),
      full_text: body?.line !== undefined && body.line !== null,
      ttl_days: body?.ttl ?? null,
    };
  } catch (error) {
    throw slsFailure(error, target);
  }
}
