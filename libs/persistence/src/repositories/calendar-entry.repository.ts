import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CalendarEntryEntity } from '../entities/calendar-entry.entity';
import type { RowCipher } from '../encryption/row-cipher';

/** An event kept as an entry of a calendar list (uploaded .ics file, manual event). */
export interface CalendarEntryInput {
  /** The source of the list it belongs to. */
  sourceId: string;
  /** The event's key within its source. */
  eventKey: string;
  startsAt: Date;
  endsAt: Date;
  /** The event as JSON: stored only encrypted (subject, body and location are contents). */
  data: string;
}

export interface CalendarEntryRow {
  id: string;
  sourceId: string;
  eventKey: string;
  startsAt: Date;
  endsAt: Date;
  data: string;
}

/**
 * Entries of a calendar list, sealed with the row cipher (bound to tenant, table and row). The
 * row's source key is a hash of source and event key: bounded in length and unique per list.
 */
export class CalendarEntryRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly rows: RowCipher,
  ) {}

  /** Replaces every entry of one source of a list with these (inside the caller's unit of work). */
  async replaceSource(
    tenantId: string,
    calendarListId: string,
    sourceId: string,
    entries: readonly CalendarEntryInput[],
  ): Promise<{ removed: number; added: number }> {
    const repo = this.manager.getRepository(CalendarEntryEntity);
    const existing = await this.entries(tenantId, calendarListId);
    const stale = existing.filter((e) => e.sourceId === sourceId).map((e) => e.id);
    for (let i = 0; i < stale.length; i += 500) await repo.delete(stale.slice(i, i + 500));
    for (const entry of entries) {
      const row = Object.assign(new CalendarEntryEntity(), {
        tenantId,
        calendarListId,
        sourceKey: keyOf(entry.sourceId, entry.eventKey),
        startsAt: entry.startsAt,
        endsAt: entry.endsAt,
      });
      this.rows.seal(
        CalendarEntryEntity,
        row,
        'dataEncrypted',
        JSON.stringify({ sourceId: entry.sourceId, eventKey: entry.eventKey, event: entry.data }),
      );
      await repo.insert(row);
    }
    return { removed: stale.length, added: entries.length };
  }

  /** Every entry of a list, opened. */
  async entries(tenantId: string, calendarListId: string): Promise<CalendarEntryRow[]> {
    const found = await this.manager
      .getRepository(CalendarEntryEntity)
      .find({ where: { tenantId, calendarListId }, order: { startsAt: 'ASC' } });
    return found.map((row) => {
      const opened = JSON.parse(this.rows.open(CalendarEntryEntity, row, 'dataEncrypted')!) as {
        sourceId: string;
        eventKey: string;
        event: string;
      };
      return {
        id: row.id,
        sourceId: opened.sourceId,
        eventKey: opened.eventKey,
        startsAt: row.startsAt,
        endsAt: row.endsAt,
        data: opened.event,
      };
    });
  }
}

function keyOf(sourceId: string, eventKey: string): string {
  return createHash('sha256').update(`${sourceId}\u0000${eventKey}`).digest('hex');
}
