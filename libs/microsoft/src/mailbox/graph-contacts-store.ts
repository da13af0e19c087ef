import type { ContactPatch, MailboxContactValues, MailboxItemStore, MailboxRef } from '@app/domain';
import type { GraphGateway } from '../graph/graph-gateway';
import { MailboxGate } from '../graph/mailbox-gate';
import { MailboxPaceHints } from '../graph/mailbox-pace-hints';
import { GraphContactsSession } from './graph-contacts-session';

/**
 * Contacts over Microsoft Graph, as the engine's mailbox port. Each session gets its own
 * MailboxGate; the paces the gates learn are shared per tenant within this process, so the
 * next job on a tenant starts at the pace the last one found.
 */
export class GraphContactsStore implements MailboxItemStore<ContactPatch, MailboxContactValues> {
  readonly itemKind = 'contact';
  readonly transport = 'graph';

  constructor(
    private readonly graph: GraphGateway,
    private readonly paceHints = new MailboxPaceHints(),
  ) {}

  open(mailbox: MailboxRef): GraphContactsSession {
    return new GraphContactsSession(
      this.graph,
      mailbox.tenant,
      mailbox.mailboxId,
      new MailboxGate({ pace: this.paceHints.forTenant(mailbox.tenant.id) }),
    );
  }
}
