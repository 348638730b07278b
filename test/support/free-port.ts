import { createServer, type AddressInfo } from 'node:net';

/** A port free now, so that a URL naming it (an OAuth resource that tokens are issued for) is known before the server listens. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
