/**
 * The Log Service API (`LOG`-signed): ListLogStores, GetLogsV2, GetIndex (`index-config.ts`), CallAiTools. Order of checks, as
 * Log Service: signature → STS token → Date → faults → RAM (`Unauthorized`) → project → operation.
 */
import type { Acs3Request } from '../acs3-product.ts';
import type { EmulatorContext } from '../context.ts';
import { EmulatorError } from '../http-util.ts';
import { findAccessKey } from '../world.ts';
import { authorizeLog, checkToken, header, resolveProject, send, storeResource, unknownAccessKey, type RecordFields } from './common.ts';
import { rowsOf } from './dataset.ts';
import { indexOf } from './index-config.ts';
import { checkLogDate, parseLogAuthorization, verifyLogSignature } from './log-signature.ts';
import { runLogQuery } from './sql-engine.ts';

/** The operations and the RAM action each needs. */
const OPERATIONS = {
  ListLogStores: { ramAction: 'log:ListLogStores' },
  GetLogsV2: { ramAction: 'log:GetLogStoreLogs' },
  CallAiTools: { ramAction: 'log:CallAiTools' },
  GetIndex: { ramAction: 'log:GetIndex' },
} as const;
type Operation = keyof typeof OPERATIONS;

/**
 * The project a request is for: the first label of its Host (`{project}.{endpoint}`), the only
 * place Log Service reads it from (an `x-log-project` header is not trusted). A Host that is the
 * bare endpoint (an IP) names no project.
 */
function projectOf(request: Acs3Request): string | undefined {
  const host = (header(request.req, 'host') ?? '').replace(/:\d+$/, '');
  const first = host.split('.')[0] ?? '';
  return host.includes('.') && !/^\d+$/.test(first) ? first : undefined;
}

/** ListLogStores paging (`offset`, `size` ≤ 500: the SDK's ListLogStoresRequest). */
function pageOf(query: URLSearchParams): { offset: number; size: number } {
  const offset = Number(query.get('offset') ?? '0');
  const size = Number(query.get('size') ?? '500');
  if (!Number.isInteger(offset) || offset < 0) throw new EmulatorError(400, 'ParameterInvalid', 'offset must be a non-negative integer.');
  if (!Number.isInteger(size) || size < 1 || size > 500)
    throw new EmulatorError(400, 'ParameterInvalid', 'size must be an integer from 1 to 500.');
  return { offset, size };
}

/**
 * Log Service's throttling answers (aliyun-log-go-sdk `error_code.go`; the observability MCP
 * server's error table): reads over quota are 403 `ReadQuotaExceed`, metadata operations 403
 * `MetaOperationQpsLimitExceeded`; an overloaded service answers 503 `ServerBusy`.
 */
function throttled(operation: Operation, kind: string): EmulatorError {
  if (kind === 'server-busy') return new EmulatorError(503, 'ServerBusy', 'The server is busy, please try again later.');
  return operation === 'ListLogStores' || operation === 'GetIndex'
    ? new EmulatorError(403, 'MetaOperationQpsLimitExceeded', 'Qps limit for the meta operation is exceeded.')
    : new EmulatorError(403, 'ReadQuotaExceed', 'Project read quota exceed.');
}

function jsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new EmulatorError(400, 'PostBodyInvalid', 'The request body is not valid JSON.');
  }
}

function operationOf(method: string, path: string): { operation: Operation; logstore?: string } | undefined {
  if (method === 'POST' && path === '/ml/tool/call') return { operation: 'CallAiTools' };
  if (method === 'GET' && path === '/logstores') return { operation: 'ListLogStores' };
  const index = /^\/logstores\/([^/]+)\/index$/.exec(path);
  if (method === 'GET' && index) return { operation: 'GetIndex', logstore: decodeURIComponent(index[1]!) };
  const logs = /^\/logstores\/([^/]+)\/logs$/.exec(path);
  if (method === 'POST' && logs) return { operation: 'GetLogsV2', logstore: decodeURIComponent(logs[1]!) };
  return undefined;
}

function aiAnswer(input: { toolName?: string; params?: Record<string, string>; regionId?: string }): string {
  const question = input.params?.['sys.query'] ?? '';
  let answer: string;
  if (input.toolName === 'text_to_sql')
    answer =
      'Warning events by reason:\n```sql\nlevel: Warning | SELECT reason, count(*) AS events GROUP BY reason ORDER BY events DESC LIMIT 10\n```';
  else if (input.toolName === 'diagnosis_sql')
    answer = `The query refers to a field that does not exist in logstore ${input.params?.logstore}. Use an existing key such as reason or level:\n\`\`\`sql\n* | SELECT reason, count(*) AS n GROUP BY reason\n\`\`\``;
  else if (input.toolName === 'text_to_promql')
    answer = 'CPU usage per node:\n```promql\n1 - avg by (node) (rate(node_cpu_seconds_total{mode="idle"}[5m]))\n```';
  else throw new EmulatorError(400, 'ParameterInvalid', `unknown tool ${input.toolName}`);
  return `question: ${question.split('\n')[0]}\nregion: ${input.regionId}\n------answer------\n${answer}`;
}

export async function serveSlsApi(ctx: EmulatorContext, request: Acs3Request, requestId: string, record: RecordFields): Promise<void> {
  const { req, url, body } = request;
  const method = req.method ?? 'GET';
  const auth = parseLogAuthorization(header(req, 'authorization'));
  if (!auth) throw new EmulatorError(401, 'Unauthorized', 'The Authorization header is missing or malformed.');
  record({ accessKeyId: auth.accessKeyId });
  const found = findAccessKey(ctx.world, auth.accessKeyId);
  if (!found) throw unknownAccessKey(auth.accessKeyId);
  const failure = verifyLogSignature(
    { method, path: url.pathname, query: url.searchParams, headers: req.headers, body },
    auth.signature,
    found.key.accessKeySecret,
  );
  if (failure) throw new EmulatorError(401, 'SignatureNotMatch', `Signature ${auth.signature} not matched: ${failure}`);
  checkToken(found.key, header(req, 'x-acs-security-token'), ctx.now());
  checkLogDate(header(req, 'date'), ctx.now());
  record({ accountId: found.account.accountId });

  const matched = operationOf(method, url.pathname);
  record({ action: matched?.operation ?? 'Unknown' });
  if (!matched) throw new EmulatorError(404, 'InvalidRequest', `${method} ${url.pathname} is not emulated`);
  const { operation } = matched;
  const fault = ctx.faults.take('sls', operation);
  if (fault) record({ fault: fault.kind });
  if (fault?.kind === 'throttle' || fault?.kind === 'server-busy') throw throttled(operation, fault.kind);
  if (fault?.kind === 'server-error') throw new EmulatorError(500, 'InternalServerError', 'Internal server error.');
  if (fault?.kind === 'service-unavailable') throw new EmulatorError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');
  const { ramAction } = OPERATIONS[operation];

  if (operation === 'CallAiTools') {
    const input = jsonBody(body) as { toolName?: string; params?: Record<string, string>; regionId?: string };
    record({ body: input });
    authorizeLog(found.key, ramAction, `acs:log:*:${found.account.accountId}:*`);
    send(request, 200, aiAnswer(input), requestId);
    record({ status: 200 });
    return;
  }

  const project = projectOf(request);
  if (!project) throw new EmulatorError(404, 'ProjectNotExist', 'The Host header names no project: expected {project}.{endpoint}.');
  const owner = resolveProject(ctx.world, found.account, project);
  if (operation === 'ListLogStores') {
    authorizeLog(found.key, ramAction, storeResource(found.account, owner, project, '*'));
    const metrics = url.searchParams.get('telemetryType') === 'Metrics';
    const { offset, size } = pageOf(url.searchParams);
    const stores = owner.kind === 'log' ? (metrics ? [] : owner.logstores) : metrics ? owner.metricstores : [];
    const page = stores.slice(offset, offset + size);
    send(request, 200, { count: page.length, total: stores.length, logstores: page }, requestId);
    record({ status: 200 });
    return;
  }

  const logstore = matched.logstore!;
  authorizeLog(found.key, ramAction, storeResource(found.account, owner, project, logstore));
  if (owner.kind !== 'log' || !owner.logstores.includes(logstore))
    throw new EmulatorError(404, 'LogStoreNotExist', `logstore ${logstore} does not exist`);
  if (operation === 'GetIndex') {
    send(request, 200, indexOf(rowsOf(owner.cluster, logstore)), requestId);
    record({ status: 200 });
    return;
  }
  const input = jsonBody(body) as { from?: number; to?: number; query?: string; line?: number; offset?: number; reverse?: boolean };
  record({ body: input });
  if (typeof input.from !== 'number' || typeof input.to !== 'number' || input.from >= input.to)
    throw new EmulatorError(400, 'ParameterInvalid', 'from and to must be set and from < to');
  const now = Math.floor(ctx.now() / 1000);
  const timed = rowsOf(owner.cluster, logstore)
    .map((row) => ({ time: now - row.ago, fields: row.fields }))
    .filter((row) => row.time >= input.from! && row.time < input.to!);
  const started = Date.now();
  const answer = await runLogQuery(timed, input.query ?? '*', {
    line: Math.min(input.line ?? 100, 100),
    offset: input.offset ?? 0,
    reverse: input.reverse ?? false,
  });
  // The SLS gateway asks for a compressed answer (`Accept-Encoding: lz4`); Log Service then compresses it.
  const lz4 = /\blz4\b/.test(header(req, 'accept-encoding') ?? '');
  send(
    request,
    200,
    {
      meta: {
        progress: fault?.kind === 'partial' ? 'Incomplete' : 'Complete',
        count: answer.rows.length,
        processedRows: answer.processedRows,
        elapsedMillisecond: Date.now() - started,
        hasSQL: answer.hasSql,
        keys: answer.keys,
      },
      data: answer.rows,
    },
    requestId,
    { lz4 },
  );
  record({ status: 200, ...(lz4 ? { encoding: 'lz4' } : {}) });
}
