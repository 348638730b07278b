/** What the Log Service API and the metricstores' Prometheus API share: answers, STS tokens, RAM, projects. */
import type { IncomingMessage } from 'node:http';
import type { Acs3Request } from '../acs3-product.ts';
import { EmulatorError } from '../http-util.ts';
import type { AccessKey, AccountRecord, ClusterRecord, World } from '../world.ts';
import { hasPrometheus, logstoresIn, prometheusProjectOf } from './dataset.ts';
import { lz4CompressBlock } from './lz4-block.ts';

/** Records fields of the current request in its call-log entry. */
export type RecordFields = (fields: Record<string, unknown>) => void;

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Sends an answer; with `lz4`, compressed the way Log Service does (`x-log-compresstype`, `x-log-bodyrawsize`). */
export function send(request: Acs3Request, status: number, body: unknown, requestId: string, options: { lz4?: boolean } = {}): void {
  if (request.res.destroyed) return;
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  const payload = options.lz4 ? lz4CompressBlock(raw) : raw;
  request.res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain;charset=utf-8' : 'application/json',
    'x-log-requestid': requestId,
    'content-length': payload.length,
    ...(options.lz4 ? { 'x-log-compresstype': 'lz4', 'x-log-bodyrawsize': String(raw.length) } : {}),
  });
  request.res.end(payload);
}

/**
 * An STS key must bring its own, unexpired token. Log Service answers every credential problem
 * with 401 `Unauthorized`, told apart only by the message (the messages of
 * aliyun/alibabacloud-observability-mcp-server `pkg/errors/api_errors.go`).
 */
export function checkToken(key: AccessKey, token: string | undefined, now: number): void {
  if (key.securityToken === undefined) return;
  if (!token || token !== key.securityToken) throw new EmulatorError(401, 'Unauthorized', 'The security token you provided is invalid.');
  if ((key.expiresAt ?? Infinity) <= now) throw new EmulatorError(401, 'Unauthorized', 'The security token you provided has expired.');
}

/** Log Service's answer to an AccessKey id it does not know (401 `Unauthorized`, same source). */
export function unknownAccessKey(accessKeyId: string): EmulatorError {
  return new EmulatorError(401, 'Unauthorized', `AccessKeyId not found: ${accessKeyId}`);
}

/** Log Service's answer to an action the key's RAM policy does not allow (HTTP 401 `Unauthorized`). */
export function authorizeLog(key: AccessKey, ramAction: string, resource: string): void {
  if (key.deniedActions?.includes(ramAction)) {
    throw new EmulatorError(401, 'Unauthorized', `denied by sts or ram, action: ${ramAction}, resource: ${resource}`);
  }
}

export type ProjectOwner =
  | { kind: 'log'; cluster: ClusterRecord; logstores: string[] }
  | { kind: 'prometheus'; clusters: ClusterRecord[]; metricstores: string[] };

function ownerIn(account: AccountRecord, project: string): ProjectOwner | undefined {
  for (const cluster of account.clusters) {
    const logstores = logstoresIn(cluster, project);
    if (logstores) return { kind: 'log', cluster, logstores };
  }
  const clusters = account.clusters.filter((cluster) => prometheusProjectOf(account, cluster) === project);
  if (clusters.length)
    return { kind: 'prometheus', clusters, metricstores: clusters.filter(hasPrometheus).map((c) => `aliyun-prom-${c.cluster_id}`) };
  return undefined;
}

/**
 * The project's owner in the caller's account. Project names are unique per region across
 * accounts, so another account's project is not "missing": Log Service answers 401
 * `Unauthorized` "The project does not belong to you." (observability MCP server's error table);
 * a name no account uses is 404 `ProjectNotExist`.
 */
export function resolveProject(world: World, account: AccountRecord, project: string): ProjectOwner {
  const own = ownerIn(account, project);
  if (own) return own;
  if (world.accounts.some((other) => other !== account && ownerIn(other, project))) {
    throw new EmulatorError(401, 'Unauthorized', 'The project does not belong to you.');
  }
  throw new EmulatorError(404, 'ProjectNotExist', `Project ${project} does not exist`);
}

export function regionOf(owner: ProjectOwner): string {
  return owner.kind === 'log' ? owner.cluster.region_id : (owner.clusters[0]?.region_id ?? '*');
}

/** The RAM resource of a logstore or metricstore (`acs:log:{region}:{account}:project/{project}/logstore/{store}`). */
export function storeResource(account: AccountRecord, owner: ProjectOwner, project: string, store: string): string {
  return `acs:log:${regionOf(owner)}:${account.accountId}:project/${project}/logstore/${store}`;
}
