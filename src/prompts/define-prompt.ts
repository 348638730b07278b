/**
 * `definePrompt()`: the one way to define a prompt (a guided workflow an operator picks in the
 * client). Arguments arrive as strings from the client and are checked before the text is built:
 * a prompt's text names tools and their arguments, so nothing the caller sent goes into it unchecked.
 */
import { z } from 'zod';
import { clusterIdArg, nodePoolIdArg } from '../tools/args.ts';

export interface PromptArgument {
  description: string;
  required: boolean;
  /** Checks the string the client sent (absent optional arguments are not checked). */
  schema: z.ZodType<string>;
}

export interface PromptDefinition<A extends string = string> {
  name: string;
  title: string;
  description: string;
  arguments: Record<A, PromptArgument>;
  /** The workflow for these (checked) arguments: the text of the one user message the client shows the model. */
  render(args: Partial<Record<A, string>>): string;
}

export function definePrompt<A extends string>(prompt: PromptDefinition<A>): PromptDefinition<A> {
  return prompt;
}

/** Argument checks shared by the prompts (the tools' own formats where they exist). */
export const promptArgs = {
  clusterId: clusterIdArg,
  nodePoolId: nodePoolIdArg,
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace such as default'),
  objectName: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name such as web'),
  workloadKind: z.enum(['deployment', 'statefulset', 'daemonset', 'job', 'cronjob', 'pod'], {
    error: 'must be deployment, statefulset, daemonset, job, cronjob or pod',
  }),
  kubernetesVersion: z.string().regex(/^v?1\.\d{1,2}(\.\d{1,2})?(-aliyun\.\d+)?$/, 'must be a Kubernetes version such as 1.33.1-aliyun.1'),
  percent: z.string().regex(/^(100|[1-9]\d?)$/, 'must be a whole percentage, 1-100'),
};

/** Numbered steps, one per line. */
export const steps = (lines: string[]) => lines.map((line, index) => `${index + 1}. ${line}`).join('\n');
