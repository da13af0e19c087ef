import type { EntityManager } from 'typeorm';
import type { AuditActor } from './audit-actor';
import { AuditEventRepository } from './audit-event.repository';

/**
 * Writes one audit event with a raw transaction's EntityManager. Only for the files still on
 * withTransaction (clean-up and alerts, being rewritten): new code records through the
 * unit of work's `audit` repository. Remove once nothing imports it.
 */
export function recordAuditEvent(
  manager: EntityManager,
  actor: AuditActor,
  action: string,
  target: { type: string; id: string } | null,
  details?: Record<string, unknown>,
): Promise<void> {
  return new AuditEventRepository(manager).record(actor, action, target, details);
}
