/**
 * The settings every @alicloud SDK client of this server shares: the request's credentials, the
 * endpoint, the protocol, the timeouts and the user agent.
 */
import type { Config } from '../config.ts';
import type { AliyunCredentials } from '../credentials/aliyun-credentials.ts';

export function sdkClientConfig(
  config: Config,
  credentials: AliyunCredentials,
  endpoint: string,
  regionId: string,
): Record<string, unknown> {
  return {
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    securityToken: credentials.securityToken,
    type: credentials.securityToken ? 'sts' : 'access_key',
    endpoint,
    regionId,
    protocol: config.endpointProtocol,
    // The SDK's "connect" timeout is a socket idle timer (http.request's `timeout`) that keeps
    // running while the answer is awaited: set to 5 s, every answer slower than 5 s would fail
    // as "ConnectTimeout" (and a write as outcome unknown) whatever the read timeout says. So it
    // is never shorter than the read timeout; `callRead`/`callWrite` bound each attempt to
    // connect + read timeout anyway.
    connectTimeout: Math.max(config.upstream.connectTimeoutMs, config.upstream.readTimeoutMs),
    readTimeout: config.upstream.readTimeoutMs,
    userAgent: 'ack-mcp-server',
  };
}
