/**
 * The one way to define a tool: name, words for the model, zod input and output shapes,
 * truthful annotations, and a handler that returns structured content plus a short text.
 * Handlers throw `ToolFailure` (or let SDK errors through); `callTool` maps every error once.
 *
 * ```ts
 * export const listNodePools = defineTool({
 *   name: 'list_nodepools', title: 'List node pools', description: '…',
 *   input: { cluster_id: clusterIdArg }, output: { nodepools: z.array(…) },
 *   annotations: readOnlyTool,
 *   async run(args, ctx) { … return { structured, text }; },
 * });
 * ```
 */
import type { z } from 'zod';
import type { ToolContext } from './tool-context.ts';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Reads Alibaba Cloud; changes nothing. */
export const readOnlyTool: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

export interface ToolAnswer<Out> {
  structured: Out;
  /** A short rendering for the model; bounded by the server. */
  text: string;
}

export interface ToolDefinition<In extends z.ZodRawShape = z.ZodRawShape, Out extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: In;
  output: Out;
  annotations: ToolAnnotations;
  /**
   * For a tool that can change things but is also useful read-only (kubectl): the definition read-only callers get
   * instead of nothing. Same name, read-only annotations, a description that says writes are refused.
   */
  readOnlyVariant?: AnyToolDefinition;
  run(args: z.output<z.ZodObject<In>>, ctx: ToolContext): Promise<ToolAnswer<z.input<z.ZodObject<Out>>>>;
}

export type AnyToolDefinition = ToolDefinition<z.ZodRawShape, z.ZodRawShape>;

export function defineTool<In extends z.ZodRawShape, Out extends z.ZodRawShape>(definition: ToolDefinition<In, Out>): AnyToolDefinition {
  if (definition.annotations.readOnlyHint && definition.annotations.destructiveHint) {
    throw new Error(`tool ${definition.name}: a read-only tool cannot be destructive`);
  }
  const variant = definition.readOnlyVariant;
  if (variant && (variant.name !== definition.name || !variant.annotations.readOnlyHint || variant.readOnlyVariant || definition.annotations.readOnlyHint)) {
    throw new Error(`tool ${definition.name}: a read-only variant has the same name, is read-only, and belongs to a tool that is not`);
  }
  return definition as unknown as AnyToolDefinition;
}

/** A tool that changes something is hidden and refused in read-only mode. */
export function isMutating(tool: AnyToolDefinition): boolean {
  return !tool.annotations.readOnlyHint;
}
