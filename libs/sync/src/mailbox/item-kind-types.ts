import type {
  CalendarEvent,
  Contact,
  ContactPatch,
  ContactPatchResult,
  ContactSyncPolicy,
  DiffOp,
  EventCurrent,
  EventPlan,
  EventSyncPolicy,
  ItemKindStrategy,
  MailboxEventValues,
  MailboxContactState,
  MailboxContactValues,
} from '@app/domain';

/** The types one item kind brings to the engine, named once instead of passed six at a time. */
export interface ItemKindTypes {
  /** The desired item (a contact, an event). */
  value: unknown;
  /** What a plan is computed against (values read from the mailbox, stored field hashes). */
  current: unknown;
  /** A planned write. */
  plan: unknown;
  /** What a write sends (the adapter maps it to its transport). */
  patch: unknown;
  /** What a read returns. */
  values: unknown;
  /** The list's field policy. */
  policy: unknown;
}

export type StrategyOf<K extends ItemKindTypes> = ItemKindStrategy<
  K['value'],
  K['current'],
  K['plan'],
  K['patch'],
  K['values'],
  K['policy']
>;

export type OpOf<K extends ItemKindTypes> = DiffOp<K['value'], K['plan']>;

export interface ContactKindTypes extends ItemKindTypes {
  value: Contact;
  current: MailboxContactState;
  plan: ContactPatchResult;
  patch: ContactPatch;
  values: MailboxContactValues;
  policy: ContactSyncPolicy;
}

export interface EventKindTypes extends ItemKindTypes {
  value: CalendarEvent;
  current: EventCurrent;
  plan: EventPlan;
  patch: CalendarEvent;
  values: MailboxEventValues;
  policy: EventSyncPolicy;
}
