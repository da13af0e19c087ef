import type * as MG from '@microsoft/microsoft-graph-types';
import type { ContactItem, ContactPool, ContactTable } from './contact-store';

export interface ExtProp {
  id: string;
  value: string;
}

export type MailboxKind = 'cloud' | 'onprem' | 'none';
export type MailboxPurpose = 'user' | 'shared' | 'room' | 'equipment';

export interface SimUser {
  user: MG.User & { id: string };
  mailbox: MailboxKind;
  purpose: MailboxPurpose;
  photo?: Buffer;
  /** The photo's media type (seeded photos are PNG). */
  photoType?: string;
  seq: number;
  deleted: boolean;
  globalAdmin: boolean;
  /**
   * Other active Entra directory roles (role template ids), beside Global Administrator. They
   * appear in `wids` (when the app asks for it) and in `/me/memberOf`.
   */
  directoryRoles?: string[];
  /**
   * Roles the user is only eligible for (Privileged Identity Management): not in `wids`, not in
   * `memberOf`, and no use at the consent page until activated.
   */
  eligibleDirectoryRoles?: string[];
  /**
   * Custom directory roles (role definition ids) assigned to the user: never in `wids`, which
   * lists built-in roles only, and no `directoryRole` in `memberOf`.
   */
  customDirectoryRoles?: string[];
  /** app roles (of app registrations) assigned to this user, by client id */
  appRoles: Record<string, string[]>;
}

export interface SimGroup {
  group: MG.Group & { id: string };
  memberUserIds: string[];
  memberGroupIds: string[];
  memberContactIds: string[];
}

export interface ServicePrincipal {
  clientId: string;
  roles: Set<string>;
  createdAt: string;
  consentedBy?: string;
}

/**
 * Exchange Online RBAC for Applications: management role assignments of one app (service
 * principal) with a resource scope. Exchange evaluates them at the mailbox, independently of
 * the Entra grants (the two add up), and they never appear in the token's `roles`.
 * https://learn.microsoft.com/en-us/exchange/permissions-exo/application-rbac
 */
export interface ExchangeAppAssignment {
  /** Graph permissions of the assigned roles: "Application Contacts.ReadWrite" -> Contacts.ReadWrite */
  permissions: Set<string>;
  /** The management scope: user ids of the mailboxes in it. */
  mailboxes: Set<string>;
}

export interface Tenant {
  id: string;
  domain: string;
  displayName: string;
  users: Map<string, SimUser>;
  usersByUpn: Map<string, SimUser>;
  groups: Map<string, SimGroup>;
  orgContacts: Map<string, MG.OrgContact & { id: string }>;
  servicePrincipals: Map<string, ServicePrincipal>;
  /** RBAC for Applications assignments, by app client id (PUT /_sim/tenants/{tid}/exchange-rbac). */
  exchangeAppAssignments: Map<string, ExchangeAppAssignment>;
  mailboxes: Map<string, Mailbox>;
  /**
   * Access tokens of the tenant issued (iat, seconds) before this are rejected as expired: set
   * by POST /_sim/tenants/{tid}/expire-tokens, so a test sees a consent change at once.
   */
  tokensNotBefore?: number;
  /** contact bodies and extended properties, shared by the tenant's mailboxes */
  contactPool: ContactPool;
  /** directory change sequence (users) */
  dirSeq: number;
  /** bumping it invalidates every users delta token */
  deltaEpoch: number;
  adminUserId: string;
  /**
   * An organisation with Exchange Server on-premises only (option ewsOnlyTenants): every mailbox
   * on-premises, and no Entra ID tenant behind it (identity answers AADSTS90002).
   */
  ewsOnly?: boolean;
}

/** A contact (compact, see contact-store). */
export type StoredContact = ContactItem;

export interface StoredEvent {
  kind: 'event';
  data: MG.Event & { id: string };
  calendarId: string;
  ext: ExtProp[];
  seq: number;
  /** series master: exceptions by original date (YYYY-MM-DD) -> exception event id */
  exceptions: Map<string, string>;
  /** series master: cancelled occurrence dates */
  cancelled: Set<string>;
}

/** A deleted event (deleted contacts: `Mailbox.contacts.tombstones`). */
export interface Tombstone {
  id: string;
  containerId: string;
  seq: number;
  kind: 'contact' | 'event';
  /** events: the calendar window where it was */
  data?: MG.Event;
}

export interface Mailbox {
  userId: string;
  seq: number;
  deltaEpoch: number;
  defaultContactFolderId: string;
  /** Where a deleted contact folder goes (created on first use); a mail folder, not listed. */
  deletedItemsFolderId?: string;
  defaultCalendarId: string;
  contactFolders: Map<string, MG.ContactFolder & { id: string }>;
  calendars: Map<string, MG.Calendar & { id: string }>;
  contacts: ContactTable;
  events: Map<string, StoredEvent>;
  /** deleted events */
  tombstones: Tombstone[];
  categories: Map<string, MG.OutlookCategory & { id: string }>;
  transactionIds: Map<string, string>;
}
