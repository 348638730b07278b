/**
 * The tool catalogue, computed once per process: JSON Schemas converted from the zod shapes,
 * the `tools/list` answer per access mode, and the strict zod validators used by `tools/call`.
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
  validator: z.ZodType;
}

function jsonSchema(shape: z.ZodRawShape, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(z.object(shape).strict(), { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return schema;
}

export class ToolCatalog {
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly lists = new Map<AccessMode, { tools: ListedTool[] }>();

  constructor(tools: AnyToolDefinition[]) {
    for (const tool of tools) {
      if (this.entries.has(tool.name)) throw new Error(`duplicate tool name ${tool.name}`);
      this.entries.set(tool.name, {
        tool,
        validator: z.object(tool.input).strict(),
        listed: {
          name: tool.name,
          title: tool.title,
          description: tool.description,
          inputSchema: jsonSchema(tool.input, 'input'),
          outputSchema: jsonSchema(tool.output, 'output'),
          annotations: { title: tool.title, ...tool.annotations },
        },
      });
    }
    for (const mode of ['read-only', 'read-write'] as const) {
      const visible = [...this.entries.values()].filter((entry) => mode === 'read-write' || !isMutating(entry.tool));
      this.lists.set(mode, { tools: visible.map((entry) => entry.listed) });
    }
  }

  /** The `tools/list` result for a mode (the same object every time). */
  list(mode: AccessMode): { tools: ListedTool[] } {
    return this.lists.get(mode)!;
  }

  get(name: string): CatalogEntry | undefined {
    return this.entries.get(name);
  }
}
