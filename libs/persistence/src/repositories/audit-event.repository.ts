import {
  And,
  LessThan,
  Like,
  MoreThanOrEqual,
  type EntityManager,
  type FindOperator,
  type FindOptionsWhere,
} from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity';
import type { AuditActor } from './audit-actor';
import type { AuditFilter } from './audit-filter';
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

  /** Newest first; every filter given must match. */
  async page(
    tenantId: string,
    page: Page,
    filter: AuditFilter = {},
  ): Promise<[AuditEventEntity[], number]> {
    const where: FindOptionsWhere<AuditEventEntity> = { tenantId };
    if (filter.actorId) where.actorId = filter.actorId;
    if (filter.actorType) where.actorType = filter.actorType;
    if (filter.action)
      where.action = filter.action.endsWith('*')
        ? // Actions are [a-z_.]: a `_` matching any one character matches no other action.
          Like(`${filter.action.slice(0, -1)}%`)
        : filter.action;
    if (filter.targetType) where.targetType = filter.targetType;
    if (filter.targetId) where.targetId = filter.targetId;
    const time: FindOperator<Date>[] = [];
    if (filter.from) time.push(MoreThanOrEqual(filter.from));
    if (filter.to) time.push(LessThan(filter.to));
    if (time.length) where.createdAt = time.length === 1 ? time[0] : And(...time);
    return this.manager.getRepository(AuditEventEntity).findAndCount({
      where,
      order: { createdAt: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }
}
