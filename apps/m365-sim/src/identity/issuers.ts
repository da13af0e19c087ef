/**
 * Issuer of access tokens for Microsoft Graph: v1.0 tokens, `https://sts.windows.net/{tid}/`,
 * a literal host (not the simulator's), as in Graph's real tokens.
 * https://learn.microsoft.com/entra/identity-platform/access-tokens#token-formats
 */
export function graphAccessTokenIssuer(tid: string): string {
  return `https://sts.windows.net/${tid}/`;
}
