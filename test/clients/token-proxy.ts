/**
 * A loopback HTTP proxy that adds `Authorization: Bearer <token>` to every request it forwards, for
 * clients that cannot send headers (the conformance suite). Everything else — method, path, the
 * other headers (Host and Origin included), body and the streamed answer — passes unchanged.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenProxy {
  /** The proxy's base URL (`http://127.0.0.1:<port>`). */
  url: string;
  close(): Promise<void>;
}

/** `target` may be given late (a function), so a server can be configured with the proxy's own address. */
export async function startTokenProxy(target: string | (() => string), token: string): Promise<TokenProxy> {
  const server: Server = createServer((incoming, outgoing) => {
    const upstream = new URL(typeof target === 'string' ? target : target());
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, authorization: `Bearer ${token}` },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    outgoing.on('close', () => forwarded.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
