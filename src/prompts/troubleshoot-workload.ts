/** Prompt: find out why a workload fails — events, describe, logs, ACK's diagnosis — and say what to change. */
import { definePrompt, promptArgs, steps } from './define-prompt.ts';

export const troubleshootWorkload = definePrompt({
  name: 'troubleshoot_workload',
  title: 'Troubleshoot a failing workload',
  description:
    "Find out why a workload is failing (crash loops, pending pods, failed rollouts): its events, description and logs, then ACK's pod diagnosis, ending in a diagnosis with the evidence and the fix.",
  arguments: {
    cluster_id: { description: 'ACK cluster id (list_clusters shows them)', required: true, schema: promptArgs.clusterId },
    namespace: { description: 'Namespace of the workload, e.g. default', required: true, schema: promptArgs.namespace },
    name: { description: 'Name of the workload, e.g. web', required: true, schema: promptArgs.objectName },
    kind: {
      description: 'deployment (default), statefulset, daemonset, job, cronjob or pod',
      required: false,
      schema: promptArgs.workloadKind,
    },
  },
  render({ cluster_id, namespace, name, kind = 'deployment' }) {
    const kubectl = (command: string) => `\`kubectl\` with cluster_id "${cluster_id}" and command "${command}"`;
    const pods = kind === 'pod' ? `the pod ${name}` : `the pods of ${kind} ${name} (names starting with "${name}-")`;
    return [
      `The ${kind} "${name}" in namespace "${namespace}" of ACK cluster ${cluster_id} is failing. Find out why, step by step, with the tools of this server. Read only: change nothing.`,
      '',
      steps([
        `Recent events: ${kubectl(`get events -n ${namespace} --sort-by=.lastTimestamp`)}. Note Warning events about ${pods} (FailedScheduling, BackOff, Unhealthy, FailedMount, OOMKilled…).`,
        `Its state: ${kubectl(`describe ${kind} ${name} -n ${namespace}`)}, then ${kubectl(`get pods -n ${namespace} -o wide`)} to find ${pods}, their phase, restarts and nodes.`,
        `For a pod that is not Running and Ready: ${kubectl(`describe pod <pod> -n ${namespace}`)} (container states, last termination reason, probes, resource requests).`,
        `Logs of a failing container: ${kubectl(`logs <pod> -n ${namespace} --tail=200`)}; if it restarted, add --previous to see the run that crashed.`,
        `ACK's own check: \`create_cluster_diagnosis\` with cluster_id "${cluster_id}", diagnosis_type "pod" and target {"namespace": "${namespace}", "name": "<pod>"}, then \`get_cluster_diagnosis_result\` with the diagnosis id it returns.`,
        'If the pods are Pending: compare their requests with what the nodes have free (`list_nodes`, and `cms_get_node_metrics` for cpu and memory).',
      ]),
      '',
      'Finish with a diagnosis: the most likely cause, the evidence for it (quote the event, log line or diagnosis item), and the change that fixes it. ' +
        "Propose changes; do not make them without the operator's go-ahead.",
    ].join('\n');
  },
});
