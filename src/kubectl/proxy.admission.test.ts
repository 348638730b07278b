/**
 * The proxy's pod admission on the wire, with raw requests a session token allows (no kubectl in between): bodies
 * sent whole or chunked, over the size limit, or cut off, and what reaches the fake API server in each case.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, beforeEach, describe, test } from 'node:test';
import { findResourceType } from '../../test/emulator/kube/resources.ts';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../../test/emulator/kube/server.ts';
import { parseKubeconfig } from './kubeconfig.ts';
import { MAX_ADMISSION_BODY_BYTES } from './pod-admission.ts';
import { KubectlProxy, type ProxySession } from './proxy.ts';

let kube: FakeKubeApiServer;
let proxy: KubectlProxy;
const pods = () => findResourceType('', 'v1', 'pods')!;

function open(allowPrivileged = false): Promise<ProxySession> {
  const upstream = parseKubeconfig(kube.kubeconfig('alice'));
  return proxy.open({
    upstream,
    policy: { mode: 'read-write', allowSecrets: false, allowExec: false, allowPrivileged },
    poolKey: 'id-alice\0c',
    audit: { cluster: 'c', identity: 'id-alice' },
  });
}

/** Send `parts` as the body, chunked (no content-length) unless `length` is given; resolves with the answer. */
function send(
  session: ProxySession,
  method: string,
  path: string,
  contentType: string,
  parts: Array<string | Buffer>,
  length?: number,
): Promise<{ status: number; body: any }> {
  const { hostname, port } = new URL(session.url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${session.token}`, 'content-type': contentType };
    if (length !== undefined) headers['content-length'] = length;
    const req = request({ hostname, port, path, method, ca: session.caPem, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

const pod = (name: string, spec: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  });
const CREATE = '/api/v1/namespaces/default/pods';

before(async () => {
  kube = await startFakeKubeApiServer();
  proxy = new KubectlProxy();
});
after(async () => {
  await proxy.close();
  await kube.close();
});
beforeEach(() => {
  kube.requests.length = 0;
});

describe('proxy: pod admission on the wire', () => {
  test('a chunked body is read whole before it is judged: hostPID split across chunks is refused, nothing forwarded', async () => {
    const session = await open();
    const body = pod('split', { hostPID: true });
    const answer = await send(session, 'POST', CREATE, 'application/json', [body.slice(0, 40), body.slice(40, 90), body.slice(90)]);
    assert.equal(answer.status, 403);
    assert.deepEqual([answer.body.kind, answer.body.reason, answer.body.code], ['Status', 'Forbidden', 403]);
    assert.match(answer.body.message, /spec\.hostPID=true \(host namespaces\).*KUBECTL_ALLOW_PRIVILEGED=true/);
    assert.equal(kube.requests.length, 0);
    assert.equal(session.refusedRequests, 1);
    session.close();
  });

  test('an allowed pod is forwarded with exactly the body judged, chunked or not', async () => {
    const session = await open();
    const chunked = pod('chunked', {});
    assert.equal((await send(session, 'POST', CREATE, 'application/json', [chunked.slice(0, 10), chunked.slice(10)])).status, 201);
    const whole = pod('whole', { hostNetwork: false });
    assert.equal((await send(session, 'POST', CREATE, 'application/json', [whole], Buffer.byteLength(whole))).status, 201);
    assert.deepEqual(
      kube.requests.map((r) => r.method),
      ['POST', 'POST'],
    );
    assert.equal(kube.store.get(pods(), 'default', 'chunked')?.spec.containers[0].image, 'busybox');
    assert.equal(kube.store.get(pods(), 'default', 'whole')?.spec.hostNetwork, false);
    session.close();
  });

  test('a body over the limit gets 413 (declared or streamed) and the proxy keeps serving', async () => {
    const session = await open();
    const declared = await send(session, 'POST', CREATE, 'application/json', ['{}'], MAX_ADMISSION_BODY_BYTES + 1).catch(() => ({
      status: 0,
      body: null,
    }));
    // The answer comes before the (never sent) body: either the 413 or a cut connection, never a forward.
    assert.equal(declared.status, 413);
    const big = Buffer.alloc(MAX_ADMISSION_BODY_BYTES + 1024, 0x20);
    const streamed = await send(session, 'POST', CREATE, 'application/json', [big.subarray(0, 1024 * 1024), big.subarray(1024 * 1024)]);
    assert.equal(streamed.status, 413);
    assert.match(streamed.body.message, /reads pod writes up to 3145728 bytes/);
    assert.equal(kube.requests.length, 0);
    const after = pod('after-413', {});
    assert.equal((await send(session, 'POST', CREATE, 'application/json', [after])).status, 201);
    session.close();
  });

  test('with KUBECTL_ALLOW_PRIVILEGED the body is streamed through unread', async () => {
    const session = await open(true);
    assert.equal((await send(session, 'POST', CREATE, 'application/json', [pod('privileged', { hostPID: true })])).status, 201);
    assert.equal(kube.store.get(pods(), 'default', 'privileged')?.spec.hostPID, true);
    session.close();
  });
});
