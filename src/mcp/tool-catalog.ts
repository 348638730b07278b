/**
 * The tool catalogue, computed once per process: JSON Schemas converted from the zod shapes,
 * the `tools/list` answer per access mode, and the zod validators `tools/call` checks arguments
 * and answers with.
 */
import { z } from 'zod';
import type { AccessMode } from '../config.ts';
import { isMutating, type AnyToolDefinition } from '../tools/define-tool.ts';

export interface ListedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  annotations: Record<string, unknown>;
}

export interface CatalogEntry {
  tool: AnyToolDefinition;
  listed: ListedTool;
  /** Arguments, strictly (unknown arguments refused). */
  validator: z.ZodType;
  /** Structured answers: what `outputSchema` promises (no unknown top-level fields; nested unknown fields are dropped). */
  output: z.ZodType;
}

function jsonSchema(shape: z.ZodRawShape, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(z.object(shape).strict(), { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return schema;
}

function entryOf(tool: AnyToolDefinition): CatalogEntry {
  return {
    tool,
    validator: z.object(tool.input).strict(),
    output: z.object(tool.output).strict(),
    listed: {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: jsonSchema(tool.input, 'input'),
      outputSchema: jsonSchema(tool.output, 'output'),
      annotations: { title: tool.title, ...tool.annotations },
    },
  };
}

export class ToolCatalog {
  private readonly entries = new Map<string, CatalogEntry>();
  /** Read-only variants (`readOnlyVariant`) by name: what read-only callers get instead of the full tool. */
  private readonly readOnlyEntries = new Map<string, CatalogEntry>();
  private readonly lists = new Map<AccessMode, { tools: ListedTool[] }>();

  constructor(tools: AnyToolDefinition[]) {
    for (const tool of tools) {
      if (this.entries.has(tool.name)) throw new Error(`duplicate tool name ${tool.name}`);
      this.entries.set(tool.name, entryOf(tool));
      if (tool.readOnlyVariant) this.readOnlyEntries.set(tool.name, entryOf(tool.readOnlyVariant));
    }
    const all = [...this.entries.values()];
    this.lists.set('read-write', { tools: all.map((entry) => entry.listed) });
    const readOnly = all.map((entry) => (isMutating(entry.tool) ? this.readOnlyEntries.get(entry.tool.name) : entry));
    this.lists.set('read-only', { tools: readOnly.filter((entry) => entry !== undefined).map((entry) => entry.listed) });
  }

  /** The `tools/list` result for a mode (the same object every time). */
  list(mode: AccessMode): { tools: ListedTool[] } {
    return this.lists.get(mode)!;
  }

  /** The entry `tools/call` runs in `mode` (a read-only variant in read-only mode, when the tool has one). */
  get(name: string, mode: AccessMode = 'read-write'): CatalogEntry | undefined {
    return (mode === 'read-only' ? this.readOnlyEntries.get(name) : undefined) ?? this.entries.get(name);
  }
}
