/** Cluster diagnosis: create_cluster_diagnosis and get_cluster_diagnosis_result. */
import { z } from 'zod';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool, type ToolAnnotations } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { boundText } from '../../text.ts';
import { pollUntil, waitSecondsArg } from '../tasks/wait.ts';
import { createDiagnosis, getDiagnosisResult, type DiagnosisResult } from './diagnosis.api.ts';

/** Starts a diagnosis job in the cluster: not read-only (absent in read-only mode), but additive, so not destructive. */
const startsWork: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

const nodeName = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes node name such as cn-hangzhou.10.0.1.11');
const namespace = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace');
const objectName = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name');
const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IP address' });
/** A port as a number or a string of digits, 1-65535. */
const port = z
  .union([z.number().int(), z.string().regex(/^\d{1,5}$/)], { error: 'must be a port number, 1-65535' })
  .refine((value) => Number(value) >= 1 && Number(value) <= 65535, 'must be a port number, 1-65535');

/** The target each documented diagnosis type needs, with an example to show when it is wrong. */
export const DIAGNOSIS_TARGETS = {
  node: { shape: { name: nodeName }, example: { name: 'cn-hangzhou.10.0.1.11' } },
  pod: { shape: { namespace, name: objectName }, example: { namespace: 'default', name: 'web-6d4b9c7f8-x2kqj' } },
  // ACK takes `dport` as a string ("80") and an optional `protocol` (SDK example; official ack-mcp-server).
  network: {
    shape: { src: ipAddress, dst: ipAddress, dport: port, protocol: z.enum(['tcp', 'udp'], { error: 'must be tcp or udp' }).optional() },
    example: { src: '10.0.1.11', dst: '10.0.2.12', dport: '443', protocol: 'tcp' },
  },
  ingress: {
    shape: { url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }) },
    example: { url: 'https://shop.example.com/cart' },
  },
  memory: { shape: { node: nodeName }, example: { node: 'cn-hangzhou.10.0.1.11' } },
  service: { shape: { namespace, name: objectName }, example: { namespace: 'default', name: 'web' } },
} as const;

type DiagnosisType = keyof typeof DIAGNOSIS_TARGETS;
const DIAGNOSIS_TYPES = Object.keys(DIAGNOSIS_TARGETS) as [DiagnosisType, ...DiagnosisType[]];

function expectedShape(type: DiagnosisType): string {
  return `target for diagnosis_type "${type}" must be exactly ${JSON.stringify(DIAGNOSIS_TARGETS[type].example)} (fields: ${Object.keys(DIAGNOSIS_TARGETS[type].shape).join(', ')})`;
}

/** Validates `target` for `type`; throws an InvalidArguments failure that shows the expected shape. */
export function validateTarget(type: DiagnosisType, target: Record<string, unknown>): Record<string, string> {
  const parsed = z.object(DIAGNOSIS_TARGETS[type].shape).strict().safeParse(target);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => {
        if (issue.code === 'unrecognized_keys') return `unexpected field(s) ${issue.keys.join(', ')}`;
        const field = issue.path.join('.');
        return target[field] === undefined ? `missing ${field}` : `${field} ${issue.message}`;
      })
      .join('; ');
    throw new ToolFailure('InvalidArguments', `Invalid target for a ${type} diagnosis: ${problems}. The ${expectedShape(type)}.`, {
      hint: 'Nothing was sent to Alibaba Cloud. Fix target and call again.',
    });
  }
  return Object.fromEntries(Object.entries(parsed.data).map(([key, value]) => [key, String(value)]));
}

export const createClusterDiagnosisTool = defineTool({
  name: 'create_cluster_diagnosis',
  title: 'Start a cluster diagnosis',
  description:
    'Start a diagnosis job in the cluster: ACK runs checks on one node, pod, network path, ingress, node memory or service ' +
    'and keeps the findings; it changes no workload or setting. Answers a diagnosis_id for get_cluster_diagnosis_result. target by diagnosis_type: ' +
    'node {name}; pod {namespace, name}; network {src, dst, dport, protocol?}; ingress {url}; memory {node}; service {namespace, name}; ' +
    'exactly those fields (any other is refused). Node names come from list_nodes.',
  input: {
    cluster_id: clusterIdArg,
    diagnosis_type: z.enum(DIAGNOSIS_TYPES).describe('What to diagnose: node, pod, network, ingress, memory or service'),
    target: z
      .looseObject({
        name: z.string().optional().describe('node: node name; pod/service: object name'),
        namespace: z.string().optional().describe('pod/service: namespace'),
        node: z.string().optional().describe('memory: node name'),
        src: z.string().optional().describe('network: source IP'),
        dst: z.string().optional().describe('network: destination IP'),
        // A number or a string of digits: checked by validateTarget (a union would make the schema an anyOf).
        dport: z
          .any()
          .optional()
          .describe('network: destination port 1-65535, a number or a string such as "443" (sent to ACK as a string)'),
        protocol: z.string().optional().describe('network: tcp (default) or udp'),
        url: z.string().optional().describe('ingress: URL to check'),
      })
      .describe('What to diagnose: exactly the fields of diagnosis_type (see the description); any other field is refused'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    diagnosis_id: z.string(),
    diagnosis_type: z.string(),
    target: z.record(z.string(), z.string()),
    next_step: z.string(),
  },
  annotations: startsWork,
  toolsets: ['diagnosis'],
  ramActions: [CLUSTER_REGION, 'cs:CreateClusterDiagnosis'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    const target = validateTarget(args.diagnosis_type, args.target);
    const described = `${args.diagnosis_type} diagnosis of ${JSON.stringify(target)} in cluster ${args.cluster_id}`;
    const diagnosisId = await createDiagnosis(
      await cluster.cs(),
      ctx.retry,
      { clusterId: args.cluster_id, type: args.diagnosis_type, target },
      {
        summary: `start a ${described}`,
        howToCheck:
          'A diagnosis changes nothing in the cluster, so starting another one is harmless; its id comes only with a successful answer.',
      },
      ctx.signal,
    );
    ctx.note({ diagnosis: diagnosisId });
    const next = `Read it with get_cluster_diagnosis_result {"cluster_id": "${args.cluster_id}", "diagnosis_id": "${diagnosisId}", "wait_seconds": 60}.`;
    return {
      structured: { cluster_id: args.cluster_id, diagnosis_id: diagnosisId, diagnosis_type: args.diagnosis_type, target, next_step: next },
      text: `Started a ${described}: diagnosis_id ${diagnosisId}. ${next}`,
    };
  },
});

const MAX_FINDINGS_SHOWN = 20;

function renderResult(clusterId: string, result: DiagnosisResult): string {
  const head = `Diagnosis ${result.diagnosis_id} (${result.type || 'unknown type'} ${JSON.stringify(result.target)}) in cluster ${clusterId}: ${result.state}`;
  if (result.state !== 'completed') return `${head}${result.message ? ` (${result.message})` : ''}.`;
  if (result.succeeded === false) return `${head}, but the diagnosis FAILED: ${result.message || 'no reason given'}.`;
  const { summary } = result;
  const lines = [
    `${head}. ${summary.total} check(s): ${summary.error} error, ${summary.warning} warning, ${summary.normal} normal${summary.unknown ? `, ${summary.unknown} unclassified` : ''}.`,
  ];
  const order = { error: 0, warning: 1, unknown: 2, normal: 3 } as const;
  const notable = result.findings.filter((finding) => finding.level !== 'normal').sort((a, b) => order[a.level] - order[b.level]);
  for (const finding of notable.slice(0, MAX_FINDINGS_SHOWN)) {
    lines.push(
      `- [${finding.level.toUpperCase()}] ${finding.group ? `${finding.group}/` : ''}${finding.name}: ${finding.message}${finding.detail ? ` (${finding.detail})` : ''}`,
    );
  }
  if (notable.length > MAX_FINDINGS_SHOWN) lines.push(`… ${notable.length - MAX_FINDINGS_SHOWN} more in structuredContent.findings`);
  if (notable.length === 0 && summary.total > 0) lines.push('No problems found.');
  if (summary.total === 0) {
    lines.push(
      `No check items could be read${result.check_items_error ? ` (GetClusterDiagnosisCheckItems failed: ${result.check_items_error})` : ''}. ` +
        `ACK's raw result follows; Alibaba does not document its layout:\n${boundText(JSON.stringify(result.result), 4_000, 'see structuredContent.result')}`,
    );
  } else if (result.findings_source !== 'check_items') {
    lines.push(`Findings read from the result document (layout undocumented by Alibaba): check them against structuredContent.result.`);
  }
  return boundText(lines.join('\n'), 12_000, 'see structuredContent.findings');
}

export const getClusterDiagnosisResultTool = defineTool({
  name: 'get_cluster_diagnosis_result',
  title: 'Read a cluster diagnosis result',
  description:
    'Read the result of a diagnosis started with create_cluster_diagnosis: state (created/running/completed), whether it succeeded, ' +
    'and its findings (errors and warnings first, with suggestions). With wait_seconds it polls until the diagnosis completes, ' +
    "sending progress notifications. Findings come from ACK's check items; ACK's result document (layout undocumented) is in structuredContent.result as it came.",
  input: {
    cluster_id: clusterIdArg,
    diagnosis_id: z
      .string()
      .regex(/^[0-9A-Za-z-]{8,64}$/, 'must be a diagnosis id as answered by create_cluster_diagnosis')
      .describe('Diagnosis id from create_cluster_diagnosis'),
    wait_seconds: waitSecondsArg('the diagnosis completes'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    diagnosis_id: z.string(),
    type: z.string(),
    target: z.record(z.string(), z.unknown()),
    status: z.number().describe('0 created, 1 running, 2 completed'),
    state: z.string(),
    code: z.number().optional().describe('When completed: 0 succeeded, 1 failed'),
    succeeded: z.boolean().optional(),
    message: z.string(),
    created: z.string(),
    finished: z.string(),
    summary: z.object({ total: z.number(), normal: z.number(), warning: z.number(), error: z.number(), unknown: z.number() }),
    findings: z.array(z.object({ name: z.string(), group: z.string(), level: z.string(), message: z.string(), detail: z.string() })),
    findings_source: z.string().describe('check_items (documented), the result document read tolerantly, or none'),
    check_items_error: z.string().optional(),
    result: z.unknown().describe("ACK's result document as it came (parsed when JSON); Alibaba does not document its layout"),
    result_layout: z.string(),
    waited_seconds: z.number(),
  },
  annotations: readOnlyTool,
  toolsets: ['diagnosis'],
  ramActions: [CLUSTER_REGION, 'cs:GetClusterDiagnosisResult', 'cs:GetClusterDiagnosisCheckItems'],
  async run(args, ctx) {
    const cluster = ctx.forCluster(args);
    ctx.note({ diagnosis: args.diagnosis_id });
    const client = await cluster.cs();
    const waited = await pollUntil(
      ctx,
      args.wait_seconds,
      () => getDiagnosisResult(client, ctx.retry, args.cluster_id, args.diagnosis_id, ctx.signal),
      (result) => result.status === 2,
      (result) => `diagnosis ${result.diagnosis_id} is ${result.state}`,
    );
    let text = renderResult(args.cluster_id, waited.value);
    if (!waited.done) {
      text +=
        args.wait_seconds > 0
          ? `\nNot complete after waiting ${waited.waited_seconds} s: call again with wait_seconds.`
          : '\nCall again with wait_seconds (e.g. 60) to wait for it.';
    }
    return { structured: { cluster_id: args.cluster_id, ...waited.value, waited_seconds: waited.waited_seconds }, text };
  },
});

export const diagnosisTools = [createClusterDiagnosisTool, getClusterDiagnosisResultTool];
