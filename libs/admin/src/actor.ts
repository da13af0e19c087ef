import type { AuditActor } from '@app/persistence';

/** Who makes a change, within which tenant (our tenant row id). */
export type Actor = AuditActor;
