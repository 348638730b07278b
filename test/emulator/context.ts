import type { NonceRegistry } from './authenticate.ts';
import type { CallLog } from './call-log.ts';
import type { CsEnvironment } from './cs/routes.ts';
import type { FaultInjector } from './faults.ts';
import type { World } from './world.ts';

/** Everything an emulated product needs: the world, the call log, faults and the clock. */
export interface EmulatorContext {
  world: World;
  callLog: CallLog;
  faults: FaultInjector;
  nonces: NonceRegistry;
  env: CsEnvironment;
  now(): number;
  /** Aborted when the emulator closes: answers still held back (`slow` faults) are dropped then. */
  closing?: AbortSignal;
}
