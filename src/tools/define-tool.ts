/**
 * The one way to define a tool, and the one place its facts live: name, words for the model, zod input and output
 * shapes, truthful annotations, the toolsets it belongs to (`TOOLSETS`), every RAM action it calls, and a handler that
 * returns structured content plus a short text. The RAM policy files, the README's tool and RAM tables and the golden
 * `tools/list` snapshots are generated from these definitions and checked by tests.
 * Handlers throw `ToolFailure` (or let SDK errors through); `callTool` maps every error once.
 *
 * ```ts
 * export const listNodePools = defineTool({
 *   name: 'list_nodepools', title: 'List node pools', description: '…',
 *   toolsets: ['nodepools'], ramActions: [CLUSTER_REGION, 'cs:DescribeClusterNodePools'],
 *   input: { cluster_id: clusterIdArg, region: regionArg.optional() }, output: { nodepools: z.array(…) },
 *   annotations: readOnlyTool,
 *   async run(args, ctx) {
 *     const cluster = ctx.forCluster(args);
 *     const pools = await listNodePools(await cluster.cs(), ctx.retry, cluster.id, ctx.signal);
 *     … return { structured, text };
 *   },
 * });
 * ```
 */
import type { z } from 'zod';
import type { Toolset } from '../toolsets.ts';
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
  /** The toolsets (`TOOLSETS`) that serve this tool; at least one. */
  toolsets: readonly Toolset[];
  /**
   * Every RAM action the tool calls (shared ones in `ram.ts`), for the role's least-privilege policy. Actions that
   * need no permission (STS GetCallerIdentity) are left out.
   */
  ramActions: readonly string[];
  /**
   * For a tool that can change things but is also useful read-only (kubectl): the definition read-only callers get
   * instead of nothing. Same name, read-only annotations, a description that says writes are refused. Its `ramActions`
   * are its own (a subset of the tool's): the read-only RAM policy grants the variant's actions, not the tool's.
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
  if (
    variant &&
    (variant.name !== definition.name ||
      !variant.annotations.readOnlyHint ||
      variant.readOnlyVariant ||
      definition.annotations.readOnlyHint)
  ) {
    throw new Error(`tool ${definition.name}: a read-only variant has the same name, is read-only, and belongs to a tool that is not`);
  }
  if (definition.toolsets.length === 0) throw new Error(`tool ${definition.name}: name at least one toolset`);
  if (
    variant &&
    (variant.toolsets.join() !== definition.toolsets.join() || variant.ramActions.some((action) => !definition.ramActions.includes(action)))
  ) {
    throw new Error(`tool ${definition.name}: a read-only variant is in the same toolsets and calls no RAM action the tool does not`);
  }
  if (definition.ramActions.some((action) => !/^[a-z]+:[A-Z][A-Za-z0-9]+$/.test(action))) {
    throw new Error(`tool ${definition.name}: RAM actions are written product:Action, e.g. cs:DescribeClusterDetail`);
  }
  // Shared action lists overlap (the region lookup is in several): each action once.
  return { ...definition, ramActions: [...new Set(definition.ramActions)] } as unknown as AnyToolDefinition;
}

/** A tool that changes something is hidden and refused in read-only mode. */
export function isMutating(tool: AnyToolDefinition): boolean {
  return !tool.annotations.readOnlyHint;
}

/** Offered in read-only mode: the tool reads, or has a read-only variant (kubectl). */
export function servedReadOnly(tool: AnyToolDefinition): boolean {
  return !isMutating(tool) || tool.readOnlyVariant !== undefined;
}

/** The RAM actions a read-only deployment needs for the tool: its read-only variant's, its own, or none. */
export function readOnlyRamActions(tool: AnyToolDefinition): readonly string[] {
  if (!isMutating(tool)) return tool.ramActions;
  return tool.readOnlyVariant?.ramActions ?? [];
}

/**
 * Whether a client should ask its user before calling the tool: it may destroy or bill something
 * (`destructiveHint`). Additive writes (starting a diagnosis) need no confirmation.
 */
export function needsConfirmation(tool: AnyToolDefinition): boolean {
  return tool.annotations.destructiveHint;
}
