/**
 * Catalogues of one tool module (`tools/tool-modules.ts`), one per (module, toolset selection), built on first need:
 * what a `tools/call` of a tool the build mapped to its module runs with, so the call loads that module alone.
 */
import type { Toolset } from '../toolsets.ts';
import { isToolModuleName, TOOL_MODULES } from '../tools/tool-modules.ts';
import { ToolCatalog } from './tool-catalog.ts';

// Per selection (the configuration's array: no key to build per call), then per module.
const catalogs = new WeakMap<readonly Toolset[], Map<string, Promise<ToolCatalog>>>();

/** The catalogue of module `module`'s tools that `toolsets` serves; undefined when no module has that name. */
export function toolModuleCatalog(module: string, toolsets: readonly Toolset[]): Promise<ToolCatalog> | undefined {
  if (!isToolModuleName(module)) return undefined;
  let ofSelection = catalogs.get(toolsets);
  if (!ofSelection) catalogs.set(toolsets, (ofSelection = new Map()));
  let catalog = ofSelection.get(module);
  if (!catalog) {
    catalog = TOOL_MODULES[module]().then(
      (tools) => new ToolCatalog(tools.filter((tool) => tool.toolsets.some((toolset) => toolsets.includes(toolset)))),
    );
    ofSelection.set(module, catalog);
    catalog.catch(() => ofSelection.delete(module));
  }
  return catalog;
}
