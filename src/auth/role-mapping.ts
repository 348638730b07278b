/**
 * Picks the RAM role a signed-in user acts as: the first `OAUTH_ROLE_MAPPING` entry whose claim holds its value (a
 * string claim equal to it, or an array claim containing it). A claim name is looked up as is, then as a dotted
 * path (`realm_access.roles` in Keycloak tokens).
 */
import type { JWTPayload } from 'jose';
import { cutShort } from '../text.ts';
import type { RoleMapping } from './oauth-settings.ts';

function claimValue(claims: JWTPayload, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function holds(value: unknown, wanted: string): boolean {
  if (typeof value === 'string') return value === wanted;
  return Array.isArray(value) && value.includes(wanted);
}

export function mappingFor(claims: JWTPayload, mappings: readonly RoleMapping[]): RoleMapping | undefined {
  return mappings.find((mapping) => holds(claimValue(claims, mapping.claim), mapping.value));
}

/** The refusal of a user no entry maps: which claims were looked at and what the token has in them (bounded). */
export function noMappingMessage(claims: JWTPayload, mappings: readonly RoleMapping[]): string {
  const names = [...new Set(mappings.map((mapping) => mapping.claim))];
  const seen = names.map((name) => {
    const value = claimValue(claims, name);
    const shown = value === undefined ? 'absent' : cutShort(JSON.stringify(Array.isArray(value) ? value.slice(0, 10) : value), 120);
    return `${name} (${shown})`;
  });
  return (
    `Forbidden: no Alibaba Cloud role is mapped for you. This server looked at the token's claim ${seen.join(', ')} ` +
    'and none holds a value its OAUTH_ROLE_MAPPING names. Ask the operator to map your group or role.'
  );
}
