import type { ContactPatch, MailboxContactValues, MailboxItemStore, MailboxRef } from '@app/domain';
import { setTimeout as delay } from 'node:timers/promises';
import { MicrosoftError } from '../microsoft-error';
import { EwsAccountGate } from './ews-account-gate';
import type { EwsConnectionSource } from './ews-connection';
import { EwsContactsSession } from './ews-contacts-session';
import type { EwsMailboxAddresses } from './ews-mailbox-addresses';
import { EwsPace } from './ews-pace';
import { createEwsService } from './ews-service-factory';
import { EwsSignInGuard } from './ews-sign-in-guard';

export interface EwsStoreOptions {
  /** A back-off longer than this is not sat out in the job: THROTTLED, rescheduled. */
  maxInlineWaitMs?: number;
  timeoutMs?: number;
  /** Requests in flight per service account in this process (EWS_MAX_CONCURRENCY); shared when given. */
  gate?: EwsAccountGate;
  /** Refused sign-ins not repeated; shared when given. */
  signIns?: EwsSignInGuard;
  /** Accept http:// EWS URLs (EWS_ALLOW_HTTP). */
  allowHttp?: boolean;
}

/**
 * Contacts over EWS (Exchange Server on-premises), as the engine's mailbox port. Every session
 * gets its own ExchangeService built from its tenant's connection (own XHR instance, own
 * sign-in, own agent), impersonating the mailbox's SMTP address; the back-offs Exchange asks
 * for, the per-account concurrency and refused sign-ins are shared by the sessions of this
 * process.
 */
export class EwsContactsStore implements MailboxItemStore<ContactPatch, MailboxContactValues> {
  readonly itemKind = 'contact';
  readonly transport = 'ews';
  readonly pace = new EwsPace();
  readonly gate: EwsAccountGate;
  readonly signIns: EwsSignInGuard;

  constructor(
    private readonly connections: EwsConnectionSource,
    private readonly addresses: EwsMailboxAddresses,
    private readonly options: EwsStoreOptions = {},
  ) {
    this.gate = options.gate ?? new EwsAccountGate(10);
    this.signIns = options.signIns ?? new EwsSignInGuard();
  }

  open(mailbox: MailboxRef): EwsContactsSession {
    return new EwsContactsSession({
      pace: this.pace,
      maxInlineWaitMs: this.options.maxInlineWaitMs ?? 10_000,
      sleep: (ms) => delay(ms),
      connect: async () => {
        const [connection, address] = await Promise.all([
          this.connections.forTenant(mailbox.tenant.id),
          this.addresses.addressOf(mailbox),
        ]);
        if (!connection)
          throw new MicrosoftError(
            'NOT_CONFIGURED',
            'on-premises mailbox, no EWS connection: set the Exchange server URL and service account under EWS settings',
          );
        if (!address)
          throw new MicrosoftError(
            'MAILBOX_NOT_FOUND',
            `mailbox ${mailbox.mailboxId} has no SMTP address to open it by through EWS`,
          );
        const handle = createEwsService(connection, address, {
          timeoutMs: this.options.timeoutMs,
          gate: this.gate,
          signIns: this.signIns,
          allowHttp: this.options.allowHttp,
        });
        return {
          handle,
          address,
          account: `${mailbox.tenant.id}|${connection.username.toLowerCase()}`,
        };
      },
    });
  }
}
