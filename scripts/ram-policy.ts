/**
 * `npm run ram-policy -- [--toolsets=kubectl,logs] [--read-only]`: prints the least-privilege RAM policy of the
 * function's role for a toolset selection (as `TOOLSETS` takes it; default every toolset) and a mode (default
 * read-write), generated from the tools' own RAM actions. The committed deploy/ram-policy*.json are the policies of
 * every toolset. A wrong toolset name: one line on stderr, exit 2.
 */
import { ramPolicy } from '../deploy/ram-actions.ts';
import { parseToolsets } from '../src/toolsets.ts';
import { toolsFor } from '../src/tools/registry.ts';

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--read-only' && !arg.startsWith('--toolsets='));
const selection = parseToolsets(args.find((arg) => arg.startsWith('--toolsets='))?.slice('--toolsets='.length));
if (unknown.length > 0 || !selection.ok) {
  const problem = selection.ok ? `unknown argument ${unknown[0]}` : selection.message;
  process.stderr.write(`ram-policy: ${problem} Usage: npm run ram-policy -- [--toolsets=kubectl,logs] [--read-only]\n`);
  process.exit(2);
}
const mode = args.includes('--read-only') ? 'read-only' : 'read-write';
process.stdout.write(`${JSON.stringify(ramPolicy(mode, toolsFor(selection.toolsets)), null, 2)}\n`);
