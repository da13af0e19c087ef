import { createHash } from 'node:crypto';
import { canonicalJson, type CanonicalValue } from '../hash/canonical-json';
import { CONTENT_HASH_LENGTH, type ContentHashOptions } from '../hash/contact-content-hash';
import type { CalendarEvent } from './calendar-event';

/** Bump when the canonical form changes: every event is rewritten once, then no-ops again. */
export const EVENT_HASH_VERSION = 1;

/** The fields of an event a calendar list writes (and a preview names). */
export const SYNCED_EVENT_FIELDS = [
  'subject',
  'body',
  'location',
  'start',
  'end',
  'isAllDay',
  'showAs',
  'isReminderOn',
  'reminderMinutesBeforeStart',
  'categories',
  'recurrence',
  'exceptions',
] as const satisfies ReadonlyArray<keyof CalendarEvent>;

export type SyncedEventField = (typeof SYNCED_EVENT_FIELDS)[number];

/** The canonical form of one field: trimmed text, sorted categories and exceptions. */
export function canonicalEventField(
  event: CalendarEvent,
  field: SyncedEventField,
): CanonicalValue | undefined {
  const value = event[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (field === 'categories')
    return [...(value as string[])]
      .map((c) => c.trim())
      .filter(Boolean)
      .sort();
  if (field === 'exceptions')
    return (value as NonNullable<CalendarEvent['exceptions']>)
      .map((e) => JSON.parse(JSON.stringify(e)) as CanonicalValue)
      .sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
  return JSON.parse(JSON.stringify(value)) as CanonicalValue;
}

/**
 * The `ContentHash` tag of an event: every synced field in canonical form, so it is stable
 * across key order and exception order and changes when anything we write changes (the list's
 * show-as, reminder or category go in through the salt or the event itself).
 */
export function eventContentHash(event: CalendarEvent, options: ContentHashOptions = {}): string {
  const fields: Record<string, CanonicalValue> = {};
  for (const field of SYNCED_EVENT_FIELDS) {
    const value = canonicalEventField(event, field);
    if (value !== undefined) fields[field] = value;
  }
  return createHash('sha256')
    .update(canonicalJson({ v: EVENT_HASH_VERSION, salt: options.salt ?? '', fields }), 'utf8')
    .digest('base64url')
    .slice(0, CONTENT_HASH_LENGTH);
}
