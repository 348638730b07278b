import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureKubectl } from '../../../layers/kubectl/kubectl-binary.ts';
import { findResourceType } from './resources.ts';
import { CRASHING_POD, SEED_NODES } from './seed.ts';
import { startFakeKubeApiServer, type FakeKubeApiServer } from './server.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('fake Kubernetes API server with real kubectl 1.33', () => {
  let kube: FakeKubeApiServer;
  let dir: string;
  let kubectlPath: string;

  const kubectl = (args: string[], stdin?: string, kubeconfig = join(dir, 'alice.yaml')): Promise<Run> =>
    new Promise((resolve) => {
      const child = execFile(
        kubectlPath,
        [...args, `--kubeconfig=${kubeconfig}`, '--request-timeout=10s'],
        { env: { HOME: dir, KUBERC: 'off', PATH: '/usr/bin:/bin' } },
        (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? '');
    });

  before(async () => {
    kubectlPath = await ensureKubectl();
    kube = await startFakeKubeApiServer();
    dir = await mkdtemp(join(tmpdir(), 'fake-kube-test-'));
    await writeFile(join(dir, 'alice.yaml'), kube.kubeconfig('alice', ['devs']));
  });
  after(async () => {
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists pods in all namespaces as a table', async () => {
    const r = await kubectl(['get', 'pods', '-A']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    assert.match(r.stdout, new RegExp(`default\\s+${CRASHING_POD}\\s+0/1\\s+CrashLoopBackOff\\s+42`));
    assert.match(r.stdout, /kube-system\s+coredns-\S+\s+1\/1\s+Running/);
    assert.match(r.stdout, /kube-system\s+terway-eniip-\S+\s+2\/2\s+Running/);
    assert.ok(kube.requests.some((q) => q.user === 'alice' && q.path.startsWith('/api/v1/pods')));
  });

  it('shows ACK nodes with -o wide', async () => {
    const r = await kubectl(['get', 'nodes', '-o', 'wide']);
    assert.equal(r.code, 0, r.stderr);
    for (const node of SEED_NODES) assert.match(r.stdout, new RegExp(`${node.replace(/\./g, '\\.')}\\s+Ready`));
    assert.match(r.stdout, /INTERNAL-IP/);
  });

  it('describes the crash-looping pod with its BackOff events', async () => {
    const r = await kubectl(['describe', 'pod', CRASHING_POD, '-n', 'default']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Reason:\s+CrashLoopBackOff/);
    assert.match(r.stdout, /Warning\s+BackOff\s+.*Back-off restarting failed container billing-worker/);
  });

  it('prints the tail of a pod log', async () => {
    const r = await kubectl(['logs', CRASHING_POD, '--tail=1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '2025-01-01T10:00:06Z FATAL cannot reach database, exiting with code 1\n');
  });

  it('lists events', async () => {
    const r = await kubectl(['get', 'events', '-n', 'default']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Warning\s+BackOff\s+pod\/billing-worker/);
  });

  it('applies a manifest from stdin, then updates it', async () => {
    const manifest = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: feature-flags\n  namespace: default\ndata:\n  checkout: "${value}"\n`;
    const created = await kubectl(['apply', '-f', '-'], manifest('on'));
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'configmap/feature-flags created');
    const configured = await kubectl(['apply', '-f', '-'], manifest('off'));
    assert.equal(configured.stdout.trim(), 'configmap/feature-flags configured');
    const read = await kubectl(['get', 'configmap', 'feature-flags', '-o', 'jsonpath={.data.checkout}']);
    assert.equal(read.stdout, 'off');
  });

  it('scales the web deployment and reports the rollout', async () => {
    const r = await kubectl(['scale', 'deployment', 'web', '--replicas=3']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'deployment.apps/web scaled');
    const get = await kubectl(['get', 'deployment', 'web']);
    assert.match(get.stdout, /web\s+3\/3\s+3\s+3/);
    const status = await kubectl(['rollout', 'status', 'deployment/web']);
    assert.equal(status.stdout.trim(), 'deployment "web" successfully rolled out');
    const restart = await kubectl(['rollout', 'restart', 'deployment/web']);
    assert.equal(restart.stdout.trim(), 'deployment.apps/web restarted');
    const history = await kubectl(['rollout', 'history', 'deployment/web']);
    assert.match(history.stdout, /REVISION\s+CHANGE-CAUSE\n1\s+<none>/);
  });

  it('deletes a configmap', async () => {
    const r = await kubectl(['delete', 'configmap', 'app-config']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'configmap "app-config" deleted');
    const gone = await kubectl(['get', 'configmap', 'app-config']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /NotFound.*configmaps "app-config" not found/);
  });

  it('answers auth can-i and auth whoami', async () => {
    assert.equal((await kubectl(['auth', 'can-i', 'list', 'pods'])).stdout.trim(), 'yes');
    assert.equal((await kubectl(['auth', 'can-i', 'get', 'secrets'])).stdout.trim(), 'no');
    const whoami = await kubectl(['auth', 'whoami']);
    assert.match(whoami.stdout, /Username\s+alice/);
    assert.match(whoami.stdout, /Groups\s+\[devs system:authenticated\]/);
  });

  it("refuses what RBAC forbids with the API server's 403 message, and auth can-i agrees", async () => {
    await writeFile(join(dir, 'carol.yaml'), kube.kubeconfig('carol'));
    const carol = join(dir, 'carol.yaml');
    kube.rbac.forbid('carol', ['delete', 'list']);
    try {
      const deleted = await kubectl(['delete', 'pod', CRASHING_POD, '-n', 'default'], undefined, carol);
      assert.notEqual(deleted.code, 0);
      assert.equal(
        deleted.stderr.trim(),
        `Error from server (Forbidden): pods "${CRASHING_POD}" is forbidden: User "carol" cannot delete resource "pods" in API group "" in the namespace "default"`,
      );
      const listed = await kubectl(['get', 'nodes'], undefined, carol);
      assert.match(
        listed.stderr,
        /Error from server \(Forbidden\): nodes is forbidden: User "carol" cannot list resource "nodes" in API group "" at the cluster scope/,
      );
      const read = await kubectl(['get', 'pod', CRASHING_POD, '-n', 'default', '-o', 'name'], undefined, carol);
      assert.equal(read.stdout.trim(), `pod/${CRASHING_POD}`, 'what is not forbidden still works');
      assert.equal((await kubectl(['auth', 'can-i', 'delete', 'pods'], undefined, carol)).stdout.trim(), 'no');
      assert.equal((await kubectl(['auth', 'can-i', 'get', 'pods'], undefined, carol)).stdout.trim(), 'yes');
      assert.equal(
        (await kubectl(['delete', 'pod', 'nothing-here', '--dry-run=server'])).stderr.includes('Forbidden'),
        false,
        'other users are not affected',
      );
      assert.ok(
        kube.store.list(findResourceType('', 'v1', 'pods')!, 'default').some((pod) => pod.metadata.name === CRASHING_POD),
        'the refused delete changed nothing',
      );
    } finally {
      kube.rbac.clear();
    }
  });

  it('serves the seeded Secret with its data and last-applied annotation', async () => {
    const r = await kubectl(['get', 'secret', 'db-credentials', '-o', 'json']);
    const secret = JSON.parse(r.stdout);
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 'S3cr3t-P@ssw0rd');
    assert.match(secret.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /S3cr3t-P@ssw0rd/);
  });

  it('rejects requests without a client certificate', async () => {
    const { statusCode, body } = await new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
      const req = request(`${kube.url}/api/v1/namespaces/default/secrets`, { ca: kube.caPem }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(statusCode, 401);
    assert.deepEqual(JSON.parse(body), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    assert.equal(kube.requests.at(-1)?.user, '');

    // A bearer token but no client certificate: this server only trusts certificates.
    const noCert = kube
      .kubeconfig('bob')
      .replace(/ {4}client-certificate-data: .*\n {4}client-key-data: .*\n/, '    token: not-a-certificate\n');
    await writeFile(join(dir, 'nocert.yaml'), noCert);
    const r = await kubectl(['get', 'pods'], undefined, join(dir, 'nocert.yaml'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /You must be logged in to the server|Unauthorized/);
  });

  it('never answers requests matching setHang, so a client deadline fires', async () => {
    kube.setHang('/api/v1/namespaces/default/pods');
    try {
      const r = await new Promise<Run>((resolve) => {
        execFile(
          kubectlPath,
          ['get', 'pods', '-n', 'default', `--kubeconfig=${join(dir, 'alice.yaml')}`, '--request-timeout=1s'],
          { env: { HOME: dir, KUBERC: 'off', PATH: '/usr/bin:/bin' } },
          (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
        );
      });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /Timeout|deadline|timed out/i);
    } finally {
      kube.clearHang();
    }
  });
  it('discovers the cluster with aggregated discovery (two requests) as a 1.33 API server offers it, and lists its resources from it', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'fake-kube-discovery-'));
    try {
      const before = kube.requests.length;
      const r = await kubectl(['get', 'deployments', '-n', 'default', `--cache-dir=${cacheDir}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^NAME\s+READY/);
      const discovery = kube.requests
        .slice(before)
        .filter(
          (q) =>
            q.path.startsWith('/api?') ||
            q.path.startsWith('/apis?') ||
            (/^\/apis?\/[^?]*\?/.test(q.path) && !q.path.includes('/namespaces/')),
        );
      assert.deepEqual(discovery.map((q) => q.path.split('?')[0]).sort(), ['/api', '/apis']);
      assert.ok(discovery.every((q) => q.accept.startsWith('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')));
      const resources = await kubectl(['api-resources', `--cache-dir=${cacheDir}`]);
      assert.equal(resources.code, 0, resources.stderr);
      assert.match(resources.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(resources.stdout, /^selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview$/m);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
