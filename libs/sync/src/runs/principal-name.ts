import type { DirectoryRecord } from '@app/microsoft';

/** A directory user's sort name for seat order: principal name, else address, else display name. */
export function principalName(user: DirectoryRecord | undefined): string | undefined {
  if (!user) return undefined;
  for (const key of ['userPrincipalName', 'mail', 'displayName'])
    if (typeof user[key] === 'string' && user[key]) return user[key] as string;
  return undefined;
}
