import type { SimState, AuthContext } from '../sim';
import type { Mailbox, SimUser, Tenant } from '../store/model';

export interface GReq {
  method: string;
  /** path after /v1.0, e.g. /users/abc/contacts */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: Buffer;
  /** already-parsed JSON body (batch sub-requests) */
  jsonBody?: unknown;
  /** when the HTTP request carrying this request arrived (a batch's arrival for its sub-requests) */
  receivedAt?: number;
}

export interface GRes {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: Buffer;
  contentType?: string;
}

export interface Ctx {
  sim: SimState;
  auth: AuthContext;
  req: GReq;
  params: Record<string, string>;
  tenant: Tenant;
  user?: SimUser;
  mailbox?: Mailbox;
  /** e.g. https://127.0.0.1:8443/v1.0 */
  base: string;
  json(): unknown;
}

export type Scope = 'directory' | 'mailbox' | 'none';

export interface Route {
  method: string;
  pattern: string;
  op: string;
  scope: Scope;
  /** any of these app roles / delegated scopes */
  perms: string[];
  handler: (ctx: Ctx) => GRes | Promise<GRes>;
  segs?: string[];
}

export const READ_USERS = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'User.ReadBasic.All',
];
export const READ_GROUPS = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
export const READ_ORGCONTACTS = [
  'OrgContact.Read.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
export const READ_CONTACTS = ['Contacts.Read', 'Contacts.ReadWrite'];
export const WRITE_CONTACTS = ['Contacts.ReadWrite'];
export const READ_CALENDARS = ['Calendars.Read', 'Calendars.ReadWrite', 'Calendars.ReadBasic'];
export const WRITE_CALENDARS = ['Calendars.ReadWrite'];
export const READ_MAILBOXSETTINGS = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];

export function ok(body: unknown, status = 200, headers?: Record<string, string>): GRes {
  return { status, body, headers };
}
export function noContent(): GRes {
  return { status: 204 };
}
