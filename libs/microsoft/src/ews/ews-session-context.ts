import type { MailboxRef } from '@app/domain';
import { setTimeout as delay } from 'node:timers/promises';
import { MicrosoftError } from '../microsoft-error';
import type { EwsAccountGate } from './ews-account-gate';
import type { EwsConnectionSource } from './ews-connection';
import type { EwsMailboxAddresses } from './ews-mailbox-addresses';
import type { EwsSessionContext } from './ews-mailbox-session';
import type { EwsPace } from './ews-pace';
import { createEwsService } from './ews-service-factory';
import type { EwsSignInGuard } from './ews-sign-in-guard';

export interface EwsStoreOptions {
  /** A back-off longer than this is not sat out in the job: THROTTLED, rescheduled. */
  maxInlineWaitMs?: number;
  /**
   * How long one request may go without an answer (default 100 s): it then fails TRANSIENT and
   * the job is retried (EWS_TIMEOUT_MS).
   */
  timeoutMs?: number;
  /** Requests in flight per service account in this process (EWS_MAX_CONCURRENCY); shared when given. */
  gate?: EwsAccountGate;
  /** Refused sign-ins not repeated; shared when given. */
  signIns?: EwsSignInGuard;
  /** Accept http:// EWS URLs (EWS_ALLOW_HTTP). */
  allowHttp?: boolean;
}

/**
 * What an EWS session of any item kind gets for one mailbox: its own ExchangeService built from
 * its tenant's connection (own XHR instance, own sign-in, own agent), impersonating the
 * mailbox's SMTP address, and the process's back-offs (shared by the store's sessions).
 */
export function ewsSessionContext(
  mailbox: MailboxRef,
  connections: EwsConnectionSource,
  addresses: EwsMailboxAddresses,
  pace: EwsPace,
  options: EwsStoreOptions,
): EwsSessionContext {
  return {
    pace,
    maxInlineWaitMs: options.maxInlineWaitMs ?? 10_000,
    sleep: (ms) => delay(ms),
    connect: async () => {
      const [connection, address] = await Promise.all([
        connections.forTenant(mailbox.tenant.id),
        addresses.addressOf(mailbox),
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
        timeoutMs: options.timeoutMs,
        gate: options.gate,
        signIns: options.signIns,
        allowHttp: options.allowHttp,
      });
      return {
        handle,
        address,
        account: `${mailbox.tenant.id}|${connection.username.toLowerCase()}`,
      };
    },
  };
}
