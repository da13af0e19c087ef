import { AuditEventEntity } from '@app/persistence';
import type { EntityManager } from 'typeorm';

/** Who makes a change, within which tenant (our tenant row id). */
export interface Actor {
  tenantId: string;
  type: 'admin' | 'api_token' | 'operator' | 'system';
  /** Entra object id of the admin, the API token's id, or `${tid}/${oid}` of an MSP operator. */
  id: string;
}

/** Writes one audit event in the caller's transaction: who changed what, when. Never secrets. */
export async function audit(
  manager: EntityManager,
  actor: Actor,
  action: string,
  target: { type: string; id: string } | null,
  details?: Record<string, unknown>,
): Promise<void> {
  await manager.getRepository(AuditEventEntity).insert(
    Object.assign(new AuditEventEntity(), {
      tenantId: actor.tenantId,
      actorType: actor.type,
      actorId: actor.id.slice(0, 100),
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      details: details ? JSON.stringify(details) : null,
    }),
  );
}
