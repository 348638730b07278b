/**
 * Confirmation of destructive writes (`CONFIRM_DESTRUCTIVE`): before a call of a tool annotated
 * destructive changes anything, the user is shown exactly what will change and asked to confirm.
 *
 * - 2026-07-28 requests whose client declares `elicitation`: the call answers `input_required`
 *   with a form elicitation ("confirm": yes/no) and, as `requestState`, a digest of the tool and its
 *   checked arguments; the client retries the same call with the user's answer, which counts only
 *   with the same digest (a confirmation is for exactly the change it showed).
 * - 2025-era requests: a server-initiated `elicitation/create` needs the client's answer, a new
 *   POST, to reach the same server instance as the waiting call; a stateless deployment (FC:
 *   many instances, no affinity, no `initialize` seen by the instance that serves the call) cannot
 *   promise that, so these clients count as unable to confirm.
 * - `when-supported` (default): ask clients that can; others (Bailian, Dify, 2025-era clients)
 *   run the call as before. `always`: refuse when the client cannot confirm. `never`: never ask.
 */
import { createHash } from 'node:crypto';
import type { AccessMode, Config, ConfirmDestructive } from '../config.ts';
import { ToolFailure } from '../errors/tool-failure.ts';
import { parseKubectlCommand } from '../kubectl/command-policy.ts';
import { cutShort } from '../text.ts';
import { coerceScalarStrings } from './coerce-arguments.ts';
import type { ToolCatalog } from './tool-catalog.ts';

/** What the client of this request can do about confirmations, and what it answered. */
export interface ConfirmingClient {
  canElicit: boolean;
  /** The client's answer (`inputResponses.confirm`) on a retried call. */
  answer?: unknown;
  /** The echoed `requestState` of a retried call. */
  state?: unknown;
}

export const CANNOT_CONFIRM: ConfirmingClient = { canElicit: false };

export type Gate = { kind: 'run' } | { kind: 'refuse'; failure: ToolFailure } | { kind: 'ask'; message: string; state: string };

/** The form the user answers: one yes/no. */
export const CONFIRM_SCHEMA = {
  type: 'object',
  properties: {
    confirm: { type: 'boolean', title: 'Make this change', description: 'Yes to go ahead; no changes nothing.', default: false },
  },
  required: ['confirm'],
} as const;

type Args = Record<string, unknown>;
const yesNo = (value: unknown) => (value ? 'yes' : 'no');

/** Per tool: the change in words, from the checked arguments; undefined when the call changes nothing. */
const CHANGES: Record<string, (args: Args, allowExec: boolean) => string | undefined> = {
  scale_nodepool: (a) =>
    `Add ${a.count} node(s) to node pool ${a.nodepool_id} of ACK cluster ${a.cluster_id}. New ECS instances are created and billed.`,
  remove_nodepool_nodes: (a) => {
    const ids = a.instance_ids as string[];
    return (
      `Remove ${ids.length} node(s) from node pool ${a.nodepool_id} of ACK cluster ${a.cluster_id}: ${cutShort(ids.join(', '), 1200)}. ` +
      `Drain them first: ${yesNo(a.drain_node)}. Release (delete) the ECS instances: ${yesNo(a.release_node)}.`
    );
  },
  kubectl: (a, allowExec) => {
    const parsed = parseKubectlCommand(String(a.command), { mode: 'read-write', allowExec, hasManifest: a.manifest !== undefined });
    if (!parsed.ok || parsed.access === 'read') return undefined; // reads need no confirmation; refusals are the tool's to explain
    const manifest = typeof a.manifest === 'string' ? `\nWith this manifest:\n${cutShort(a.manifest, 1500)}` : '';
    return `Run on ACK cluster ${a.cluster_id}: kubectl ${cutShort(parsed.args.join(' '), 600)}${manifest}`;
  },
};

/** What a call of a destructive tool will change, or undefined when it needs no confirmation. */
export function changeToConfirm(
  tool: { name: string; annotations: { destructiveHint: boolean } },
  args: Args,
  allowExec: boolean,
): string | undefined {
  if (!tool.annotations.destructiveHint) return undefined;
  const describe = CHANGES[tool.name];
  return describe ? describe(args, allowExec) : `Call ${tool.name} with ${cutShort(JSON.stringify(args), 1500)}.`;
}

/** The digest a confirmation is bound to: the tool and its checked arguments. */
export function changeDigest(name: string, args: Args): string {
  return createHash('sha256')
    .update(JSON.stringify([name, args]))
    .digest('base64url');
}

const accepted = (answer: unknown): boolean | undefined => {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { action, content } = answer as { action?: unknown; content?: { confirm?: unknown } };
  if (action === 'accept') return content?.confirm === true;
  return action === 'decline' || action === 'cancel' ? false : undefined;
};

export function confirmationGate(
  setting: ConfirmDestructive,
  name: string,
  change: string | undefined,
  args: Args,
  client: ConfirmingClient,
): Gate {
  if (setting === 'never' || change === undefined) return { kind: 'run' };
  if (!client.canElicit) {
    if (setting === 'when-supported') return { kind: 'run' };
    return {
      kind: 'refuse',
      failure: new ToolFailure(
        'ConfirmationRequired',
        `${name} changes the cluster, and this server asks the user to confirm such changes first, which this client cannot do. Nothing was changed.`,
        {
          hint: 'Use a client that supports elicitation with MCP 2026-07-28 (e.g. the TypeScript SDK v2 client), or ask the operator (CONFIRM_DESTRUCTIVE=always).',
        },
      ),
    };
  }
  const state = changeDigest(name, args);
  const answer = client.state === state ? accepted(client.answer) : undefined;
  if (answer === true) return { kind: 'run' };
  if (answer === false)
    return { kind: 'refuse', failure: new ToolFailure('NotConfirmed', `The user did not confirm the change, so ${name} changed nothing.`) };
  return { kind: 'ask', message: `Confirm this change:\n${change}`, state };
}

/** The gate for one `tools/call` in `mode`: checks the arguments as the call will (a call they fail is refused by the call itself). */
export function gateForCall(
  catalog: ToolCatalog,
  mode: AccessMode,
  name: string,
  rawArgs: Args | undefined,
  config: Config,
  client: ConfirmingClient,
): Gate {
  const entry = catalog.get(name, mode);
  if (!entry || mode === 'read-only' || config.confirmDestructive === 'never' || !entry.tool.annotations.destructiveHint)
    return { kind: 'run' };
  const parsed = entry.validator.safeParse(coerceScalarStrings(rawArgs ?? {}, entry.inputSchema));
  if (!parsed.success) return { kind: 'run' };
  const args = parsed.data as Args;
  return confirmationGate(config.confirmDestructive, name, changeToConfirm(entry.tool, args, config.kubectl.allowExec), args, client);
}
