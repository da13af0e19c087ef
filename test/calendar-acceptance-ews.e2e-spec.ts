import { instantOf, timeZoneOf } from '@app/calendar';
import {
  Appointment,
  DateTime,
  FolderId,
  SendInvitationsMode,
  TimeZoneInfo,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { toEwsId } from '../apps/m365-sim/src/core/ids';
import { checkEwsResponses } from '../apps/m365-sim/test/ews-schema';
import { describeCalendarAcceptance, opCount } from './support/calendar-acceptance';
import { tag, type SimStats } from './support/fleet';

/** The simulator's EWS counters (beside Graph's in /_sim/stats). */
const ews = (stats: SimStats) =>
  (stats as SimStats & { ews: { operations: number; handshakeRequests: number } }).ews;
const ewsWrites = [
  'ews.CreateItem',
  'ews.UpdateItem',
  'ews.DeleteItem',
  'ews.CreateFolder',
  'ews.UpdateFolder',
];

const MAILBOXES = 50;
// Issue #21: issue #20's calendar acceptance 1 and 2, the same test body, over EWS: a hybrid
// tenant's on-premises mailboxes (Graph answers MailboxNotEnabledForRESTAPI for them) reached
// through the tenant's EWS connection, signed in with NTLM. Costs in SOAP operations, the NTLM
// handshake requests reported beside them; every EWS response held to Microsoft's schema.
describeCalendarAcceptance({
  name: 'EWS (on-premises mailboxes, NTLM)',
  fleet: {
    sim: { usersPerTenant: 70, onPremisesUsersPerTenant: MAILBOXES, ewsRecordResponses: true },
  },
  mailboxes: MAILBOXES,
  serves: (u) => u.mailbox === 'onprem',
  connect: (fleet) => fleet.setEwsConnection({ impersonationAddress: null, addressListId: null }),
  writes: (stats) => ewsWrites.map((op) => opCount(stats, op)).reduce((a, b) => a + b, 0),
  cost: (stats) => ews(stats).operations,
  creates: (stats) => opCount(stats, 'ews.CreateItem'),
  updates: (stats) => opCount(stats, 'ews.UpdateItem'),
  deletes: (stats) => opCount(stats, 'ews.DeleteItem'),
  createOwnEvent: async (fleet, user, calendarId, e) => {
    // As the user's Outlook would: through EWS, no tags of ours.
    const handle = fleet.ewsAs(user.mail!);
    try {
      const zone = TimeZoneInfo.FindSystemTimeZoneById(e.timeZone);
      const a = new Appointment(handle.service);
      a.Subject = e.subject;
      a.StartTimeZone = zone;
      a.EndTimeZone = zone;
      a.Start = new DateTime(instantOf(e.start, timeZoneOf(e.timeZone)!).getTime());
      a.End = new DateTime(instantOf(e.end, timeZoneOf(e.timeZone)!).getTime());
      a.IsAllDayEvent = !!e.isAllDay;
      await handle.service.CreateItems(
        [a],
        calendarId
          ? new FolderId(toEwsId(calendarId)!)
          : new FolderId(WellKnownFolderName.Calendar),
        null as never,
        SendInvitationsMode.SendToNone,
      );
    } finally {
      handle.close();
    }
    const { events } = await fleet.calendar(user.id);
    const own = events.filter(
      (x) =>
        x.subject === e.subject &&
        !tag(x, 'CsListId') &&
        (calendarId === null || x.calendarId === calendarId),
    );
    expect(own).toHaveLength(1);
    return own[0].id;
  },
  // Every calendar item was written with the Send* attribute saying nobody is notified.
  assertNothingSent: (stats) => {
    const modes = Object.keys(stats.ops).filter((op) => /^ews\.\w+\.SendMeeting/.test(op));
    expect(modes.filter((op) => !op.endsWith('=SendToNone'))).toEqual([]);
    expect(opCount(stats, 'events.invitationsSent')).toBe(0);
  },
  afterRun: (label, stats) => {
    const { operations, handshakeRequests } = ews(stats);
    // Reported beside the SOAP operations (ADR 0043): NTLM authenticates a connection.
    console.log(
      `EWS calendar ${label}: ${operations} SOAP operations (${(operations / MAILBOXES).toFixed(2)} per mailbox: ${Object.entries(
        stats.ops,
      )
        .filter(([op]) => /^ews\.[A-Za-z]+$/.test(op) && op !== 'ews.request')
        .map(([op, v]) => `${op.slice(4)} ${v.count}`)
        .join(', ')}), ${handshakeRequests} NTLM handshake requests beside them`,
    );
    expect(handshakeRequests).toBeLessThanOrEqual(operations);
  },
  finish: async (fleet) => {
    const report = await checkEwsResponses(fleet.sim.state.ewsStats.recorded);
    expect(report.failures).toEqual([]);
    expect(report.validated).toBeGreaterThan(MAILBOXES);
  },
});
