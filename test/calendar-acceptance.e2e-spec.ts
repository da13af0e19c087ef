import { describeCalendarAcceptance, opCount } from './support/calendar-acceptance';
import type { SimStats } from './support/fleet';

const graphWrites = (stats: SimStats) =>
  ['events.create', 'events.update', 'events.delete', 'calendars.create', 'calendars.update']
    .map((op) => opCount(stats, op))
    .reduce((a, b) => a + b, 0);

// Issue #20, acceptance 1 and 2, over Graph: 50 cloud mailboxes; costs in Graph requests.
describeCalendarAcceptance({
  name: 'Graph',
  fleet: { sim: { usersPerTenant: 70 } },
  mailboxes: 50,
  serves: (u) => u.mailbox === 'cloud',
  writes: graphWrites,
  cost: (stats) => stats.total,
  creates: (stats) => opCount(stats, 'events.create'),
  updates: (stats) => opCount(stats, 'events.update'),
  deletes: (stats) => opCount(stats, 'events.delete'),
  createOwnEvent: async (fleet, user, calendarId, e) => {
    const res = await fleet.graph<{ id: string }>(
      'POST',
      calendarId ? `/users/${user.id}/calendars/${calendarId}/events` : `/users/${user.id}/events`,
      {
        subject: e.subject,
        ...(e.isAllDay ? { isAllDay: true } : {}),
        start: { dateTime: e.start, timeZone: e.timeZone },
        end: { dateTime: e.end, timeZone: e.timeZone },
      },
    );
    expect(res.status).toBe(201);
    return res.body.id;
  },
  // Graph sends an event's invitations only to attendees, and ours have none (counted above).
  assertNothingSent: (stats) => expect(opCount(stats, 'events.invitationsSent')).toBe(0),
});
