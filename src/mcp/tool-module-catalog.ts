/**
 * Catalogues of one tool module (`tools/tool-modules.ts`), one per (module, toolset selection), built on first need:
 * what a `tools/call` of a tool the build mapped to its module runs with, so the call loads that module alone.
 */
import type { Toolset } from '../toolsets.ts';
import { isToolModuleName, TOOL_MODULES } from '../tools/tool-modules.ts';
import { ToolCatalog } from './tool-catalog.ts';

const catalogs = new Map<string, Promise<ToolCatalog>>();

/** The catalogue of module `module`'s tools that `toolsets` serves; undefined when no module has that name. */
export function toolModuleCatalog(module: string, toolsets: readonly Toolset[]): Promise<ToolCatalog> | undefined {
  if (!isToolModuleName(module)) return undefined;
  const key = `${module}|${toolsets.join(',')}`;
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = TOOL_MODULES[module]().then(
      (tools) => new ToolCatalog(tools.filter((tool) => tool.toolsets.some((toolset) => toolsets.includes(toolset)))),
    );
    catalogs.set(key, catalog);
    catalog.catch(() => catalogs.delete(key));
  }
  return catalog;
}
