/**
 * The FC package's files beside `bootstrap`, named once for the build (`scripts/build/function-package.ts`) and for the
 * code that reads them at run time (`index.ts`, `load-app.ts`, `app.ts`).
 */

/** The application bundle (CommonJS, inside {@link COMMONJS_WRAPPER}) and its V8 code cache. */
export const APP_FILE = 'app.cjs';
export const CODE_CACHE_FILE = 'app.cache';
/**
 * CommonJS's module wrapper, written around the bundle by the build: the file is the function Node's own loader would
 * make of it, and the entry compiles the file's text as it is (`load-app.ts`).
 */
export const COMMONJS_WRAPPER = { head: '(function (exports, require, module, __filename, __dirname) {', tail: '\n})' } as const;
/** The `tools/list` answers per mode, computed by the build from the same sources as the bundle. */
export const TOOLS_LIST_FILE = 'tools-list.json';
/** Tool name → its module in `src/tools/tool-modules.ts`, so a `tools/call` evaluates that module alone. */
export const TOOL_MODULES_FILE = 'tool-modules.json';
/** `index.cjs --write-code-cache FILE`: the build's run that warms the application up and writes its code cache. */
export const WRITE_CODE_CACHE_FLAG = '--write-code-cache';
