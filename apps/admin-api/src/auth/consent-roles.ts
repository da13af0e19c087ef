import { Forbidden } from '@app/admin';
import type { SessionData } from './session-store';

/**
 * The Entra roles that can grant tenant-wide admin consent to Microsoft Graph application
 * permissions (role template ids). Application and Cloud Application Administrators can not,
 * and our own Sync.Admin app role proves nothing here: an application administrator can
 * assign it to themself.
 */
export const CONSENT_ROLE_TEMPLATES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
} as const;

const CONSENTING = new Set<string>(Object.values(CONSENT_ROLE_TEMPLATES));

/**
 * Refuses (403 `consent_role_required`) unless the session's directory roles, read at sign-in
 * from a signed source (the ID token's `wids`, or Graph `/me/memberOf` with the sign-in's own
 * token), include a role that can grant the consent. The consent redirect's
 * `admin_consent=True&tenant=` proves nothing: anyone can call our callback with it.
 */
export function requireConsentingRole(session: SessionData | undefined): void {
  const roles = session?.directoryRoles;
  if (roles === undefined || roles === null)
    throw new Forbidden(
      'consent_role_unverified',
      'Your directory roles could not be read when you signed in, so we can not tell whether you may grant consent for your organization. Sign out and sign in again; nothing was recorded.',
    );
  if (!roles.some((r) => CONSENTING.has(r.toLowerCase())))
    throw new Forbidden(
      'consent_role_required',
      'Only a Global Administrator or Privileged Role Administrator of your organization can grant the consent that onboards it, and your sign-in holds neither role active (the Sync.Admin app role does not count here). ' +
        'If your role is eligible through Privileged Identity Management, activate it, then sign out and sign in again. Nothing was recorded.',
    );
}
