import { In, type DataSource } from 'typeorm';
import { CalendarListEntity } from '../entities/calendar-list.entity';
import { ContactListEntity } from '../entities/contact-list.entity';
import { EwsConnectionEntity } from '../entities/ews-connection.entity';
import { ListTombstoneEntity } from '../entities/list-tombstone.entity';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import { ScheduleEntity } from '../entities/schedule.entity';
import { SourceStateEntity } from '../entities/source-state.entity';
import { TenantCleanupEntity, type TenantCleanupState } from '../entities/tenant-cleanup.entity';
import { TenantEntity } from '../entities/tenant.entity';
import { withTransaction } from '../with-transaction';
import type { AuditActor } from './audit-actor';
import { AuditEventRepository } from './audit-event.repository';
import { ListTombstoneRepository } from './list-tombstone.repository';

const NON_TERMINAL: TenantCleanupState[] = ['requested', 'cleaning', 'wiping'];

/** The states a clean-up may move to from each state; anything else is refused. */
const ALLOWED: Record<TenantCleanupState, TenantCleanupState[]> = {
  requested: ['cleaning', 'failed'],
  cleaning: ['wiping', 'failed'],
  wiping: ['revoked', 'failed'],
  failed: ['requested'],
  revoked: [],
};

/**
 * The tenant_cleanup rows: one per tenant, moved only by compare-and-set on its state, so
 * concurrent workers (a job and the sweep) never both make the same step.
 */
export class TenantCleanupRepository {
  constructor(private readonly dataSource: DataSource) {}

  static readonly CLEANUP_START_ACTION = 'tenant.cleanup_start';
  static readonly REVOKED_ACTION = 'tenant.revoked';

  static allows(from: TenantCleanupState, to: TenantCleanupState): boolean {
    return ALLOWED[from].includes(to);
  }

  async get(tenantId: string): Promise<TenantCleanupEntity | null> {
    return this.dataSource.getRepository(TenantCleanupEntity).findOne({ where: { tenantId } });
  }

  /** Clean-ups not yet revoked nor failed, of every tenant (the worker's recovery sweep). */
  async unfinished(): Promise<TenantCleanupEntity[]> {
    return this.dataSource
      .getRepository(TenantCleanupEntity)
      .find({ where: { state: In(NON_TERMINAL) }, order: { requestedAt: 'ASC' } });
  }

  /**
   * Records the request in one transaction: disables every list and schedule of the tenant
   * (no sync can put items back), the audit event, and the row (state requested; a failed
   * one is requested again). An unfinished one is returned as it is. `scheduleIds`: the
   * schedules whose job schedulers the caller removes.
   */
  async request(
    actor: AuditActor,
  ): Promise<{ cleanup: TenantCleanupEntity; scheduleIds: string[]; created: boolean }> {
    return withTransaction(this.dataSource, async (manager) => {
      const rows = manager.getRepository(TenantCleanupEntity);
      const existing = await rows.findOne({ where: { tenantId: actor.tenantId } });
      if (existing && NON_TERMINAL.includes(existing.state))
        return { cleanup: existing, scheduleIds: [], created: false };
      const lists = await manager
        .getRepository(ContactListEntity)
        .find({ where: { tenantId: actor.tenantId }, order: { createdAt: 'ASC' } });
      const schedules = await manager
        .getRepository(ScheduleEntity)
        .find({ where: { tenantId: actor.tenantId } });
      if (lists.length)
        await manager
          .getRepository(ContactListEntity)
          .update({ tenantId: actor.tenantId, id: In(lists.map((l) => l.id)) }, { enabled: false });
      // Calendar lists are cleaned the same way (their runs carry listKind 'calendar').
      const calendarLists = await manager
        .getRepository(CalendarListEntity)
        .find({ where: { tenantId: actor.tenantId }, order: { createdAt: 'ASC' } });
      if (calendarLists.length)
        await manager
          .getRepository(CalendarListEntity)
          .update(
            { tenantId: actor.tenantId, id: In(calendarLists.map((l) => l.id)) },
            { enabled: false },
          );
      if (schedules.length)
        await manager
          .getRepository(ScheduleEntity)
          .update(
            { tenantId: actor.tenantId, id: In(schedules.map((s) => s.id)) },
            { enabled: false },
          );
      // Deleted lists whose clean-up has not succeeded yet are cleaned too (their tombstones
      // know the mailboxes): nothing a list ever pushed survives the revocation.
      const deleted = await new ListTombstoneRepository(manager).pendingListIds(actor.tenantId);
      const live = [...lists, ...calendarLists].map((l) => l.id);
      const listIds = [...live, ...deleted.filter((id) => !live.includes(id))];
      await new AuditEventRepository(manager).record(
        actor,
        TenantCleanupRepository.CLEANUP_START_ACTION,
        { type: 'tenant', id: actor.tenantId },
        { listIds, attempt: (existing?.attempt ?? 0) + 1 },
      );
      const fields = {
        state: 'requested' as const,
        listIds: JSON.stringify(listIds),
        runIds: '{}',
        actorType: actor.type,
        actorId: actor.id,
        requestedAt: new Date(),
        errorCode: null,
        errorMessage: null,
        wiped: null,
        revokedAt: null,
      };
      let cleanup: TenantCleanupEntity;
      if (existing) {
        if (!TenantCleanupRepository.allows(existing.state, 'requested'))
          throw new Error(`a ${existing.state} clean-up cannot be requested again`);
        cleanup = rows.merge(existing, { ...fields, attempt: existing.attempt + 1 });
      } else {
        cleanup = rows.create({ tenantId: actor.tenantId, ...fields, attempt: 1 });
      }
      await rows.save(cleanup);
      return { cleanup, scheduleIds: schedules.map((s) => s.id), created: true };
    });
  }

  /** Records the runs started so far for this attempt (only while it is still `from`). */
  async setRuns(
    tenantId: string,
    from: TenantCleanupState,
    runIds: Record<string, string>,
  ): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(TenantCleanupEntity)
      .update({ tenantId, state: from }, { runIds: JSON.stringify(runIds), updatedAt: new Date() });
    return !!result.affected;
  }

  /** Moves the clean-up from `from` to `to`; false when another worker moved it first. */
  async transition(
    tenantId: string,
    from: TenantCleanupState,
    to: TenantCleanupState,
    error?: { code: string; message: string },
  ): Promise<boolean> {
    if (!TenantCleanupRepository.allows(from, to))
      throw new Error(`clean-up transition ${from} → ${to} is not allowed`);
    const result = await this.dataSource.getRepository(TenantCleanupEntity).update(
      { tenantId, state: from },
      {
        state: to,
        updatedAt: new Date(),
        ...(error ? { errorCode: error.code, errorMessage: error.message.slice(0, 500) } : {}),
      },
    );
    return !!result.affected;
  }

  /** Deletes the tenant's directory and mailbox state and its EWS connection (its secret). */
  async wipeState(tenantId: string): Promise<{ sourceStates: number; mailboxStates: number }> {
    const sourceStates = await this.dataSource
      .getRepository(SourceStateEntity)
      .delete({ tenantId });
    // Mailboxes the engine could not reach (no mailbox, unlicensed) keep a state row; it goes too.
    const mailboxStates = await this.dataSource
      .getRepository(MailboxStateEntity)
      .delete({ tenantId });
    await this.dataSource.getRepository(EwsConnectionEntity).delete({ tenantId });
    // Every clean-up run succeeded, deleted lists' included: their tombstones have served.
    await this.dataSource.getRepository(ListTombstoneEntity).delete({ tenantId });
    return { sourceStates: sourceStates.affected ?? 0, mailboxStates: mailboxStates.affected ?? 0 };
  }

  /**
   * The last step, in one transaction: the tenant active → suspended, the audit event and
   * wiping → revoked. False (nothing changed) when the tenant is no longer active.
   */
  async revoke(
    cleanup: TenantCleanupEntity,
    wiped: Record<string, number>,
    itemsDeleted: number,
  ): Promise<boolean> {
    return withTransaction(this.dataSource, async (manager) => {
      const suspended = await manager
        .getRepository(TenantEntity)
        .update({ id: cleanup.tenantId, status: 'active' }, { status: 'suspended' });
      if (!suspended.affected) return false;
      const now = new Date();
      const moved = await manager
        .getRepository(TenantCleanupEntity)
        .update(
          { tenantId: cleanup.tenantId, state: 'wiping' },
          { state: 'revoked', revokedAt: now, wiped: JSON.stringify(wiped), updatedAt: now },
        );
      if (!moved.affected) throw new Error('the clean-up left wiping meanwhile');
      await new AuditEventRepository(manager).record(
        {
          tenantId: cleanup.tenantId,
          type: cleanup.actorType as AuditActor['type'],
          id: cleanup.actorId,
        },
        TenantCleanupRepository.REVOKED_ACTION,
        { type: 'tenant', id: cleanup.tenantId },
        { wiped, itemsDeleted },
      );
      return true;
    });
  }
}
