/** A signed-in user as the rest of the server sees them: who, which RAM role, and the token AssumeRoleWithOIDC needs. */
export interface CallerUser {
  /** The token's `sub`. */
  readonly subject: string;
  /** The display-name claim (`OAUTH_NAME_CLAIM`), if any. */
  readonly name: string | undefined;
  /** The RAM role the mapping gives this user. */
  readonly roleArn: string;
  /** The access token: sent only to STS AssumeRoleWithOIDC, never logged or cached beyond the request. */
  readonly token: string;
  /** The token's expiry (ms since epoch). */
  readonly expiresAt: number;
}

/** "alice (Alice Liddell)": how logs name a user. Never the token. */
export function describeUser(user: Pick<CallerUser, 'subject' | 'name'>): string {
  return user.name ? `${user.subject} (${user.name})` : user.subject;
}
