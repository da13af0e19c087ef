import type { EntityManager } from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity';
import type { AuditActor } from './audit-actor';
import type { Page } from './page';

/** The audit log of a tenant: who changed what, when. Never secrets. */
export class AuditEventRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Writes one event; inside a unit of work it commits or rolls back with the change it records. */
  async record(
    actor: AuditActor,
    action: string,
    target: { type: string; id: string } | null,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.manager.getRepository(AuditEventEntity).insert(
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

  /** Newest first. */
  async page(tenantId: string, page: Page): Promise<[AuditEventEntity[], number]> {
    return this.manager.getRepository(AuditEventEntity).findAndCount({
      where: { tenantId },
      order: { createdAt: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }
}
