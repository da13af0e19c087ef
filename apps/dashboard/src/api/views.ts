// Shapes of the admin API's answers the dashboard reads. The OpenAPI document types the paths
// and request bodies; most responses are not yet described there, so they are written here
// from libs/admin (RunsService, ContactListsService, TenantsService, RunPreviewService).
import type { paths } from './admin-api';

/**
 * The signed-in user (`GET /api/auth/me`), typed by the OpenAPI document: `azureTenantId` is
 * null for an Exchange Server organisation without Microsoft 365 (EWS only, ADR 0047).
 */
export type Me = paths['/api/auth/me']['get']['responses'][200]['content']['application/json'];

export interface TenantInfo {
  status: string;
  displayName?: string | null;
  grantedPermissions?: string[];
  missingPermissions?: string[];
  requiredPermissions?: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface ContactList {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  settings: ListSettings;
  createdAt: string;
}

export interface FilterCondition {
  type: string;
  values?: string[];
}

/** The parts of a list's settings the screens edit; the others are kept as they are. */
export interface ListSettings {
  sources?: Array<{
    id: string;
    kind: string;
    filter?: { include?: Array<{ when: FilterCondition[] }> };
    [key: string]: unknown;
  }>;
  [key: string]: unknown;
}

export interface Target {
  id: string;
  kind: 'all' | 'group' | 'user' | 'filter';
  mode: 'include' | 'exclude';
  /** The group's or user's directory object id. */
  objectId: string | null;
  filter: unknown;
}

export interface Group {
  id: string;
  displayName: string;
}

export interface Counts {
  created: number;
  updated: number;
  deleted: number;
}

export interface Advice {
  code: string;
  message: string | null;
  advice?: string;
}

export interface Run {
  id: string;
  listId: string;
  /** Absent in answers of versions before calendar lists: contacts. */
  listKind?: 'contacts' | 'calendar';
  mode: 'sync' | 'dry_run' | string;
  trigger: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** `unentitled`: targeted mailboxes beyond the seats, left as they are (billing on). */
  mailboxes: { total: number; succeeded: number; failed: number; unentitled?: number };
  items: Counts;
  error: Advice | null;
  billingStatus?: string | null;
}

/** One mailbox's outcome in a run (`GET /api/runs/{id}/mailboxes`, paged). */
export interface MailboxOutcome {
  mailboxId: string;
  status: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  code: string | null;
  message: string | null;
  advice: string | null;
  items: Counts;
  finishedAt: string;
}

export interface RunDetail extends Run {
  errorCodes: Array<{ code: string; count?: number; advice?: string }>;
}

export interface PreviewChange {
  action: 'create' | 'update' | 'delete';
  sourceKey: string;
  name?: string;
  fields?: string[];
  reason?: string;
  /** What the admin should know of this item (e.g. a series pushed as single events). */
  note?: string;
}

export interface RunPreview {
  runId: string;
  finished: boolean;
  status: string;
  items: Counts;
  mailboxes: {
    total: number;
    items: Array<{ mailboxId: string; counts: Counts; changes: PreviewChange[]; message: string }>;
  };
}

export interface UserName {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
}
