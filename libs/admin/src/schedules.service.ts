import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  CalendarListRepository,
  ContactListRepository,
  ScheduleEntity,
  ScheduleRepository,
  UnitOfWork,
  type ListKind,
} from '@app/persistence';
import { ScheduleRegistry, SyncQueues } from '@app/sync';
import { Inject, Injectable } from '@nestjs/common';
import { parseExpression, type CronExpression } from 'cron-parser';
import type { Actor } from './actor';
import { ListsOfKind } from './lists-of-kind';
import type { ScheduleInput } from './schemas';
import { NotFound, ValidationFailed, type FieldProblem } from './validation';

export interface ScheduleView {
  id: string;
  listId: string;
  cron: string;
  timeZone: string;
  enabled: boolean;
  /** The next three fire times, in UTC. */
  next: string[];
}

/** Fire times checked for the minimum interval: a week of a 5-minute pattern, at most. */
const INTERVAL_CHECK_FIRES = 2_100;

/**
 * Checks a cron pattern and IANA time zone the way BullMQ will read them (cron-parser): five
 * fields (a seconds field is refused: a list synced every few seconds only burns the tenant's
 * Graph budget), and no two fire times closer than `minIntervalMinutes` within the next week.
 */
export function checkCron(
  cron: string,
  timeZone: string,
  minIntervalMinutes = 0,
): { problems: FieldProblem[]; next: string[] } {
  const problems: FieldProblem[] = [];
  let zoneOk = true;
  try {
    new Intl.DateTimeFormat('en', { timeZone }).format(0);
    if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) throw new RangeError('not a zone');
  } catch {
    zoneOk = false;
    problems.push({ field: 'timeZone', message: `"${timeZone}" is not an IANA time zone` });
  }
  const fields = cron.trim().split(/\s+/).length;
  if (fields === 6)
    problems.push({
      field: 'cron',
      message:
        'a seconds field is not accepted: use 5 fields (minute hour day month weekday), at most every few minutes',
    });
  else if (fields !== 5)
    problems.push({ field: 'cron', message: 'expected 5 fields (minute hour day month weekday)' });
  const next: string[] = [];
  if (fields === 5) {
    try {
      const options = zoneOk ? { tz: timeZone } : { utc: true };
      const it = parseExpression(cron, options);
      for (let i = 0; i < 3; i++) next.push(it.next().toDate().toISOString());
      if (minIntervalMinutes > 0) {
        const gap = shortestGapMinutes(parseExpression(cron, options));
        if (gap !== undefined && gap < minIntervalMinutes)
          problems.push({
            field: 'cron',
            message: `fires ${gap} minute(s) apart; schedules may fire at most every ${minIntervalMinutes} minutes`,
          });
      }
    } catch (error) {
      problems.push({
        field: 'cron',
        message: `invalid cron pattern: ${(error as Error).message}`,
      });
    }
  }
  return { problems, next };
}

/** The shortest gap between consecutive fire times over the next week (or 2,100 fires). */
function shortestGapMinutes(it: CronExpression<false>): number | undefined {
  let previous = it.next().toDate().getTime();
  const horizon = previous + 7 * 24 * 3_600_000;
  let shortest: number | undefined;
  for (let i = 0; i < INTERVAL_CHECK_FIRES; i++) {
    const at = it.next().toDate().getTime();
    const gap = (at - previous) / 60_000;
    if (shortest === undefined || gap < shortest) shortest = gap;
    if (at > horizon) break;
    previous = at;
  }
  return shortest;
}

function view(s: ScheduleEntity): ScheduleView {
  return {
    id: s.id,
    listId: s.listId,
    cron: s.cron,
    timeZone: s.timeZone,
    enabled: s.enabled,
    next: s.enabled ? checkCron(s.cron, s.timeZone).next : [],
  };
}

/**
 * One cron schedule per list (contact or calendar list, by `kind`): the SQL row, and the
 * BullMQ job scheduler derived from it (its plan-run jobs carry the list's kind).
 */
@Injectable()
export class SchedulesService {
  private readonly lists: ListsOfKind;

  constructor(
    @Inject(ScheduleRepository) private readonly schedules: ScheduleRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ContactListRepository) contactLists: ContactListRepository,
    @Inject(CalendarListRepository) calendarLists: CalendarListRepository,
    @Inject(ScheduleRegistry) private readonly registry: ScheduleRegistry,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.lists = new ListsOfKind(contactLists, calendarLists);
  }

  async get(tenantId: string, listId: string, kind: ListKind = 'contacts'): Promise<ScheduleView> {
    const list = await this.lists.get(tenantId, listId, kind);
    const row = await this.schedules.findForList(tenantId, list.id);
    if (!row) throw new NotFound('schedule');
    return view(row);
  }

  async put(
    actor: Actor,
    listId: string,
    input: ScheduleInput,
    kind: ListKind = 'contacts',
  ): Promise<ScheduleView> {
    const { problems } = checkCron(
      input.cron,
      input.timeZone,
      this.config.admin.scheduleMinIntervalMinutes,
    );
    if (problems.length > 0) throw new ValidationFailed(problems);
    const list = await this.lists.get(actor.tenantId, listId, kind);
    const row = await this.unitOfWork.run(async (tx) => {
      const existing = await tx.schedules.findForList(actor.tenantId, list.id);
      const s =
        existing ??
        Object.assign(new ScheduleEntity(), {
          tenantId: actor.tenantId,
          listKind: kind,
          listId: list.id,
        });
      s.cron = input.cron;
      s.timeZone = input.timeZone;
      s.enabled = input.enabled;
      await tx.schedules.save(s);
      await tx.audit.record(
        actor,
        existing ? 'schedule.update' : 'schedule.create',
        {
          type: 'schedule',
          id: s.id,
        },
        { listId: list.id, cron: s.cron, timeZone: s.timeZone, enabled: s.enabled },
      );
      return s;
    });
    if (row.enabled) await this.registry.upsert(row);
    else await this.queues.removeSchedule(row.id);
    return view(row);
  }

  async remove(actor: Actor, listId: string, kind: ListKind = 'contacts'): Promise<void> {
    const list = await this.lists.get(actor.tenantId, listId, kind);
    const id = await this.unitOfWork.run(async (tx) => {
      const row = await tx.schedules.findForList(actor.tenantId, list.id);
      if (!row) throw new NotFound('schedule');
      await tx.schedules.deleteInTenant(actor.tenantId, row.id);
      await tx.audit.record(
        actor,
        'schedule.delete',
        { type: 'schedule', id: row.id },
        {
          listId: list.id,
        },
      );
      return row.id;
    });
    await this.queues.removeSchedule(id);
  }
}
