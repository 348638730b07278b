/**
 * The Function Compute entry (custom runtime, "web function"). FC starts `/code/bootstrap`, which runs this file's
 * bundle (`index.cjs`) with the Node that FC provides. It loads the application (`app.cjs`, the bundle of `app.ts`)
 * with the V8 code cache the build made for it on FC's Node (`load-app.ts`), and starts it. Both are CommonJS: Node's
 * ES module loader would add its own start-up work (and an ES import of `node:fs` loads the fs streams).
 *
 * Everything FC-specific is configuration, read by `src/config.ts`: with `FC_FUNCTION_NAME` or `FC_INSTANCE_ID` set,
 * the server listens on `0.0.0.0` at `FC_SERVER_PORT` (default 9000) and trusts FC's `x-fc-access-key-*` request
 * headers as the function role's credentials.
 *
 * `index.cjs --write-code-cache FILE` (the build's): warm the application up, write its code cache to FILE, exit.
 */
import type * as App from './app.ts';
import { loadApp } from './load-app.ts';
import { WRITE_CODE_CACHE_FLAG } from './package-files.ts';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 10)) {
  process.stderr.write(`ack-mcp-server: Node ${process.versions.node} is too old; Function Compute's custom.debian10 ships 20.10.\n`);
  process.exit(78);
}

const codeDir = __dirname;
const app = loadApp<typeof App>(codeDir);
const cacheTo = process.argv[2] === WRITE_CODE_CACHE_FLAG ? process.argv[3] : undefined;
const run = cacheTo
  ? app.exports.warmUp(codeDir).then(() => {
      app.writeCodeCache(cacheTo);
      process.exit(0);
    })
  : app.exports.start(codeDir, app.codeCache);
run.catch((error: unknown) => {
  process.stderr.write(`ack-mcp-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
