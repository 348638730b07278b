/**
 * list_cluster_addons: installed addons (ListClusterAddonInstances) with the version ACK's catalogue offers this
 * cluster (ListAddons with the cluster id), so upgradable ones stand out. DescribeClusterAddonsVersion, deprecated,
 * is not used. When the catalogue cannot be read, the installed addons still come, with the reason.
 */
import { z } from 'zod';
import { toToolFailure } from '../../errors/map-error.ts';
import { clusterIdArg, regionArg } from '../args.ts';
import { defineTool, readOnlyTool } from '../define-tool.ts';
import { CLUSTER_REGION } from '../ram.ts';
import { boundText } from '../../text.ts';
import { table } from '../render.ts';
import { compareAddonVersions, listAvailableAddons, listClusterAddonInstances, type CatalogueAddon } from './addons.api.ts';

export const listClusterAddonsTool = defineTool({
  name: 'list_cluster_addons',
  title: 'List cluster addons',
  description:
    'Addons (components) installed in an ACK cluster: name, version, state (active, updating, upgrading, deleting) and the version ' +
    'ACK offers this cluster now, with upgradable=true where that one is newer. only_upgradable=true lists those only. ' +
    'Upgrading is done in the ACK console or with UpgradeClusterAddons; this tool changes nothing.',
  input: {
    cluster_id: clusterIdArg,
    only_upgradable: z.boolean().default(false).describe('List only the addons with a newer version available'),
    region: regionArg.optional(),
  },
  output: {
    cluster_id: z.string(),
    addons: z.array(
      z.object({
        name: z.string(),
        version: z.string(),
        state: z.string(),
        available_version: z.string().describe('The version ACK offers this cluster (ListAddons); empty when unknown'),
        upgradable: z.boolean(),
        category: z.string(),
        managed: z.boolean().describe('ACK manages (and upgrades) this addon itself'),
      }),
    ),
    installed_count: z.number(),
    upgradable_count: z.number(),
    catalogue_error: z.string().optional().describe('Why the available versions could not be read'),
  },
  annotations: readOnlyTool,
  toolsets: ['clusters'],
  ramActions: [CLUSTER_REGION, 'cs:ListClusterAddonInstances', 'cs:ListAddons'],
  async run(args, ctx) {
    const client = await ctx.forCluster(args).cs();
    const [installed, catalogue] = await Promise.all([
      listClusterAddonInstances(client, ctx.retry, args.cluster_id, ctx.signal),
      listAvailableAddons(client, ctx.retry, args.cluster_id, ctx.signal).then(
        (addons) => ({ addons, error: undefined }),
        (error: unknown) => {
          const failure = toToolFailure(error);
          return { addons: [] as CatalogueAddon[], error: `${failure.code}: ${failure.message}` };
        },
      ),
    ]);
    const byName = new Map(catalogue.addons.map((addon) => [addon.name, addon]));
    const all = installed
      .map((addon) => {
        const offered = byName.get(addon.name);
        return {
          ...addon,
          available_version: offered?.version ?? '',
          upgradable: offered ? compareAddonVersions(addon.version, offered.version) === 'newer' : false,
          category: offered?.category ?? '',
          managed: offered?.managed ?? false,
        };
      })
      .sort((a, b) => Number(b.upgradable) - Number(a.upgradable) || a.name.localeCompare(b.name));
    const addons = args.only_upgradable ? all.filter((addon) => addon.upgradable) : all;
    const upgradable = all.filter((addon) => addon.upgradable).length;
    const lines = [`${all.length} addon(s) installed in cluster ${args.cluster_id}; ${upgradable} upgradable.`];
    if (catalogue.error) lines.push(`Available versions unknown: ListAddons failed (${catalogue.error}).`);
    if (addons.length > 0) {
      lines.push(
        table(
          ['NAME', 'VERSION', 'STATE', 'AVAILABLE', 'UPGRADABLE'],
          addons.map((a) => [a.name, a.version, a.state, a.available_version, a.upgradable ? 'yes' : 'no']),
        ),
      );
    } else if (args.only_upgradable) {
      lines.push('Every addon is at the version ACK offers.');
    }
    return {
      structured: {
        cluster_id: args.cluster_id,
        addons,
        installed_count: all.length,
        upgradable_count: upgradable,
        ...(catalogue.error ? { catalogue_error: catalogue.error } : {}),
      },
      text: boundText(lines.join('\n'), 12_000, 'see structuredContent.addons'),
    };
  },
});
