import type { CalendarEvent, MailboxEventValues, MailboxItemStore, MailboxRef } from '@app/domain';
import type { EwsConnectionSource } from './ews-connection';
import { EwsEventsSession } from './ews-events-session';
import type { EwsMailboxAddresses } from './ews-mailbox-addresses';
import { EwsAccountGate } from './ews-account-gate';
import { EwsPace } from './ews-pace';
import { ewsSessionContext, type EwsStoreOptions } from './ews-session-context';
import { EwsSignInGuard } from './ews-sign-in-guard';

/**
 * Calendar items over EWS (Exchange Server on-premises), as the engine's mailbox port (see
 * EwsEventsSession): the contacts adapter's connection, impersonation, pace and error mapping.
 * Pass the contacts store's pace so both kinds wait out one mailbox's back-off together.
 */
export class EwsEventsStore implements MailboxItemStore<CalendarEvent, MailboxEventValues> {
  readonly itemKind = 'event';
  readonly transport = 'ews';

  constructor(
    private readonly connections: EwsConnectionSource,
    private readonly addresses: EwsMailboxAddresses,
    options: EwsStoreOptions = {},
    readonly pace = new EwsPace(),
  ) {
    // Without shared ones (tests), a gate and a guard of its own: never unguarded.
    this.options = { gate: new EwsAccountGate(10), signIns: new EwsSignInGuard(), ...options };
  }

  private readonly options: EwsStoreOptions;

  open(mailbox: MailboxRef): EwsEventsSession {
    return new EwsEventsSession(
      ewsSessionContext(mailbox, this.connections, this.addresses, this.pace, this.options),
    );
  }
}
