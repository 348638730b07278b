/**
 * The process-wide tool catalogue (schemas converted once). Importing this module loads every
 * tool definition (and zod), so the HTTP app reaches it lazily through `loadToolCatalog`.
 */
import { allTools } from '../tools/registry.ts';
import { ToolCatalog } from './tool-catalog.ts';

let sharedCatalog: ToolCatalog | undefined;

export function toolCatalog(): ToolCatalog {
  sharedCatalog ??= new ToolCatalog(allTools);
  return sharedCatalog;
}
