/**
 * Prints the RAM policy of the function's role for signed-in users:
 *   npx tsx deploy/oauth-policy.ts <token|oauth|both> <read-only|read-write> "<OAUTH_ROLE_MAPPING>"
 * `oauth`: only sts:AssumeRole on the mapped roles; `both`: the tools' policy of the mode plus that statement.
 */
import { parseRoleMapping } from '../src/auth/oauth-settings.ts';
import { assumeMappedRolesStatement, ramPolicy, type RamPolicy } from './ram-actions.ts';

export function functionRolePolicy(authMode: 'oauth' | 'both', mode: 'read-only' | 'read-write', mapping: string): RamPolicy {
  const assume = assumeMappedRolesStatement(parseRoleMapping(mapping).map((entry) => entry.roleArn));
  if (authMode === 'oauth') return { Version: '1', Statement: [assume] };
  const tools = ramPolicy(mode);
  return { ...tools, Statement: [...tools.Statement, assume] };
}

if (process.argv[1]?.endsWith('oauth-policy.ts')) {
  const [authMode, mode, mapping] = process.argv.slice(2);
  if ((authMode !== 'oauth' && authMode !== 'both') || (mode !== 'read-only' && mode !== 'read-write') || !mapping) {
    process.stderr.write('usage: npx tsx deploy/oauth-policy.ts <oauth|both> <read-only|read-write> "<OAUTH_ROLE_MAPPING>"\n');
    process.exit(64);
  }
  process.stdout.write(`${JSON.stringify(functionRolePolicy(authMode, mode, mapping), null, 2)}\n`);
}
