import type { AuditActor } from './audit-actor';

/** Which audit events to read; each field given must match (`action` ending in `*`: a prefix). */
export interface AuditFilter {
  actorId?: string;
  actorType?: AuditActor['type'];
  action?: string;
  targetType?: string;
  targetId?: string;
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
}
