/**
 * The process-wide tool catalogues (schemas converted once), one per toolset selection (`TOOLSETS`). Importing this
 * module loads every tool definition (and zod), so the HTTP app reaches it lazily through `loadToolCatalog`.
 */
import { TOOLSETS, type Toolset } from '../toolsets.ts';
import { toolsFor } from '../tools/registry.ts';
import { ToolCatalog } from './tool-catalog.ts';

const catalogs = new Map<string, ToolCatalog>();

export function toolCatalog(toolsets: readonly Toolset[] = TOOLSETS): ToolCatalog {
  const key = toolsets.join(',');
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = new ToolCatalog(toolsFor(toolsets));
    catalogs.set(key, catalog);
  }
  return catalog;
}
