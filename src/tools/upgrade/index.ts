/** The upgrade toolset: check_upgrade_readiness. */
import { checkUpgradeReadinessTool } from './upgrade.tools.ts';

export const upgradeTools = [checkUpgradeReadinessTool];
