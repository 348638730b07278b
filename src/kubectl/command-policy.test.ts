import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKubectlCommand, type KubectlPolicyOptions, type KubectlRule } from './command-policy.ts';
import { prng } from '../../test/support/prng.ts';

const RO: KubectlPolicyOptions = { mode: 'read-only', hasManifest: false };
const RO_M: KubectlPolicyOptions = { mode: 'read-only', hasManifest: true };
const RW: KubectlPolicyOptions = { mode: 'read-write', hasManifest: false };
const RW_M: KubectlPolicyOptions = { mode: 'read-write', hasManifest: true };
const RW_EXEC: KubectlPolicyOptions = { mode: 'read-write', hasManifest: false, allowExec: true };

type Refusal = [command: string, opts: KubectlPolicyOptions, rule: KubectlRule, message: RegExp];

/** Every refusal case: command, options, the rule, and what the agent is told. */
export const REFUSAL_CASES: Refusal[] = [
  // rule 1: tokenise once, no shell
  ['get pods | grep web', RO, 'shell', /No shell is involved/],
  ['get pods; rm -rf /', RO, 'shell', /";"/],
  ['get pods && delete pod x', RO, 'shell', /"&"/],
  ['get pods > /tmp/out', RO, 'shell', /">"/],
  ['apply -f - < /etc/passwd', RW_M, 'shell', /"<"/],
  ['get pods $(cat /etc/passwd)', RO, 'shell', /shell expansion/],
  ['get pods `id`', RO, 'shell', /backtick/],
  ['get pods "$(id)"', RO, 'shell', /shell expansion/],
  ['get pods -n $NAMESPACE', RO, 'shell', /shell expansion/],
  ['get pods\ndelete pods --all', RO, 'shell', /newline/],
  ["get pods -l 'a\nb'", RO, 'shell', /newline/],
  ["get pods -l 'unbalanced", RO, 'syntax', /Unbalanced single quote/],
  ['get pods -l "unbalanced', RO, 'syntax', /Unbalanced double quote/],
  ['get pods \u0000', RO, 'syntax', /control character/],
  ['', RO, 'subcommand', /No kubectl subcommand/],
  ['kubectl', RO, 'subcommand', /No kubectl subcommand/],
  // rule 2/4: target, credential and impersonation flags, in every spelling and place
  ['get pods --server=https://evil.example', RO, 'target', /chooses the cluster/],
  ['get pods --server https://evil.example', RO, 'target', /Pass cluster_id/],
  ['get pods -s https://evil', RO, 'target', /-s/],
  ['get pods -shttps://evil', RO, 'target', /-s/],
  ['get pods -s=https://evil', RO, 'target', /-s/],
  ['get pods -As https://evil', RO, 'target', /-s/],
  ['-s https://evil get pods', RO, 'target', /-s/],
  ['get --server=https://evil pods', RO, 'target', /--server/],
  ['get pods --SERVER=https://evil', RO, 'target', /--SERVER/],
  ['get pods --Server https://evil', RO, 'target', /--Server/],
  ['get pods --kubeconfig=/x', RO, 'target', /--kubeconfig/],
  ['get pods --kubeconfig /root/.kube/config', RO, 'target', /--kubeconfig/],
  ['get pods --context=prod', RO, 'target', /--context/],
  ['get pods --cluster=other', RO, 'target', /--cluster/],
  ['get pods --user=admin', RO, 'target', /--user/],
  ['get pods --token=abc', RO, 'target', /--token/],
  ['get pods --token abc', RO, 'target', /--token/],
  ['get pods --username=admin --password=x', RO, 'target', /--username/],
  ['get pods --password=x', RO, 'target', /--password/],
  ['get pods --certificate-authority=/ca', RO, 'target', /--certificate-authority/],
  ['get pods --client-certificate=/c', RO, 'target', /--client-certificate/],
  ['get pods --client-key=/k', RO, 'target', /--client-key/],
  ['get pods --client_key=/k', RO, 'target', /--client_key/],
  ['get pods --insecure-skip-tls-verify', RO, 'target', /--insecure-skip-tls-verify/],
  ['get pods --insecure_skip_tls_verify=true', RO, 'target', /insecure_skip_tls_verify/],
  ['get pods --tls-server-name=x', RO, 'target', /--tls-server-name/],
  ['get pods --auth-provider=gcp', RO, 'target', /--auth-provider/],
  ['get pods --auth-provider-arg=x=y', RO, 'target', /--auth-provider-arg/],
  ['get pods --as=system:admin', RO, 'target', /--as/],
  ['get pods --as system:admin', RO, 'target', /--as/],
  ['get pods --as-group=system:masters', RO, 'target', /--as-group/],
  ['get pods --as-uid=0', RO, 'target', /--as-uid/],
  ['get pods --as-user-extra=a=b', RO, 'target', /--as-user-extra/],
  ['get --token=x', RO, 'target', /--token/],
  ['describe pod --token=x', RO, 'target', /--token/],
  ['get pods -l --server=https://evil', RO, 'target', /--server/],
  ['get pods -l -- --server=https://evil', RO, 'flag-syntax', /reads like a flag/],
  ['logs web -c --token=abc', RO, 'target', /--token/],
  ['logs web --insecure-skip-tls-verify-backend', RO, 'target', /--insecure-skip-tls-verify-backend/],
  ['logs web --insecure_skip_tls_verify_backend=true', RO, 'target', /chooses the cluster/],
  // rule 4: flags that write files
  ['get pods --cache-dir=/tmp/x', RO, 'file-write', /write files/],
  ['get pods --log-file=/tmp/x', RO, 'file-write', /write files/],
  ['get pods --log-dir /tmp', RO, 'file-write', /write files/],
  ['get pods --profile=cpu', RO, 'file-write', /write files/],
  ['get pods --profile-output=/tmp/p', RO, 'file-write', /write files/],
  ['get pods --kuberc=/tmp/k', RO, 'file-write', /write files/],
  // rule 4: verbosity
  ['get pods -v=9', RO, 'verbosity', /capped at -v=4/],
  ['get pods -v 9', RO, 'verbosity', /capped/],
  ['get pods -v9', RO, 'verbosity', /capped/],
  ['get pods --v=6', RO, 'verbosity', /capped/],
  ['get pods --v 10', RO, 'verbosity', /capped/],
  ['get pods -Av8', RO, 'verbosity', /capped/],
  ['-v=9 get pods', RO, 'verbosity', /capped/],
  ['get pods --vmodule=*=9', RO, 'verbosity', /verbosity/],
  // rule 5: no local files, no URLs
  ['apply -f /etc/passwd', RW_M, 'local-file', /manifest/],
  ['apply -f https://169.254.169.254/latest/meta-data', RW_M, 'local-file', /cannot read URLs/],
  ['apply --filename=http://100.100.100.200/latest', RW_M, 'local-file', /URLs/],
  ['apply -f=/etc/passwd', RW_M, 'local-file', /local files/],
  ['apply -f/etc/passwd', RW_M, 'local-file', /local files/],
  ['get -f pod.yaml', RO, 'local-file', /local files/],
  ['apply -f -', RW, 'local-file', /without a manifest/],
  ['apply -k ./overlay', RW_M, 'local-file', /Render the manifests/],
  ['apply --kustomize=./overlay', RW_M, 'local-file', /Render/],
  ['apply -f - -R', RW_M, 'local-file', /-R/],
  ['get pods --recursive', RO, 'local-file', /--recursive/],
  ['create configmap c --from-file=/etc/passwd', RW, 'local-file', /--from-literal/],
  ['create configmap c --from-env-file /etc/environment', RW, 'local-file', /--from-literal/],
  ['create secret tls t --cert=/c --key=/k', RW, 'local-file', /tls/],
  ['get pods -o jsonpath-file=/etc/passwd', RO, 'local-file', /inline form/],
  ['get pods -o=go-template-file=/x', RO, 'local-file', /inline form/],
  ['get pods -otemplatefile=/x', RO, 'local-file', /inline form/],
  ['get pods --output go-template-file=/x', RO, 'local-file', /inline form/],
  ['get --raw /api/v1/namespaces/kube-system/secrets', RO, 'local-file', /Arbitrary API paths/],
  ['get --raw=/metrics', RO, 'local-file', /Arbitrary API paths/],
  ['create --raw=/api/v1/namespaces/default/pods -f -', RW_M, 'local-file', /Arbitrary API paths/],
  ['delete --raw /api/v1/namespaces/default/pods/x', RW, 'local-file', /Arbitrary API paths/],
  // rule 5, from the audit of every allowed subcommand's `--help` (kubectl 1.33): each flag that reads a file
  ['patch deploy web --patch-file=/etc/passwd', RW, 'local-file', /Pass the patch inline/],
  ['patch deploy web --patch-file /var/run/secrets/kubernetes.io/serviceaccount/token', RW, 'local-file', /--patch-file/],
  ['patch deploy web --patch_file=/etc/passwd', RW, 'local-file', /--patch_file/],
  ['patch deploy web --PATCH-FILE=/etc/passwd', RW, 'local-file', /-p '/],
  ['patch -f /tmp/x.yaml -p {}', RW, 'local-file', /local files/],
  ['patch -k ./overlay -p {}', RW, 'local-file', /Render/],
  ['label -f /tmp/x.yaml a=b', RW, 'local-file', /local files/],
  ['annotate -f - -R a=b', RW_M, 'local-file', /-R/],
  ['scale --filename=/tmp/x.yaml --replicas=1', RW, 'local-file', /local files/],
  ['set image -f /tmp/x.yaml web=nginx', RW, 'local-file', /local files/],
  ['set env -k ./overlay A=1', RW, 'local-file', /Render/],
  ['set selector -f - --recursive app=web', RW_M, 'local-file', /--recursive/],
  ['rollout history -f /tmp/x.yaml', RO, 'local-file', /local files/],
  ['rollout status --kustomize=./overlay', RO, 'local-file', /Render/],
  ['describe -f /tmp/x.yaml', RO, 'local-file', /local files/],
  ['describe pods --recursive=true', RO, 'local-file', /--recursive/],
  ['exec -f /tmp/pod.yaml -- ls', RW_EXEC, 'local-file', /local files/],
  ['delete -k ./overlay', RW, 'local-file', /Render/],
  ['create secret docker-registry r --from-file=.dockerconfigjson=/root/.docker/config.json', RW, 'local-file', /--from-literal/],
  ['create secret generic s --from-env-file=/proc/self/environ', RW, 'local-file', /--from-literal/],
  ['create configmap c --from_file=/etc/passwd', RW, 'local-file', /--from-literal/],
  ['get pods -o custom-columns-file=/etc/passwd', RO, 'local-file', /inline form/],
  ['get pods -o jsonpath-file /etc/passwd', RO, 'local-file', /inline form/],
  // rule 3: subcommands from an allow-list (unknown → plugin dispatch)
  ['foo bar', RO, 'subcommand', /plugin named kubectl-foo/],
  ['kubectl evil-plugin --flag', RO, 'subcommand', /kubectl-evil-plugin/],
  ['create foo bar', RW, 'subcommand', /plugin/],
  ['rollout foo deploy/web', RW, 'subcommand', /rollout status/],
  ['rollout pause deploy/web', RW, 'subcommand', /Only `rollout status/],
  ['auth reconcile -f -', RW_M, 'subcommand', /apply -f -/],
  ['apply view-last-applied deploy/web', RW, 'subcommand', /last-applied/],
  ['replace -f -', RW_M, 'subcommand', /not offered/],
  ['wait --for=condition=Ready pod/x', RO, 'subcommand', /not offered/],
  ['top', RO, 'subcommand', /needs a subcommand/],
  ['rollout', RO, 'subcommand', /needs a subcommand/],
  ['-n default', RO, 'subcommand', /No kubectl subcommand/],
  // rule 2: malformed, unknown or ambiguous flags
  ['get pods ---server=x', RO, 'flag-syntax', /bad flag syntax/],
  ['get pods -X', RO, 'flag-syntax', /-X is not a short flag/],
  ['-A get pods', RO, 'flag-syntax', /before the subcommand/],
  ['--all-namespaces get pods', RO, 'flag-syntax', /Put the subcommand first/],
  ['--dry-run get delete pods x', RW, 'flag-syntax', /Put the subcommand first/],
  ['create --foo token sa', RW, 'flag-syntax', /subcommand is complete/],
  ['exec web --foo -- --server=x', RW_EXEC, 'flag-syntax', /right before `--`/],
  ['get pods -- web', RO, 'flag-syntax', /only used to separate/],
  ['get pods -l', RO, 'flag-syntax', /needs a value/],
  ['get pods -o go-template --template', RO, 'flag-syntax', /--template at the end of the command.*Write --template=<value>/],
  ['get pods -A --sort-by', RO, 'flag-syntax', /--sort-by at the end/],
  ['logs web --since', RO, 'flag-syntax', /--since at the end/],
  ['get pods --no-such-switch', RO, 'flag-syntax', /--no-such-switch=true for a switch/],
  ['drain n1 --ignore-daemonsets --grace-period', RW, 'flag-syntax', /--grace-period at the end/],
  ['exec web -c app --bogus', RW_EXEC, 'flag-syntax', /at the end/],
  // rule 6: nothing interactive or unbounded
  ['edit deploy web', RW, 'interactive', /patch/],
  ['attach web', RW, 'interactive', /logs/],
  ['port-forward svc/web 8080:80', RW, 'interactive', /connection/],
  ['proxy --port=8001', RW, 'interactive', /local API proxy that never exits\. Read through this tool instead: `get`/],
  ['cp web:/etc/passwd /tmp/p', RW, 'interactive', /local files/],
  ['debug web -it --image=busybox', RW, 'interactive', /debug container/],
  ['config view --raw', RO, 'interactive', /kubeconfig is never shown/],
  ['config use-context other', RW, 'interactive', /cluster_id/],
  ['plugin list', RO, 'interactive', /Plugins/],
  ['kuberc view', RO, 'interactive', /kuberc/],
  ['kustomize .', RO, 'interactive', /local files/],
  ['completion bash', RO, 'interactive', /completion/],
  ['alpha kuberc', RO, 'interactive', /Alpha/],
  ['create token default', RW, 'interactive', /service-account token/],
  ['create -n kube-system token admin', RW, 'interactive', /service-account token/],
  ['cluster-info dump', RO, 'interactive', /dumps the whole cluster/],
  ['cluster-info dump --output-directory=/tmp/x', RO, 'interactive', /dumps/],
  ['run x --image=busybox --overrides={"spec":{"hostPID":true}}', RW, 'interactive', /apply -f -/],
  ['run x --image=busybox -it --rm', RW, 'interactive', /apply -f -/],
  ['delete pod x --rm', RW, 'interactive', /deletes the pod once an attached session ends.*`delete`/],
  ['get pods --attach', RO, 'interactive', /Attaching is not available/],
  ['exec web -it -- sh', RW_EXEC, 'interactive', /single non-interactive command/],
  ['exec web -i -- sh', RW_EXEC, 'interactive', /non-interactive/],
  ['exec web -t -- sh', RW_EXEC, 'interactive', /non-interactive/],
  ['exec web --stdin -- sh', RW_EXEC, 'interactive', /non-interactive/],
  ['exec web --tty=true -- sh', RW_EXEC, 'interactive', /non-interactive/],
  ['delete pods -i --all', RW, 'interactive', /prompts/],
  ['apply -f - --edit', RW_M, 'interactive', /Editors/],
  ['logs web -f', RO, 'unbounded', /--tail=100/],
  ['logs web --follow', RO, 'unbounded', /--since/],
  ['logs web -pf', RO, 'unbounded', /--tail/],
  ['logs -f=true web', RO, 'unbounded', /--tail/],
  ['get pods -w', RO, 'unbounded', /plain `get`/],
  ['get pods --watch', RO, 'unbounded', /plain `get`/],
  ['get pods --watch-only', RO, 'unbounded', /plain/],
  ['get pods -Aw', RO, 'unbounded', /plain/],
  ['events -w', RO, 'unbounded', /plain `events`/],
  // rule 9: modes and exec
  ['delete pod web', RO, 'mode', /read-only/],
  ['apply -f -', RO_M, 'mode', /changes the cluster/],
  ['scale deployment web --replicas=3', RO, 'mode', /read-only/],
  ['-n default delete pod x', RO, 'mode', /read-only/],
  ['rollout restart deploy/web', RO, 'mode', /read-only/],
  ['rollout undo deploy/web', RO, 'mode', /read-only/],
  ['create deployment web --image=nginx', RO, 'mode', /read-only/],
  ['label pod web a=b', RO, 'mode', /read-only/],
  ['annotate pod web a=b', RO, 'mode', /read-only/],
  ['patch deploy web -p {}', RO, 'mode', /read-only/],
  ['set image deploy/web web=nginx:2', RO, 'mode', /read-only/],
  ['cordon cn-hangzhou.10.0.1.12', RO, 'mode', /read-only/],
  ['uncordon cn-hangzhou.10.0.1.12', RO, 'mode', /read-only/],
  ['drain cn-hangzhou.10.0.1.12', RO, 'mode', /read-only/],
  ['taint node n k=v:NoSchedule', RO, 'mode', /read-only/],
  ['exec web -- ls', RO, 'exec', /disabled/],
  ['exec web -- ls', RW, 'exec', /disabled/],
  ['exec web -- ls', { mode: 'read-only', hasManifest: false, allowExec: true }, 'exec', /disabled/],
];

/** How many refusal cases the table covers (quoted in closing notes). */
export const REFUSAL_CASE_COUNT = REFUSAL_CASES.length;

type Accepted = [command: string, opts: KubectlPolicyOptions, args: string[], subcommand: string];

const ACCEPTED_CASES: Accepted[] = [
  ['get pods -A', RO, ['get', 'pods', '-A'], 'get'],
  ['kubectl get pods -n kube-system -o wide', RO, ['get', 'pods', '-n', 'kube-system', '-o', 'wide'], 'get'],
  ['-n kube-system get pods', RO, ['-n', 'kube-system', 'get', 'pods'], 'get'],
  ['--namespace=kube-system get pods', RO, ['--namespace=kube-system', 'get', 'pods'], 'get'],
  ['get pods -nkube-system -owide', RO, ['get', 'pods', '-nkube-system', '-owide'], 'get'],
  ["get pods -o jsonpath='{.items[*].metadata.name}'", RO, ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'], 'get'],
  [
    'get pods -o "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName"',
    RO,
    ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName'],
    'get',
  ],
  [
    "get pods -l 'app in (web,api)' --field-selector status.phase!=Running",
    RO,
    ['get', 'pods', '-l', 'app in (web,api)', '--field-selector', 'status.phase!=Running'],
    'get',
  ],
  ['get pods -v=4', RO, ['get', 'pods', '-v=4'], 'get'],
  ['get pods --watch=false', RO, ['get', 'pods', '--watch=false'], 'get'],
  ['get pods --show-labels', RO, ['get', 'pods', '--show-labels'], 'get'],
  [
    'drain n1 --ignore-daemonsets --delete-emptydir-data --force',
    RW,
    ['drain', 'n1', '--ignore-daemonsets', '--delete-emptydir-data', '--force'],
    'drain',
  ],
  ['apply -f - --server-side --force-conflicts', RW_M, ['apply', '-f', '-', '--server-side', '--force-conflicts'], 'apply'],
  ['describe pod crashy -n default', RO, ['describe', 'pod', 'crashy', '-n', 'default'], 'describe'],
  ['logs crashy --tail=50 --previous', RO, ['logs', 'crashy', '--tail=50', '--previous'], 'logs'],
  ['logs crashy -p -c app', RO, ['logs', 'crashy', '-p', '-c', 'app'], 'logs'],
  ['events -A --types=Warning', RO, ['events', '-A', '--types=Warning'], 'events'],
  ['top pod -A', RO, ['top', 'pod', '-A'], 'top pod'],
  ['auth can-i delete pods', RO, ['auth', 'can-i', 'delete', 'pods'], 'auth can-i'],
  ['auth whoami -o json', RO, ['auth', 'whoami', '-o', 'json'], 'auth whoami'],
  ['rollout status deploy/web', RO, ['rollout', 'status', 'deploy/web'], 'rollout status'],
  ['rollout history deployment web', RO, ['rollout', 'history', 'deployment', 'web'], 'rollout history'],
  ['cluster-info', RO, ['cluster-info'], 'cluster-info'],
  ['api-resources --namespaced=true', RO, ['api-resources', '--namespaced=true'], 'api-resources'],
  ['version -o json', RO, ['version', '-o', 'json'], 'version'],
  ['explain deployment.spec', RO, ['explain', 'deployment.spec'], 'explain'],
  ['explain pods --recursive', RO, ['explain', 'pods', '--recursive'], 'explain'],
  ['explain --recursive=true deployment.spec.template', RO, ['explain', '--recursive=true', 'deployment.spec.template'], 'explain'],
  ['explain pods --recursive --api-version v1', RO, ['explain', 'pods', '--recursive', '--api-version', 'v1'], 'explain'],
  ['get pods --recursive=false', RO, ['get', 'pods', '--recursive=false'], 'get'],
  ['get pods -o go-template --template={{.kind}}', RO, ['get', 'pods', '-o', 'go-template', '--template={{.kind}}'], 'get'],
  ['apply -f -', RW_M, ['apply', '-f', '-'], 'apply'],
  ['apply --filename=- --server-side', RW_M, ['apply', '--filename=-', '--server-side'], 'apply'],
  ['create -f -', RW_M, ['create', '-f', '-'], 'create'],
  ['create deployment web --image=nginx -r 2', RW, ['create', 'deployment', 'web', '--image=nginx', '-r', '2'], 'create deployment'],
  ['create secret generic s --from-literal=a=b', RW, ['create', 'secret', 'generic', 's', '--from-literal=a=b'], 'create secret generic'],
  ['scale deployment web --replicas=3', RW, ['scale', 'deployment', 'web', '--replicas=3'], 'scale'],
  ['delete configmap app-config', RW, ['delete', 'configmap', 'app-config'], 'delete'],
  ['rollout restart deployment/web', RW, ['rollout', 'restart', 'deployment/web'], 'rollout restart'],
  ['patch deploy web -p \'{"spec":{"replicas":2}}\'', RW, ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":2}}'], 'patch'],
  ['set env deploy/web -e A=1', RW, ['set', 'env', 'deploy/web', '-e', 'A=1'], 'set env'],
  ['exec web -c app -- ls -la /', RW_EXEC, ['exec', 'web', '-c', 'app', '--', 'ls', '-la', '/'], 'exec'],
  ['exec web -- sh -c "echo --server=x"', RW_EXEC, ['exec', 'web', '--', 'sh', '-c', 'echo --server=x'], 'exec'],
];

describe('parseKubectlCommand refusals', () => {
  for (const [command, opts, rule, message] of REFUSAL_CASES) {
    it(`refuses ${JSON.stringify(command)} (${opts.mode}) under ${rule}`, () => {
      const result = parseKubectlCommand(command, opts);
      assert.equal(result.ok, false, `expected a refusal, got ${JSON.stringify(result)}`);
      if (result.ok) return;
      assert.equal(result.rule, rule, result.message);
      assert.match(result.message, message);
    });
  }
});

describe('parseKubectlCommand accepts', () => {
  for (const [command, opts, args, subcommand] of ACCEPTED_CASES) {
    it(`accepts ${JSON.stringify(command)} (${opts.mode})`, () => {
      const result = parseKubectlCommand(command, opts);
      assert.equal(result.ok, true, JSON.stringify(result));
      if (!result.ok) return;
      assert.deepEqual(result.args, args);
      assert.equal(result.subcommand, subcommand);
    });
  }

  it('marks commands that read the manifest from stdin', () => {
    const result = parseKubectlCommand('apply -f -', RW_M);
    assert.ok(result.ok && result.readsManifest && result.access === 'write');
    const get = parseKubectlCommand('get pods', RO);
    assert.ok(get.ok && !get.readsManifest && get.access === 'read');
  });

  it('every refusal tells the agent what to do instead', () => {
    for (const [command, opts] of REFUSAL_CASES) {
      const result = parseKubectlCommand(command, opts);
      assert.ok(!result.ok && result.message.length > 40, `${command}: ${JSON.stringify(result)}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property test: accepted args are exactly the generated tokens, and never contain a refused piece.

const HEADS = [
  'get',
  'describe',
  'logs',
  'events',
  'top',
  'auth',
  'rollout',
  'apply',
  'create',
  'delete',
  'scale',
  'exec',
  'config',
  'plugin-x',
  'cluster-info',
  'kubectl',
];
const SAFE = [
  'pods',
  'pod',
  'web',
  'deploy/web',
  'can-i',
  'status',
  'history',
  'deployment',
  'token',
  'dump',
  '-A',
  '-n',
  'kube-system',
  '-nkube-system',
  '-o',
  'wide',
  '-ojson',
  '-l',
  'app=web',
  '--tail=10',
  '-p',
  '-c',
  'app',
  '-v=3',
  '--',
  '-',
  '-f',
  "it's",
  'a b',
  '--namespace=default',
  '--show-labels',
  '--watch=false',
  '-q',
];
const UNSAFE = [
  '--server=https://evil',
  '-s',
  'https://evil',
  '-sv',
  '--token=x',
  '--kubeconfig=/x',
  '--as=admin',
  '--as-group',
  '--SERVER=x',
  '--client_key=/k',
  '--raw=/x',
  '-k',
  '-R',
  '--from-file=/x',
  '-v=9',
  '-v9',
  '--cache-dir=/x',
  '--log-file=/x',
  '-ojsonpath-file=/x',
  '-f/etc/passwd',
  '--watch',
  '-w',
  '--follow',
  '-it',
  '--overrides={}',
  '--insecure-skip-tls-verify',
  '--user=u',
  '--patch-file=/x',
  '--patch_file=/x',
  '--insecure-skip-tls-verify-backend',
];
/** Pieces that must never be in accepted args before a `--` terminator, whatever their position. */
const NEVER_ACCEPTED = new Set(UNSAFE.filter((p) => p.startsWith('-')));

function shellQuote(token: string): string {
  return /^[A-Za-z0-9_./=:,@%+{}[\]*-]+$/.test(token) ? token : `'${token.replace(/'/g, `'\\''`)}'`;
}

describe('parseKubectlCommand property: checked tokens are the spawned tokens', () => {
  it('holds for 20000 random commands', () => {
    const random = prng(0xac1);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const modes: KubectlPolicyOptions[] = [RO, RO_M, RW, RW_M, RW_EXEC];
    let accepted = 0;
    for (let n = 0; n < 20000; n++) {
      const tokens = [pick(HEADS)];
      const length = 1 + Math.floor(random() * 6);
      for (let k = 0; k < length; k++) tokens.push(random() < 0.25 ? pick(UNSAFE) : pick(SAFE));
      const command = tokens.map(shellQuote).join(' ');
      const opts = pick(modes);
      const result = parseKubectlCommand(command, opts);
      if (!result.ok) continue;
      accepted++;
      const expected = tokens[0] === 'kubectl' ? tokens.slice(1) : tokens;
      assert.deepEqual(result.args, expected, command);
      const end = result.args.indexOf('--');
      const checked = end < 0 ? result.args : result.args.slice(0, end);
      for (const arg of checked) assert.ok(!NEVER_ACCEPTED.has(arg), `${command} accepted refused piece ${arg}`);
      if (end >= 0) assert.equal(result.subcommand, 'exec', command);
    }
    assert.ok(accepted > 500, `only ${accepted} accepted: the generator should reach the accept path often`);
  });
});
