/** Prompt: is a cluster ready for a Kubernetes upgrade — version, pools, nodes, workloads that would block a drain. */
import { definePrompt, promptArgs, steps } from './define-prompt.ts';

export const beforeUpgrade = definePrompt({
  name: 'before_upgrade',
  title: 'Before a cluster upgrade',
  description:
    'Check whether an ACK cluster is ready for a Kubernetes upgrade: current version and state, node pools and nodes, unhealthy workloads and what would block draining nodes, ending in a go / no-go checklist.',
  arguments: {
    cluster_id: { description: 'ACK cluster id (list_clusters shows them)', required: true, schema: promptArgs.clusterId },
    target_version: {
      description: 'The Kubernetes version to upgrade to, e.g. 1.34.1-aliyun.1 (optional)',
      required: false,
      schema: promptArgs.kubernetesVersion,
    },
  },
  render({ cluster_id, target_version }) {
    const target = target_version ? `Kubernetes ${target_version}` : 'the next Kubernetes version';
    const kubectl = (command: string) => `\`kubectl\` with cluster_id "${cluster_id}" and command "${command}"`;
    return [
      `ACK cluster ${cluster_id} is to be upgraded to ${target}. Check whether it is ready, with the tools of this server. Read only: change nothing.`,
      '',
      steps([
        `The cluster: \`list_clusters\` — find ${cluster_id}; note its version and state (it must be "running"). ACK upgrades one minor version at a time: say if ${target} is more than one step away.`,
        `The pools: \`list_nodepools\` with cluster_id "${cluster_id}" — every pool active, no failed nodes.`,
        `The nodes: ${kubectl('get nodes -o wide')} — all Ready, their kubelet versions (nodes follow the control plane, one minor version behind at most).`,
        `Unhealthy workloads: ${kubectl('get pods -A --field-selector=status.phase!=Running,status.phase!=Succeeded')}.`,
        `What blocks a drain: ${kubectl('get pdb -A')} — a PodDisruptionBudget with 0 allowed disruptions stops nodes from draining; also pods without a controller (they are not recreated).`,
        `APIs removed in ${target}: ${kubectl('api-resources')} and the workloads' apiVersions (${kubectl('get deployments,statefulsets,daemonsets,cronjobs,ingresses -A -o wide')}); name any resource that still uses a removed version.`,
      ]),
      '',
      'Finish with a go / no-go checklist: each item with its state and evidence, and what to fix first. ' +
        'This server does not start upgrades: the operator upgrades from the ACK console (control plane first, then the node pools).',
    ].join('\n');
  },
});
