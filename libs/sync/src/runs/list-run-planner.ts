import type { DirectoryRecord, TenantRef } from '@app/microsoft';
import type { SnapshotItem } from '@app/logstore';
import type { JobListKind } from '@app/queue';

/** A list as plan-run needs it, whatever its kind. */
export interface PlannedList {
  id: string;
  name: string;
  enabled: boolean;
  settings: string;
}

/** What plan-run has read for every kind: the directory and group membership. */
export interface ListPlanContext {
  tenant: TenantRef;
  list: PlannedList;
  runId: string;
  users: ReadonlyMap<string, DirectoryRecord>;
  /** Users the directory reports changed since its last read, or 'all' after a full read. */
  changed: ReadonlySet<string> | 'all';
  groupMembers(groupId: string): Promise<ReadonlySet<string>>;
}

/** The desired items of one run of a list, and which kinds of mailbox may receive them. */
export interface ListPlan {
  items: SnapshotItem[];
  /** How the run's log names the items: "contacts", "events". */
  noun: string;
  reach: { shared: boolean; resources: boolean };
}

/** Reads a list's sources and builds its desired items, for one kind of list. */
export interface ListRunPlanner {
  readonly kind: JobListKind;
  find(tenantId: string, listId: string): Promise<PlannedList | null>;
  plan(context: ListPlanContext): Promise<ListPlan>;
}
