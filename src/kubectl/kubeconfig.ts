/**
 * The kubeconfig ACK returns, read: `parseKubeconfig` (kept in memory only, never shown, never given to kubectl).
 * Imported only dynamically, by the first kubectl call (`loadKubeconfigParser`): it and its YAML library (~110 KB)
 * stay out of what every other tool's first call loads. The kubeconfig kubectl gets: ./proxy-kubeconfig.ts.
 */
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { ToolFailure } from '../errors/tool-failure.ts';

/** How to reach and authenticate to a cluster's API server. Secret: never logged, never returned. */
export interface UpstreamCluster {
  /** `https://host:port[/path]` */
  server: string;
  caPem: string | undefined;
  tlsServerName: string | undefined;
  clientCertPem: string | undefined;
  clientKeyPem: string | undefined;
  token: string | undefined;
  /** One-way digest of the credential (to key connection pools; changes when the credential does). */
  fingerprint: string;
}

type Named<T> = Array<{ name?: string; [key: string]: unknown } & T>;

function unusable(reason: string): ToolFailure {
  return new ToolFailure('KubeconfigUnusable', `The kubeconfig ACK returned for this cluster cannot be used: ${reason}.`, {
    hint: 'Check the cluster in the ACK console (its API server endpoint and your RAM/RBAC permissions).',
  });
}

const b64 = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? Buffer.from(value, 'base64').toString('utf8') : undefined;

/**
 * Read the cluster, CA and client credential of the current context.
 * @throws ToolFailure `KubeconfigUnusable` (the message never quotes the content).
 */
export function parseKubeconfig(text: string): UpstreamCluster {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch {
    throw unusable('it is not valid YAML');
  }
  if (!doc || typeof doc !== 'object') throw unusable('it is empty');
  const clusters = (doc.clusters ?? []) as Named<{ cluster?: Record<string, unknown> }>;
  const users = (doc.users ?? []) as Named<{ user?: Record<string, unknown> }>;
  const contexts = (doc.contexts ?? []) as Named<{ context?: { cluster?: string; user?: string } }>;
  const context =
    contexts.find((c) => c.name === doc['current-context'])?.context ?? (contexts.length === 1 ? contexts[0]!.context : undefined);
  const cluster = (context ? clusters.find((c) => c.name === context.cluster) : clusters.length === 1 ? clusters[0] : undefined)?.cluster;
  const user = (context ? users.find((u) => u.name === context.user) : users.length === 1 ? users[0] : undefined)?.user;
  if (!cluster || !user) throw unusable('it names no cluster and user for its current context');

  const server = typeof cluster.server === 'string' ? cluster.server : '';
  if (!/^https:\/\/[^\s/]+/.test(server)) throw unusable('its server is not an https:// URL');
  if (cluster['insecure-skip-tls-verify'] === true) throw unusable('it disables TLS verification');
  if (user.exec || user['auth-provider']) throw unusable('it needs a credential plugin, which this server does not run');
  if (cluster['certificate-authority'] || user['client-certificate'] || user['client-key'] || user.tokenFile) {
    throw unusable('it refers to files instead of embedding its data');
  }
  const clientCertPem = b64(user['client-certificate-data']);
  const clientKeyPem = b64(user['client-key-data']);
  const token = typeof user.token === 'string' && user.token ? user.token : undefined;
  if (!token && !(clientCertPem && clientKeyPem)) throw unusable('it holds neither a client certificate and key nor a token');
  const caPem = b64(cluster['certificate-authority-data']);
  const tlsServerName = typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined;
  const fingerprint = createHash('sha256')
    .update(`${server}\0${caPem ?? ''}\0${clientCertPem ?? ''}\0${clientKeyPem ?? ''}\0${token ?? ''}`)
    .digest('hex')
    .slice(0, 32);
  return { server, caPem, tlsServerName, clientCertPem, clientKeyPem, token, fingerprint };
}
