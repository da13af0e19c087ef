import type { AuditActor } from '@app/persistence';

/** Who makes a change, within which tenant (our tenant row id). */
export type Actor = AuditActor;

// Clean-up and alerts still write audit events with a raw transaction (being rewritten onto the
// unit of work); everything else records through `tx.audit`.
export { recordAuditEvent as audit } from '@app/persistence';
