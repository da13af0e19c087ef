import {
  eventItemKind,
  type CalendarEvent,
  type MailboxEventValues,
  type MailboxItemStore,
} from '@app/domain';
import type { CalendarListRepository } from '@app/persistence';
import { snapshotKey } from '../runs/snapshot-key';
import {
  calendarSyncSettings,
  parseCalendarListSettings,
} from '../settings/calendar-sync-settings';
import type { EventKindTypes } from './item-kind-types';
import type { SnapshotCache } from './snapshot-cache';
import type { SyncMailboxParts } from './sync-mailbox.use-case';

/** Calendar lists as the engine's item kind, over the given transport's events store. */
export function calendarMailboxParts(
  store: MailboxItemStore<CalendarEvent, MailboxEventValues>,
  lists: CalendarListRepository,
  snapshots: SnapshotCache<CalendarEvent>,
): SyncMailboxParts<EventKindTypes> {
  return {
    kind: eventItemKind,
    store,
    desired: (payload) =>
      snapshots.get(
        payload.tenantId,
        snapshotKey(payload.listId, payload.runId, payload.mode),
        payload.runId,
      ),
    readList: async (tenantId, listId) => {
      const list = await lists.findInTenant(tenantId, listId);
      return list
        ? {
            settingsJson: list.settings,
            settings: calendarSyncSettings(list.name, parseCalendarListSettings(list.settings)),
          }
        : null;
    },
  };
}
