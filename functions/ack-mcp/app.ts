/**
 * The application of the FC package, bundled to `app.cjs` and loaded by the entry (`index.ts`) with its code cache.
 * `start` runs the server with what the build computed beside the bundle: the `tools/list` answers (served before any
 * tool definition is loaded) and each tool's module (a `tools/call` evaluates that module alone). `warmUp` is the
 * build's: it evaluates the modules a fresh instance's first calls need and serves those calls through the real server
 * (`warm-up-requests.ts`), so the code cache written after it holds their compiled code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CodeCacheUse, startFromEnvironment } from '../../src/main.ts';
import type { ToolsListJson } from '../../src/mcp/direct-answer.ts';
import { loadCallRuntime, loadMcpRuntime } from '../../src/mcp/load-runtime.ts';
import { toolModuleMap, type ToolModuleMap } from '../../src/tools/tool-modules.ts';
import { TOOL_MODULES_FILE, TOOLS_LIST_FILE } from './package-files.ts';

function builtFile<T>(dir: string, name: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
  } catch {
    return undefined; // not built: the catalogue answers, loaded on first need
  }
}

export function start(codeDir: string, codeCache: CodeCacheUse): Promise<void> {
  return startFromEnvironment({
    toolsList: builtFile<ToolsListJson>(codeDir, TOOLS_LIST_FILE),
    toolModules: builtFile<ToolModuleMap>(codeDir, TOOL_MODULES_FILE),
    codeCache,
  });
}

/**
 * Evaluates what first calls load: the call and MCP runtimes, every tool module (with its schemas and API modules),
 * the Alibaba Cloud SDKs and credentials, the kubectl proxy and the kubeconfig parser; then serves a first
 * `tools/list` and `list_nodepools` on loopback, with a stand-in for the CS API. Nothing leaves the machine.
 */
export async function warmUp(codeDir: string): Promise<void> {
  await Promise.all([
    loadCallRuntime(),
    loadMcpRuntime(),
    toolModuleMap(),
    import('@alicloud/credentials'),
    import('@alicloud/cs20151215'),
    import('@alicloud/sls20201230'),
    import('@alicloud/gateway-sls'),
    import('@alicloud/cms20190101'),
    import('@alicloud/sts20150401'),
    import('@alicloud/openapi-core'),
    import('../../src/kubectl/proxy.ts'),
    import('../../src/kubectl/kubeconfig.ts'),
  ]);
  const { warmUpRequests } = await import('./warm-up-requests.ts');
  await warmUpRequests({
    toolsList: builtFile<ToolsListJson>(codeDir, TOOLS_LIST_FILE),
    toolModules: builtFile<ToolModuleMap>(codeDir, TOOL_MODULES_FILE),
  });
}
