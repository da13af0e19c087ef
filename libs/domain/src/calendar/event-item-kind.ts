import type { ItemDiffStrategy } from '../diff/diff-types';
import { canonicalJson } from '../hash/canonical-json';
import type { ItemKindStrategy } from '../mailbox/item-kind-strategy';
import type { CalendarEvent } from './calendar-event';
import { canonicalEventField, SYNCED_EVENT_FIELDS } from './event-content-hash';

/** What writing an event means: the whole event as wanted (the adapter maps it). */
export interface EventPlan {
  event: CalendarEvent;
  /** The fields that differ from what we last wrote (all of them on a create). */
  changedFields: readonly string[];
}

/** What an event kind knows of a mailbox event without reading it: nothing but its tags. */
export type EventCurrent = Record<string, never>;

/** The few values of a mailbox event a preview shows. */
export interface MailboxEventValues {
  subject?: string;
}

/** Events need no sync policy of their own yet: the list's settings shape the event itself. */
export type EventSyncPolicy = Record<string, never>;

export type EventItemKind = ItemKindStrategy<
  CalendarEvent,
  EventCurrent,
  EventPlan,
  CalendarEvent,
  MailboxEventValues,
  EventSyncPolicy
>;

const ALL_FIELDS: readonly string[] = SYNCED_EVENT_FIELDS;

/** Which synced fields differ between two versions of an event. */
export function changedEventFields(before: CalendarEvent, after: CalendarEvent): string[] {
  return SYNCED_EVENT_FIELDS.filter(
    (f) =>
      canonicalJson(canonicalEventField(before, f) ?? null) !==
      canonicalJson(canonicalEventField(after, f) ?? null),
  );
}

/**
 * Events as an item kind. Unlike contacts, a user's edits to one of our events are not merged:
 * an event we own is written whole when its content hash differs (a calendar list is the source
 * of truth for its events), and nothing of its current values is needed to plan — so the map
 * keeps no per-field hashes and the no-op costs only the tagged listing.
 */
export const eventItemKind: EventItemKind = {
  kind: 'event',
  diff: (): ItemDiffStrategy<CalendarEvent, EventCurrent, EventPlan> => ({
    planCreate: (desired) => ({ event: desired.value, changedFields: ALL_FIELDS }),
    planUpdate: (desired) => ({ event: desired.value, changedFields: ALL_FIELDS }),
    planDrift: () => undefined,
  }),
  patchOf: (plan) => plan.event,
  fieldHashesOf: () => undefined,
  currentOf: () => ({}),
  mapHashOf: () => undefined,
  currentFromMapHash: () => ({}),
  needsCurrent: () => false,
  replan: (desired) => ({ event: desired, changedFields: ALL_FIELDS }),
  nameOf: (value) => value.subject,
  noteOf: (value) =>
    value.expandedFrom
      ? `one of the single events a series became: its rule has no Graph equivalent (${value.expandedFrom.reason})`
      : undefined,
  nameOfValues: (values) => values?.subject,
  fieldsOf: (plan) => plan.changedFields,
  changedFields: changedEventFields,
};
