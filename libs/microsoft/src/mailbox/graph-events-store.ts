import type { CalendarEvent, MailboxEventValues, MailboxItemStore, MailboxRef } from '@app/domain';
import type { GraphGateway } from '../graph/graph-gateway';
import { MailboxGate } from '../graph/mailbox-gate';
import { MailboxPaceHints } from '../graph/mailbox-pace-hints';
import { GraphEventsSession } from './graph-events-session';

/** Calendar events over Microsoft Graph, as the engine's mailbox port (see GraphEventsSession). */
export class GraphEventsStore implements MailboxItemStore<CalendarEvent, MailboxEventValues> {
  readonly itemKind = 'event';
  readonly transport = 'graph';

  constructor(
    private readonly graph: GraphGateway,
    private readonly paceHints = new MailboxPaceHints(),
  ) {}

  open(mailbox: MailboxRef): GraphEventsSession {
    return new GraphEventsSession(
      this.graph,
      mailbox.tenant,
      mailbox.mailboxId,
      new MailboxGate({ pace: this.paceHints.forTenant(mailbox.tenant.id) }),
    );
  }
}
