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
    for (const entry of entries) await repo.insert(this.sealed(tenantId, calendarListId, entry));
    return { removed: stale.length, added: entries.length };
  }

  /** Adds one entry (a manual event); `id` is the row's id (a manual event's key is its id). */
  async insertOne(
    tenantId: string,
    calendarListId: string,
    entry: CalendarEntryInput,
    id?: string,
  ): Promise<string> {
    const row = this.sealed(tenantId, calendarListId, entry, id);
    await this.manager.getRepository(CalendarEntryEntity).insert(row);
    return row.id;
  }

  /** One entry of a list's source, opened; null when there is none (or it is another source's). */
  async findOne(
    tenantId: string,
    calendarListId: string,
    sourceId: string,
    id: string,
  ): Promise<CalendarEntryRow | null> {
    const row = await this.manager
      .getRepository(CalendarEntryEntity)
      .findOne({ where: { tenantId, calendarListId, id } });
    if (!row) return null;
    const opened = this.opened(row);
    return opened.sourceId === sourceId ? opened : null;
  }

  /** Rewrites one entry in place (same id and key, new contents and times). */
  async updateOne(
    tenantId: string,
    calendarListId: string,
    id: string,
    entry: CalendarEntryInput,
  ): Promise<void> {
    const row = this.sealed(tenantId, calendarListId, entry, id);
    await this.manager.getRepository(CalendarEntryEntity).update(
      { tenantId, calendarListId, id },
      {
        sourceKey: row.sourceKey,
        startsAt: row.startsAt,
        endsAt: row.endsAt,
        dataEncrypted: row.dataEncrypted,
        updatedAt: new Date(),
      },
    );
  }

  async deleteOne(tenantId: string, calendarListId: string, id: string): Promise<void> {
    await this.manager.getRepository(CalendarEntryEntity).delete({ tenantId, calendarListId, id });
  }

  /** The entries of one source of a list, opened, by start. */
  async ofSource(
    tenantId: string,
    calendarListId: string,
    sourceId: string,
  ): Promise<CalendarEntryRow[]> {
    return (await this.entries(tenantId, calendarListId)).filter((e) => e.sourceId === sourceId);
  }

  /** Every entry of a list, opened. */
  async entries(tenantId: string, calendarListId: string): Promise<CalendarEntryRow[]> {
    const found = await this.manager
      .getRepository(CalendarEntryEntity)
      .find({ where: { tenantId, calendarListId }, order: { startsAt: 'ASC' } });
    return found.map((row) => this.opened(row));
  }

  private opened(row: CalendarEntryEntity): CalendarEntryRow {
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
  }

  /** A new row for an entry, its contents sealed (AAD binds them to the row's id). */
  private sealed(
    tenantId: string,
    calendarListId: string,
    entry: CalendarEntryInput,
    id?: string,
  ): CalendarEntryEntity {
    const row = Object.assign(new CalendarEntryEntity(), {
      ...(id ? { id } : {}),
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
    return row;
  }
}

function keyOf(sourceId: string, eventKey: string): string {
  return createHash('sha256').update(`${sourceId}\u0000${eventKey}`).digest('hex');
}
