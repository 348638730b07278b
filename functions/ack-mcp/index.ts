/**
 * The Function Compute entry (custom runtime, "web function"). FC starts `/code/bootstrap`, which
 * runs this file's bundle (`index.mjs`) with the Node that FC provides.
 *
 * Everything FC-specific is configuration, read by `src/config.ts`: with `FC_FUNCTION_NAME` or
 * `FC_INSTANCE_ID` set, the server listens on `0.0.0.0` at `FC_SERVER_PORT` (default 9000) and
 * trusts FC's `x-fc-access-key-*` request headers as the function role's credentials. This entry
 * adds what a fresh instance needs to answer fast: the `tools/list` answers the build computed
 * (`tools-list.json` beside the bundle), so `initialize` and `tools/list` are served before the
 * MCP SDK and the tool definitions are loaded (on the first call that needs them).
 */
import { readFileSync } from 'node:fs';
import type { ToolsListJson } from '../../src/mcp/direct-answer.ts';
import type { ToolModuleMap } from '../../src/tools/tool-modules.ts';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 10)) {
  process.stderr.write(`ack-mcp-server: Node ${process.versions.node} is too old; Function Compute's custom.debian10 ships 20.10.\n`);
  process.exit(78);
}

/** Written by scripts/build/function-package.ts from the same sources as this bundle. */
export const TOOLS_LIST_FILE = 'tools-list.json';
/** Also written by the build: each tool's module, so a `tools/call` loads that module alone. */
export const TOOL_MODULES_FILE = 'tool-modules.json';

function builtFile<T>(name: string): T | undefined {
  try {
    return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;
  } catch {
    return undefined; // not built (run from source): the catalogue answers, loaded on first need
  }
}

const { startFromEnvironment } = await import('../../src/main.ts');
await startFromEnvironment({
  toolsList: builtFile<ToolsListJson>(TOOLS_LIST_FILE),
  toolModules: builtFile<ToolModuleMap>(TOOL_MODULES_FILE),
});
