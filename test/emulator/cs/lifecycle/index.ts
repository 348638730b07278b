/** ACK's asynchronous operations: node pool tasks and cluster diagnoses (pushed into `csRoutes`). */
import type { CsRoute } from '../routes.ts';
import { diagnosisRoutes } from './diagnosis.ts';
import { nodePoolTaskRoutes } from './nodepool-tasks.ts';

export { advanceHeld, lifecycleOf } from './store.ts';
export { NODEPOOL_BUSY_CODE } from './nodepool-tasks.ts';

export const lifecycleRoutes: CsRoute[] = [...nodePoolTaskRoutes, ...diagnosisRoutes];
