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
  /** The arguments' JSON Schema (`listed.inputSchema`). */
  inputSchema: Record<string, unknown>;
}

function jsonSchema(shape: z.ZodRawShape, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(z.object(shape).strict(), { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return schema;
}

/**
 * A tool's entry. Its zod validators and JSON Schemas are built on first use: a call builds only its own tool's, and
 * only `tools/list` (answered from the build's `tools-list.json` on FC) converts every tool's schemas.
 */
function entryOf(tool: AnyToolDefinition): CatalogEntry {
  let validator: z.ZodType | undefined;
  let output: z.ZodType | undefined;
  let inputSchema: Record<string, unknown> | undefined;
  let listed: ListedTool | undefined;
  return {
    tool,
    get validator() {
      return (validator ??= z.object(tool.input).strict());
    },
    get output() {
      return (output ??= z.object(tool.output).strict());
    },
    get inputSchema() {
      return (inputSchema ??= jsonSchema(tool.input, 'input'));
    },
    get listed() {
      return (listed ??= {
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: this.inputSchema,
        outputSchema: jsonSchema(tool.output, 'output'),
        annotations: { title: tool.title, ...tool.annotations },
      });
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
  }

  /** The `tools/list` result for a mode (the same object every time). */
  list(mode: AccessMode): { tools: ListedTool[] } {
    let list = this.lists.get(mode);
    if (!list) {
      const all = [...this.entries.values()];
      const served =
        mode === 'read-write' ? all : all.map((entry) => (isMutating(entry.tool) ? this.readOnlyEntries.get(entry.tool.name) : entry));
      list = { tools: served.filter((entry) => entry !== undefined).map((entry) => entry.listed) };
      this.lists.set(mode, list);
    }
    return list;
  }

  /** The entry `tools/call` runs in `mode` (a read-only variant in read-only mode, when the tool has one). */
  get(name: string, mode: AccessMode = 'read-write'): CatalogEntry | undefined {
    return (mode === 'read-only' ? this.readOnlyEntries.get(name) : undefined) ?? this.entries.get(name);
  }
}
