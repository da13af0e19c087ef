import { calendarListSettingsSchema, parseListIcs } from '@app/calendar';
import { FieldCipher, KeyRing } from '@app/crypto';
import {
  CalendarEntryRepository,
  CalendarListEntity,
  RowCipher,
  TargetEntity,
} from '@app/persistence';
import { entriesOfEvents } from '@app/sync';
import type { BenchProduct, RunOutcome, TargetRow } from './product';
import type { SimStats } from './sim';

/** What one run of a phase gave (see runBench's `phase`). */
export interface PhaseResult {
  outcome: RunOutcome;
  stats: SimStats;
  failedAttempts: number;
}

const EVENT_WRITES = ['events.create', 'events.update', 'events.delete'];

export function eventWritesOf(stats: SimStats): number {
  return EVENT_WRITES.reduce((n, op) => {
    const s = stats.ops[op];
    return n + (s ? s.count - s.throttled - s.errors : 0);
  }, 0);
}

/**
 * A company calendar of `singles` events over the coming months and one weekly series with a
 * moved and a cancelled occurrence; `edit` renames one event, `move` moves the moved occurrence.
 */
export function benchCalendar(
  singles: number,
  change: { edit?: boolean; move?: boolean } = {},
): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//EN'];
  for (let i = 0; i < singles; i++) {
    const day = new Date(Date.UTC(2027, 1, 1) + i * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '');
    lines.push(
      'BEGIN:VEVENT',
      `UID:bench-${i}@bench.example`,
      `DTSTART;TZID=Europe/Berlin:${day}T${String(8 + (i % 8)).padStart(2, '0')}0000`,
      `DTEND;TZID=Europe/Berlin:${day}T${String(9 + (i % 8)).padStart(2, '0')}0000`,
      `SUMMARY:Bench event ${i}${change.edit && i === 0 ? ' (edited)' : ''}`,
      'END:VEVENT',
    );
  }
  const [movedStart, movedEnd] = change.move
    ? ['20270120T150000', '20270120T153000']
    : ['20270119T100000', '20270119T103000'];
  lines.push(
    'BEGIN:VEVENT',
    'UID:bench-weekly@bench.example',
    'DTSTART;TZID=Europe/Berlin:20270104T100000',
    'DTEND;TZID=Europe/Berlin:20270104T103000',
    'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=12',
    'EXDATE;TZID=Europe/Berlin:20270111T100000',
    'SUMMARY:Bench weekly',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:bench-weekly@bench.example',
    'RECURRENCE-ID;TZID=Europe/Berlin:20270118T100000',
    `DTSTART;TZID=Europe/Berlin:${movedStart}`,
    `DTEND;TZID=Europe/Berlin:${movedEnd}`,
    'SUMMARY:Bench weekly (moved)',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  );
  return lines.join('\r\n');
}

/** A calendar list of the bench tenant with its upload source, as the admin API stores it. */
export async function createBenchCalendarList(
  product: BenchProduct,
  targets: readonly TargetRow[],
): Promise<string> {
  const list = Object.assign(new CalendarListEntity(), {
    tenantId: product.tenantId,
    name: 'Bench calendar',
    nameKey: 'bench calendar',
    settings: JSON.stringify(
      calendarListSettingsSchema.parse({
        sources: [{ id: 'upload', kind: 'ics-upload' }],
        destination: { kind: 'calendar', name: 'Bench calendar' },
      }),
    ),
    timeZone: 'UTC',
    enabled: true,
  });
  await product.dataSource.getRepository(CalendarListEntity).save(list);
  for (const t of targets)
    await product.dataSource.getRepository(TargetEntity).save(
      Object.assign(new TargetEntity(), {
        tenantId: product.tenantId,
        listKind: 'calendar',
        listId: list.id,
        ...t,
      }),
    );
  return list.id;
}

/** Stores an .ics text as the list's upload (parsed as the upload route parses it). */
export async function storeBenchCalendar(
  product: BenchProduct,
  listId: string,
  text: string,
): Promise<number> {
  const list = await product.dataSource
    .getRepository(CalendarListEntity)
    .findOneByOrFail({ id: listId });
  const settings = calendarListSettingsSchema.parse(JSON.parse(list.settings));
  const { events } = parseListIcs(text, settings);
  const cipher = new RowCipher(new FieldCipher(new KeyRing(product.config.encryption)));
  await new CalendarEntryRepository(product.dataSource.manager, cipher).replaceSource(
    product.tenantId,
    listId,
    'upload',
    entriesOfEvents('upload', events),
  );
  return events.length;
}

/** The events figures, beside the contact ones: initial push, no-op, one edit, one moved occurrence. */
export function eventsFigures(input: {
  mailboxes: number;
  items: number;
  initial: PhaseResult;
  noop: PhaseResult;
  edit: PhaseResult;
  move: PhaseResult;
}): Record<string, number | boolean> {
  const { mailboxes, items, initial, noop, edit, move } = input;
  const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
  const initialWrites = eventWritesOf(initial.stats);
  return {
    items,
    mailboxes,
    initialWallSeconds: round(initial.outcome.wallSeconds),
    initialWrites,
    initialWritesPerSec: round(initialWrites / initial.outcome.wallSeconds, 1),
    initialGraphOperationsPerEvent: round(initial.stats.total / (items * mailboxes), 3),
    initialComplete:
      initial.outcome.run.status === 'succeeded' &&
      initial.outcome.run.mailboxesSucceeded === mailboxes,
    noopWrites: eventWritesOf(noop.stats),
    noopRequestsPerMailbox: round(noop.stats.total / mailboxes, 3),
    noopWallSeconds: round(noop.outcome.wallSeconds),
    editWrites: eventWritesOf(edit.stats),
    // One edited source event: one item per mailbox.
    editWriteAmplification: round(eventWritesOf(edit.stats) / mailboxes, 4),
    editGraphOperationsPerChange: round(edit.stats.total / mailboxes, 3),
    // One moved occurrence of a series: the series is one item; its exception needs the master,
    // its instances and the exception itself.
    moveItemsChanged:
      move.outcome.run.itemsCreated + move.outcome.run.itemsUpdated + move.outcome.run.itemsDeleted,
    moveWriteAmplification: round(
      (move.outcome.run.itemsCreated +
        move.outcome.run.itemsUpdated +
        move.outcome.run.itemsDeleted) /
        mailboxes,
      4,
    ),
    moveGraphCallsPerChange: round(move.stats.total / mailboxes, 3),
    moveGraphWritesPerChange: round(eventWritesOf(move.stats) / mailboxes, 3),
    failedMailboxAttempts:
      initial.failedAttempts + noop.failedAttempts + edit.failedAttempts + move.failedAttempts,
  };
}
