import type {
  CalendarEvent,
  ContactPatch,
  MailboxContactValues,
  MailboxEventValues,
} from '@app/domain';
import type { RoutingMailboxStore } from '@app/microsoft';

/**
 * The stores the engine gets, one per item kind, each routed per mailbox between Graph and the
 * tenant's EWS connection (one routing class, one remembered route per mailbox, one EWS pace).
 */
export class RoutedMailboxStores {
  constructor(
    readonly contacts: RoutingMailboxStore<ContactPatch, MailboxContactValues>,
    readonly events: RoutingMailboxStore<CalendarEvent, MailboxEventValues>,
  ) {}
}
