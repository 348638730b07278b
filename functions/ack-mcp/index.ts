/**
 * The Function Compute entry (custom runtime, "web function"). FC starts `/code/bootstrap`, which
 * runs this file's bundle (`index.mjs`) with the Node that FC provides.
 *
 * Everything FC-specific is configuration, read by `src/config.ts`: with `FC_FUNCTION_NAME` or
 * `FC_INSTANCE_ID` set, the server listens on `0.0.0.0` at `FC_SERVER_PORT` (default 9000) and
 * trusts FC's `x-fc-access-key-*` request headers as the function role's credentials. This entry
 * only adds what a fresh instance needs before it starts: refusing Node older than FC's 20.10.
 */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 10)) {
  process.stderr.write(`ack-mcp-server: Node ${process.versions.node} is too old; Function Compute's custom.debian10 ships 20.10.\n`);
  process.exit(78);
}

await import('../../src/main.ts');
