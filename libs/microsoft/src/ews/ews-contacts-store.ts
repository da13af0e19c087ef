import type { ContactPatch, MailboxContactValues, MailboxItemStore, MailboxRef } from '@app/domain';
import type { EwsConnectionSource } from './ews-connection';
import { EwsContactsSession } from './ews-contacts-session';
import type { EwsMailboxAddresses } from './ews-mailbox-addresses';
import { EwsAccountGate } from './ews-account-gate';
import { EwsPace } from './ews-pace';
import { ewsSessionContext, type EwsStoreOptions } from './ews-session-context';
import { EwsSignInGuard } from './ews-sign-in-guard';

export type { EwsStoreOptions } from './ews-session-context';

/**
 * Contacts over EWS (Exchange Server on-premises), as the engine's mailbox port. Every session
 * gets its own ExchangeService built from its tenant's connection (own XHR instance, own
 * sign-in, own agent), impersonating the mailbox's SMTP address; the back-offs Exchange asks
 * for are shared by the sessions of this process.
 */
export class EwsContactsStore implements MailboxItemStore<ContactPatch, MailboxContactValues> {
  readonly itemKind = 'contact';
  readonly transport = 'ews';
  readonly pace = new EwsPace();

  constructor(
    private readonly connections: EwsConnectionSource,
    private readonly addresses: EwsMailboxAddresses,
    options: EwsStoreOptions = {},
  ) {
    // Without shared ones (tests), a gate and a guard of its own: never unguarded.
    this.options = { gate: new EwsAccountGate(10), signIns: new EwsSignInGuard(), ...options };
  }

  private readonly options: EwsStoreOptions;

  open(mailbox: MailboxRef): EwsContactsSession {
    return new EwsContactsSession(
      ewsSessionContext(mailbox, this.connections, this.addresses, this.pace, this.options),
    );
  }
}
