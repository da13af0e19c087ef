import type { CalendarEvent, MailboxEventValues } from '@app/domain';
import { EwsEventsStore } from '@app/microsoft';
import {
  Appointment,
  DateTime,
  FolderId,
  SendInvitationsMode,
  TimeZoneInfo,
} from 'ews-javascript-api';
import { randomUUID } from 'node:crypto';
import { graphAsApp } from './support/graph-as-app';
import { describeMailboxItemStoreContract } from './support/mailbox-item-store.contract';
import { ewsPortParts, startPortSimulator, type PortSimulator } from './support/port-simulator';

// The mailbox port's contract against the EWS calendar adapter: ews-javascript-api over HTTPS
// to the simulator's EWS endpoint (NTLM sign-in, impersonation), every response it sent held to
// Microsoft's EWS schema at the end.
let port: PortSimulator;

// Every EWS response it sent is held to Microsoft's schema by test/support/ews-schema-guard.ts.
afterAll(async () => {
  await port?.close();
});

const event = (subject: string): CalendarEvent => ({
  sourceKey: subject,
  subject,
  start: { kind: 'dateTime', local: '2027-03-01T09:00:00', timeZone: 'America/New_York' },
  end: { kind: 'dateTime', local: '2027-03-01T10:00:00', timeZone: 'America/New_York' },
  isAllDay: false,
  showAs: 'busy',
  isReminderOn: false,
});

describeMailboxItemStoreContract<CalendarEvent, MailboxEventValues>(
  'EWS calendar items',
  async () => {
    port = await startPortSimulator('port-ews-cal-', { ewsRecordResponses: true });
    const { sim, dispatcher, tid } = port;
    const { user } = port;
    const { store, asUser, graphIdOf } = ewsPortParts(
      port,
      'calendars',
      (connections, addresses) => new EwsEventsStore(connections, addresses),
    );
    return {
      store,
      mailbox: { tenant: { id: randomUUID(), azureTenantId: tid }, mailboxId: user.id },
      patch: event,
      nameOf: (values) => values?.subject,
      createUserItem: async (containerId, name) => {
        const a = new Appointment(asUser.service);
        a.Subject = name;
        a.StartTimeZone = TimeZoneInfo.Utc;
        a.Start = new DateTime(Date.UTC(2027, 2, 1, 9));
        a.End = new DateTime(Date.UTC(2027, 2, 1, 10));
        await asUser.service.CreateItems(
          [a],
          new FolderId(containerId),
          null as never,
          SendInvitationsMode.SendToNone,
        );
        return a.Id.UniqueId;
      },
      loseNextWriteResponse: port.loseNextEwsWriteResponse,
      // The simulator's calendars have no Deleted Items: a user's delete removes them either way.
      deleteContainerAsUser: async (containerId) => {
        const id = await graphIdOf(containerId);
        const res = await graphAsApp(
          sim,
          dispatcher,
          tid,
          'DELETE',
          `/users/${user.id}/calendars/${id}`,
        );
        if (res.status !== 204) throw new Error(`delete calendar: ${res.status}`);
      },
      expiredToken: async () => `ews-fp:${randomUUID()}`,
      listsInsteadOfChanges: true,
    };
  },
);
