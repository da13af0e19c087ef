// Shapes of the admin API's answers read by the entries, schedule, operators and tenant
// settings screens, written from libs/admin and libs/sync (the API declares no schema for them).

/** A manual entry of a list (`GET /api/lists/{id}/entries`): its fields as given. */
export interface ListEntry {
  id: string;
  listId: string;
  fields: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** One refused cell of a CSV import (rows count from 1 at the first data row). */
export interface CsvProblem {
  row: number;
  field: string;
  message: string;
}

/** A CSV import job (`GET /api/lists/{id}/entries/csv/{jobId}`). */
export interface CsvImportJob {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  mode: 'replace' | 'merge';
  phase: 'queued' | 'validating' | 'writing' | 'done';
  processed: number;
  total: number | null;
  result: { mode: string; imported: number; replaced: number; kept: number } | null;
  problems: CsvProblem[];
  problemCount: number;
  message: string | null;
}

/** A list's schedule (`GET /api/lists/{id}/schedule`; 404 when it has none). */
export interface ScheduleView {
  id: string;
  listId: string;
  cron: string;
  timeZone: string;
  enabled: boolean;
  /** The next three fire times, in UTC. */
  next: string[];
}

export interface OperatorGrant {
  id: string;
  operatorTenantId: string;
  operatorObjectId: string;
  role: 'admin' | 'viewer';
  label: string | null;
  grantedBy: string;
  createdAt: string;
}

/** A tenant the signed-in operator may act for (`GET /api/operator/tenants`). */
export interface ManagedTenant {
  tenantId: string;
  /** null: an Exchange Server organisation without Microsoft 365 (EWS only). */
  azureTenantId: string | null;
  displayName: string | null;
  status: string;
  role: 'admin' | 'viewer';
}

export interface CleanupListProgress {
  listId: string;
  listName: string;
  runId: string | null;
  status: string;
  mailboxes: { done: number; total: number; failed: number };
  itemsDeleted: number;
}

/** Clean-up and revocation progress (`GET /api/tenant/cleanup`). */
export interface CleanupProgress {
  state: 'not_started' | 'running' | 'failed' | 'revoked';
  phase: string | null;
  attempt: number;
  error: { code: string; message: string } | null;
  startedAt: string | null;
  revokedAt: string | null;
  lists: CleanupListProgress[];
  totals: { mailboxesDone: number; mailboxesTotal: number; itemsDeleted: number };
  removeApp?: { steps: string[]; links: { enterpriseApps: string } };
  wiped?: Record<string, number>;
}
