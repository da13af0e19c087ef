import type { SimUser } from '../store/model';

/**
 * Built-in Entra role template ids the simulator knows.
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
 */
export const ROLE_TEMPLATES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  /** "User": the default role of every member user; Entra lists it in `wids`. */
  defaultUser: 'b79fbf4d-3ef9-4689-8143-76b194e85509',
} as const;

const ROLE_NAMES: Record<string, string> = {
  [ROLE_TEMPLATES.globalAdministrator]: 'Global Administrator',
  [ROLE_TEMPLATES.privilegedRoleAdministrator]: 'Privileged Role Administrator',
  [ROLE_TEMPLATES.applicationAdministrator]: 'Application Administrator',
  [ROLE_TEMPLATES.cloudApplicationAdministrator]: 'Cloud Application Administrator',
};

export function roleDisplayName(templateId: string): string {
  return ROLE_NAMES[templateId] ?? 'Directory role';
}

/** The user's active (not merely PIM-eligible) directory roles, as role template ids. */
export function activeDirectoryRoles(u: SimUser): string[] {
  const out = new Set<string>(u.directoryRoles ?? []);
  if (u.globalAdmin) out.add(ROLE_TEMPLATES.globalAdministrator);
  return [...out];
}

/**
 * Only a Global Administrator or a Privileged Role Administrator can grant tenant-wide admin
 * consent to Microsoft Graph application permissions; Application and Cloud Application
 * Administrators cannot.
 * https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent
 */
export function canGrantAppPermissions(u: SimUser): boolean {
  const active = activeDirectoryRoles(u);
  return (
    active.includes(ROLE_TEMPLATES.globalAdministrator) ||
    active.includes(ROLE_TEMPLATES.privilegedRoleAdministrator)
  );
}

/**
 * `wids`: the user's tenant-wide roles "from the section of roles present in Microsoft Entra
 * built-in roles" (active ones; custom roles never), emitted only when the registration's
 * `groupMembershipClaims` is `DirectoryRole` or `All`; members also carry the default user role,
 * guests do not. The caller leaves the claim out when it is empty.
 * https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
 */
export function widsClaim(u: SimUser): string[] {
  const roles = activeDirectoryRoles(u);
  if ((u.user.userType ?? 'Member') === 'Member') roles.push(ROLE_TEMPLATES.defaultUser);
  return roles;
}
