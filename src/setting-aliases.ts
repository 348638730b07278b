/**
 * The Python ACK MCP servers' setting names, accepted as aliases of ours so that their environments and
 * `.env` files start this server unchanged: the seed server this one re-implements (`HTTP_PORT`,
 * `ALIYUN_REGION`) and aliyun/alibabacloud-ack-mcp-server (`REGION_ID`, `ACCESS_KEY_ID`,
 * `ACCESS_KEY_SECRET`, earlier `ACCESS_SECRET_KEY`). Our own name wins when both are set; each alias
 * seen is reported, so the operator can rename it. Values are never reported.
 */
import { ConfigError } from './config.ts';

type Env = Record<string, string | undefined>;

/** Our setting → the names the Python servers gave it. */
export const SETTING_ALIASES: Readonly<Record<string, readonly string[]>> = {
  PORT: ['HTTP_PORT'],
  DEFAULT_REGION: ['ALIYUN_REGION', 'REGION_ID'],
  ALIBABA_CLOUD_ACCESS_KEY_ID: ['ACCESS_KEY_ID'],
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: ['ACCESS_KEY_SECRET', 'ACCESS_SECRET_KEY'],
};

/** An AccessKey id and its secret come as a pair: when either of ours is set, the aliases of both are ignored. */
const KEY_PAIR = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'] as const;

export interface AliasUse {
  alias: string;
  setting: string;
  /** `used`: its value now stands for `setting`; `ignored`: our own setting is set and wins. */
  outcome: 'used' | 'ignored';
}

const isSet = (env: Env, name: string): boolean => Boolean(env[name]?.trim());

function oursAreSet(env: Env, setting: string): boolean {
  const group: readonly string[] = (KEY_PAIR as readonly string[]).includes(setting) ? KEY_PAIR : [setting];
  return group.some((name) => isSet(env, name));
}

/**
 * Fills our settings from their aliases, in `env` itself (main passes `process.env`, where the
 * credential chain reads the keys). Returns every alias found, used or ignored.
 * @throws ConfigError when two aliases of one setting disagree, or an AccessKey id comes without its secret (or the reverse)
 */
export function applySettingAliases(env: Env): AliasUse[] {
  const uses: AliasUse[] = [];
  const oursWin = new Set(Object.keys(SETTING_ALIASES).filter((setting) => oursAreSet(env, setting)));
  for (const [setting, aliases] of Object.entries(SETTING_ALIASES)) {
    const present = aliases.filter((alias) => isSet(env, alias));
    if (present.length === 0) continue;
    if (oursWin.has(setting)) {
      uses.push(...present.map((alias) => ({ alias, setting, outcome: 'ignored' as const })));
      continue;
    }
    const values = new Set(present.map((alias) => env[alias]!.trim()));
    if (values.size > 1) {
      throw new ConfigError(`${present.join(' and ')} are both set, to different values: set ${setting} instead, or keep one of them.`);
    }
    env[setting] = [...values][0];
    uses.push(...present.map((alias) => ({ alias, setting, outcome: 'used' as const })));
  }
  const [idSetting, secretSetting] = KEY_PAIR;
  const fromAliases = uses.filter((use) => use.outcome === 'used' && (use.setting === idSetting || use.setting === secretSetting));
  if (fromAliases.length > 0 && isSet(env, idSetting) !== isSet(env, secretSetting)) {
    const given = fromAliases.map((use) => use.alias).join(' and ');
    const missing = isSet(env, idSetting) ? SETTING_ALIASES[secretSetting]!.join(' or ') : SETTING_ALIASES[idSetting]!.join(' or ');
    throw new ConfigError(`${given} is set without ${missing}: an AccessKey needs both its id and its secret. Set both, or neither.`);
  }
  return uses;
}

/** The operator's log line for one alias: what it was read as, or why it was ignored; never its value. */
export function describeAliasUse(use: AliasUse): string {
  if (use.outcome === 'used') return `${use.alias} (a Python ACK MCP server's name) is read as ${use.setting}: rename it.`;
  const winner = (KEY_PAIR as readonly string[]).includes(use.setting) ? `${KEY_PAIR.join(' or ')} is set` : `${use.setting} is set`;
  return `${use.alias} is ignored: ${winner}, and our own names win. Remove ${use.alias}.`;
}
