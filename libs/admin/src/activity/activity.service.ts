import { ActivityRepository } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { ADMIN_CLOCK, type AdminClock } from '../admin-clock';
import type { ActivityQuery } from './activity-query.schema';
import type { ActivityDay, ActivityView } from './activity-view';

const DAY_MS = 86_400_000;

function emptyDay(date: string): ActivityDay {
  return {
    date,
    runs: 0,
    itemsWritten: 0,
    mailboxesSynced: 0,
    mailboxesFailed: 0,
    mailboxesThrottled: 0,
    runsFailed: 0,
  };
}

/**
 * Sync activity over the last N days (UTC), for the dashboard's charts: items written,
 * mailboxes synced, failed and throttled per day, and the mailboxes that received the most.
 * Read from the run history in SQL (sync_run, run_mailbox); it only reads.
 */
@Injectable()
export class ActivityService {
  constructor(
    @Inject(ActivityRepository) private readonly activity: ActivityRepository,
    @Inject(ADMIN_CLOCK) private readonly clock: AdminClock,
  ) {}

  async get(tenantId: string, query: ActivityQuery): Promise<ActivityView> {
    const now = this.clock.now();
    // Whole UTC days: today and the days before it.
    const to = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
    const from = new Date(to.getTime() - query.days * DAY_MS);
    const [runs, throttled, mailboxes] = await Promise.all([
      this.activity.finishedRuns(tenantId, from, to),
      this.activity.mailboxesWithCode(tenantId, 'THROTTLED', from, to),
      this.activity.topMailboxes(tenantId, from, to, query.mailboxes),
    ]);
    const days: ActivityDay[] = [];
    for (let t = from.getTime(); t < to.getTime(); t += DAY_MS)
      days.push(emptyDay(new Date(t).toISOString().slice(0, 10)));
    for (const r of runs) {
      const day = days[Math.floor((r.finishedAt.getTime() - from.getTime()) / DAY_MS)];
      if (!day) continue;
      day.runs++;
      day.itemsWritten += r.itemsWritten;
      day.mailboxesSynced += r.mailboxesSucceeded;
      day.mailboxesFailed += r.mailboxesFailed;
      day.mailboxesThrottled += throttled.get(r.id) ?? 0;
      if (r.status === 'failed' || r.status === 'partial') day.runsFailed++;
    }
    const totals = emptyDay('');
    for (const d of days)
      for (const k of Object.keys(d) as Array<keyof ActivityDay>)
        if (k !== 'date') totals[k] += d[k];
    const { date: _date, ...sums } = totals;
    return { from: from.toISOString(), to: to.toISOString(), days, mailboxes, totals: sums };
  }
}
