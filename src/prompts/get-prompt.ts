/**
 * `prompts/list` and `prompts/get` over the prompt definitions: the listed shape, and one prompt's
 * messages for the client's arguments, or the reason they were refused (the caller answers it as
 * -32602 Invalid params, as the MCP spec asks for a bad prompt name or arguments).
 */
import { cutShort } from '../text.ts';
import type { PromptDefinition } from './define-prompt.ts';

export interface ListedPrompt {
  name: string;
  title: string;
  description: string;
  arguments: Array<{ name: string; description: string; required: boolean }>;
}

export interface PromptResult {
  [key: string]: unknown;
  description: string;
  messages: Array<{ role: 'user'; content: { type: 'text'; text: string } }>;
}

export function listPrompts(prompts: PromptDefinition[]): { prompts: ListedPrompt[] } {
  return {
    prompts: prompts.map((prompt) => ({
      name: prompt.name,
      title: prompt.title,
      description: prompt.description,
      arguments: Object.entries(prompt.arguments).map(([name, arg]) => ({ name, description: arg.description, required: arg.required })),
    })),
  };
}

export type PromptAnswer = { ok: true; result: PromptResult } | { ok: false; message: string };

export function getPrompt(prompts: PromptDefinition[], name: string, args: Record<string, unknown> = {}): PromptAnswer {
  const prompt = prompts.find((candidate) => candidate.name === name);
  if (!prompt) {
    return {
      ok: false,
      message: `There is no prompt named ${JSON.stringify(cutShort(name, 64))}. Call prompts/list to see the prompts: ${prompts.map((p) => p.name).join(', ')}.`,
    };
  }
  const problems: string[] = [];
  const checked: Record<string, string> = {};
  for (const key of Object.keys(args))
    if (!(key in prompt.arguments)) problems.push(`unknown argument ${JSON.stringify(cutShort(key, 40))}`);
  for (const [key, arg] of Object.entries(prompt.arguments)) {
    const value = args[key];
    if (value === undefined || value === '') {
      if (arg.required) problems.push(`${key} is required (${arg.description})`);
      continue;
    }
    const parsed = arg.schema.safeParse(value);
    if (parsed.success) checked[key] = parsed.data;
    else problems.push(`${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (problems.length > 0) return { ok: false, message: `Invalid arguments for prompt ${name}: ${problems.join('; ')}.` };
  return {
    ok: true,
    result: { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text: prompt.render(checked) } }] },
  };
}
