/**
 * Pod Security Standards baseline admission end to end: MCP over real HTTP → the real kubectl binary → the loopback
 * proxy, which reads the bodies kubectl sends (create, client- and server-side apply, the patch types) → the fake API
 * server. A read-write server refuses privileged pods, hostPath and host-namespace templates and ephemeral containers
 * before anything reaches the cluster, and says which field and which setting; `KUBECTL_ALLOW_PRIVILEGED=true` lets
 * them through; an ordinary Deployment applies either way.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { findResourceType } from '../emulator/kube/resources.ts';
import { CRASHING_POD } from '../emulator/kube/seed.ts';
import type { ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, startStack, type Stack } from '../support/stack.ts';

interface KubectlResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
}

const stacks: Record<'baseline' | 'privileged', Stack> = {} as never;
const clients: Record<string, Client> = {};
let cluster: ClusterRecord;

async function kubectl(which: keyof typeof stacks, command: string, manifest?: string): Promise<KubectlResult> {
  return (await clients[which]!.callTool({
    name: 'kubectl',
    arguments: { cluster_id: cluster.cluster_id, command, ...(manifest ? { manifest } : {}) },
  })) as unknown as KubectlResult;
}
const text = (result: KubectlResult) => result.content[0]!.text;
const kube = (which: keyof typeof stacks) => stacks[which].emulator.kube;
const pods = findResourceType('', 'v1', 'pods')!;
const deployments = findResourceType('apps', 'v1', 'deployments')!;
/** Writes that reached the API server (anything but GET). */
const writes = (which: keyof typeof stacks) =>
  kube(which)
    .requests.filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`);

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: root-shell
  namespace: default
spec:
  containers:
  - name: shell
    image: busybox
    command: ["sleep", "3600"]
    securityContext:
      privileged: true
`;
const HOSTPATH_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: node-reader
  namespace: default
spec:
  replicas: 1
  selector:
    matchLabels: {app: node-reader}
  template:
    metadata:
      labels: {app: node-reader}
    spec:
      containers:
      - name: reader
        image: busybox
        volumeMounts: [{name: host, mountPath: /host}]
      volumes:
      - name: host
        hostPath: {path: /}
`;
const ORDINARY_DEPLOYMENT = HOSTPATH_DEPLOYMENT.replaceAll('node-reader', 'ordinary').replace(
  /\n {8}volumeMounts.*\n {6}volumes:\n.*\n.*\n$/s,
  '\n',
);

before(async () => {
  const envs = { baseline: { ACCESS_MODE: 'read-write' }, privileged: { ACCESS_MODE: 'read-write', KUBECTL_ALLOW_PRIVILEGED: 'true' } };
  for (const [name, env] of Object.entries(envs) as Array<[keyof typeof stacks, Record<string, string>]>) {
    stacks[name] = await startStack({ env });
    cluster = stacks[name].emulator.world.accounts[0]!.clusters[0]!;
    clients[name] = await stacks[name].client(callerHeaders(stacks[name].emulator.world.accounts[0]!.accessKeys[0]!));
  }
});
after(() => Promise.all(Object.values(stacks).map((stack) => stack.close())));
beforeEach(() => {
  for (const stack of Object.values(stacks)) stack.emulator.kube.requests.length = 0;
});

describe('kubectl: Pod Security Standards baseline (the default)', () => {
  test('apply of a privileged pod is refused by the proxy, naming the field and the setting; nothing is created', async () => {
    const result = await kubectl('baseline', 'apply -f -', PRIVILEGED_POD);
    assert.equal(result.isError, true);
    assert.match(
      text(result),
      /Error from server \(Forbidden\).*the MCP server's kubectl policy refused this request: spec\.containers\[0\]\.securityContext\.privileged=true \(privileged containers\) is not allowed by the Kubernetes Pod Security Standards "baseline" profile/,
    );
    assert.match(text(result), /KUBECTL_ALLOW_PRIVILEGED=true/);
    assert.match(text(result), /Hint: This server's kubectl policy refused a request/);
    assert.deepEqual(writes('baseline'), []);
    assert.equal(kube('baseline').store.get(pods, 'default', 'root-shell'), undefined);
  });

  test('apply of a Deployment with a hostPath volume, and its server-side apply, are refused', async () => {
    for (const command of ['apply -f -', 'apply --server-side -f -', 'create -f -']) {
      const result = await kubectl('baseline', command, HOSTPATH_DEPLOYMENT);
      assert.equal(result.isError, true, command);
      assert.match(text(result), /spec\.template\.spec\.volumes\[0\]\.hostPath=\{"path":"\/"\} \(hostPath volumes\)/, command);
    }
    assert.deepEqual(writes('baseline'), []);
    assert.equal(kube('baseline').store.get(deployments, 'default', 'node-reader'), undefined);
  });

  test('a patch that adds hostNetwork (strategic merge, merge and JSON patch) is refused; web keeps its spec', async () => {
    const before = JSON.stringify(kube('baseline').store.get(deployments, 'default', 'web')!.spec);
    const patches = [
      `patch deployment web -n default -p '{"spec":{"template":{"spec":{"hostNetwork":true}}}}'`,
      `patch deployment web -n default --type=merge -p '{"spec":{"template":{"spec":{"hostPID":true}}}}'`,
      `patch deployment web -n default --type=json -p '[{"op":"add","path":"/spec/template/spec/hostNetwork","value":true}]'`,
    ];
    for (const command of patches) {
      const result = await kubectl('baseline', command);
      assert.equal(result.isError, true, command);
      assert.match(text(result), /spec\.template\.spec\.host(Network|PID)=true \(host namespaces\)/, command);
    }
    assert.deepEqual(writes('baseline'), []);
    assert.equal(JSON.stringify(kube('baseline').store.get(deployments, 'default', 'web')!.spec), before);
  });

  test('ephemeral containers: `--subresource=ephemeralcontainers` and `debug` never reach the cluster', async () => {
    const patched = await kubectl(
      'baseline',
      `patch pod ${CRASHING_POD} -n default --subresource=ephemeralcontainers -p '{"spec":{"ephemeralContainers":[{"name":"dbg","image":"busybox"}]}}'`,
    );
    assert.equal(patched.isError, true);
    assert.match(text(patched), /ephemeral containers|ephemeralcontainers/);
    const debugged = await kubectl('baseline', `debug ${CRASHING_POD} -n default --image=busybox`);
    assert.equal(debugged.isError, true);
    assert.deepEqual(writes('baseline'), []);
  });

  test('`--privileged` is refused with what is enforced and the setting, not a blanket "not available"', async () => {
    const result = await kubectl('baseline', 'create deployment shell --image=busybox --privileged -n default');
    assert.equal(result.isError, true);
    assert.match(text(result), /Pod Security Standards "baseline" profile.*KUBECTL_ALLOW_PRIVILEGED=true.*apply -f -/);
    assert.doesNotMatch(text(result), /not available through this tool/);
  });

  test('an ordinary Deployment still applies, and kubectl set image on it goes through', async () => {
    const applied = await kubectl('baseline', 'apply -f -', ORDINARY_DEPLOYMENT);
    assert.equal(applied.isError, undefined, text(applied));
    assert.equal(text(applied), 'deployment.apps/ordinary created');
    const changed = await kubectl('baseline', 'set image deployment/ordinary reader=busybox:1.37 -n default');
    assert.equal(changed.isError, undefined, text(changed));
    assert.equal(kube('baseline').store.get(deployments, 'default', 'ordinary')!.spec.template.spec.containers[0].image, 'busybox:1.37');
  });
});

describe('kubectl: KUBECTL_ALLOW_PRIVILEGED=true', () => {
  test("the operator's setting lets a privileged pod and a hostPath Deployment through", async () => {
    const pod = await kubectl('privileged', 'apply -f -', PRIVILEGED_POD);
    assert.equal(pod.isError, undefined, text(pod));
    assert.equal(text(pod), 'pod/root-shell created');
    assert.equal(kube('privileged').store.get(pods, 'default', 'root-shell')!.spec.containers[0].securityContext.privileged, true);
    const deployment = await kubectl('privileged', 'apply -f -', HOSTPATH_DEPLOYMENT);
    assert.equal(text(deployment), 'deployment.apps/node-reader created');
  });
});
