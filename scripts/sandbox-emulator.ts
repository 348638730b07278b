/**
 * The emulator as the sandbox runs it: every emulated product, plus the server settings
 * that point the MCP server at them. Later products add themselves here.
 */
import { startEmulator, type Emulator } from '../test/emulator/index.ts';

export interface SandboxEmulator extends Emulator {
  /** Environment settings that wire the MCP server to this emulator. */
  serverEnv: Record<string, string>;
}

export async function startSandboxEmulator(port = 0): Promise<SandboxEmulator> {
  const emulator = await startEmulator({ port });
  return { ...emulator, serverEnv: {} };
}
