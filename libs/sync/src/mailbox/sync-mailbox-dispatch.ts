import type { SyncMailboxPayload } from '@app/queue';
import type { MailboxResult } from './mailbox-result';
import type { SyncMailboxUseCase } from './sync-mailbox.use-case';

/** The sync-mailbox use case of each kind of list: a job goes to its list's kind (absent: contacts). */
export class SyncMailboxDispatch {
  constructor(
    private readonly contacts: SyncMailboxUseCase,
    private readonly calendar: SyncMailboxUseCase,
  ) {}

  private of(payload: SyncMailboxPayload): SyncMailboxUseCase {
    return payload.listKind === 'calendar' ? this.calendar : this.contacts;
  }

  execute(payload: SyncMailboxPayload, holder: string): Promise<MailboxResult | undefined> {
    return this.of(payload).execute(payload, holder);
  }

  recordFailure(payload: SyncMailboxPayload, error: Error & { code?: string }): Promise<void> {
    return this.of(payload).recordFailure(payload, error);
  }
}
