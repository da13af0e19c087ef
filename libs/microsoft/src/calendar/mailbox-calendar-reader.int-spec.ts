import type { CalendarEvent } from '@app/domain';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { MicrosoftError } from '../microsoft-error';
import { gatewayOnSimulator } from '../testing/gateway-on-simulator';
import { SimulatorProcess } from '../testing/simulator-process';
import { MailboxCalendarReader } from './mailbox-calendar-reader';

// The source-mailbox calendar reader against the simulator over HTTPS through the real Graph
// gateway: a source user's calendar written the way Outlook would (Windows zone names, a series
// with one occurrence moved and one deleted), read back as domain events in their own zones.
let sim: SimulatorProcess;
let redis: Redis;
let reader: MailboxCalendarReader;
let tid: string;
let userId: string;
const tenant = () => ({ id: randomUUID(), azureTenantId: tid });
const WINDOW = { start: new Date('2027-01-01T00:00:00Z'), end: new Date('2027-07-01T00:00:00Z') };

interface GraphInstance {
  id: string;
  type: string;
  start: { dateTime: string };
}

async function graph<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await sim.graphAsApp<T>(tid, method, `/users/${userId}${path}`, body);
  if (res.status >= 300 && res.status !== 204)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let seriesUid: string;

beforeAll(async () => {
  sim = await SimulatorProcess.start(['--tenants', '1', '--users', '6', '--seed', '21']);
  tid = sim.info.tenants[0].id;
  await sim.control(`/tenants/${tid}/consent`, 'POST', {});
  const users = await sim.control<
    | Array<{ id: string; mailbox: string; purpose?: string }>
    | { users: Array<{ id: string; mailbox: string; purpose?: string }> }
  >(`/tenants/${tid}/users`);
  const user = (Array.isArray(users) ? users : users.users).find(
    (u) => u.mailbox === 'cloud' && (u.purpose ?? 'user') === 'user',
  );
  if (!user) throw new Error('no cloud user mailbox in the simulated tenant');
  userId = user.id;
  const made = gatewayOnSimulator(sim);
  redis = made.redis;
  reader = new MailboxCalendarReader(made.gateway);

  // The primary calendar: a weekly series in New York time (Windows zone name, as Outlook
  // writes it), an event in Kolkata, an all-day event, and one outside the window.
  const series = await graph<{ id: string; iCalUId: string }>('POST', '/calendar/events', {
    subject: 'Stand-up',
    body: { contentType: 'html', content: '<p>Daily <b>sync</b> &amp; plan</p>' },
    location: { displayName: 'Room 1' },
    start: { dateTime: '2027-01-05T09:00:00', timeZone: 'Eastern Standard Time' },
    end: { dateTime: '2027-01-05T09:30:00', timeZone: 'Eastern Standard Time' },
    showAs: 'busy',
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], firstDayOfWeek: 'sunday' },
      range: { type: 'numbered', startDate: '2027-01-05', numberOfOccurrences: 6 },
    },
  });
  seriesUid = series.iCalUId;
  const instances = await graph<{ value: GraphInstance[] }>(
    'GET',
    `/events/${series.id}/instances?startDateTime=2027-01-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z&$top=100`,
  );
  expect(instances.value).toHaveLength(6);
  // 12 January deleted, 19 January moved to 11:00 with a new subject.
  await graph('DELETE', `/events/${instances.value[1].id}`);
  await graph('PATCH', `/events/${instances.value[2].id}`, {
    subject: 'Stand-up (moved)',
    start: { dateTime: '2027-01-19T11:00:00', timeZone: 'Eastern Standard Time' },
    end: { dateTime: '2027-01-19T11:30:00', timeZone: 'Eastern Standard Time' },
  });
  await graph('POST', '/calendar/events', {
    subject: 'Release review',
    start: { dateTime: '2027-02-10T15:00:00', timeZone: 'India Standard Time' },
    end: { dateTime: '2027-02-10T16:00:00', timeZone: 'India Standard Time' },
    showAs: 'tentative',
    isReminderOn: true,
    reminderMinutesBeforeStart: 30,
  });
  await graph('POST', '/calendar/events', {
    subject: 'Company day',
    isAllDay: true,
    start: { dateTime: '2027-06-04T00:00:00', timeZone: 'UTC' },
    end: { dateTime: '2027-06-05T00:00:00', timeZone: 'UTC' },
    showAs: 'free',
  });
  await graph('POST', '/calendar/events', {
    subject: 'Long ago',
    start: { dateTime: '2026-03-01T10:00:00', timeZone: 'UTC' },
    end: { dateTime: '2026-03-01T11:00:00', timeZone: 'UTC' },
  });
  // An all-day weekly series made in Berlin time, its second Friday deleted.
  const fridays = await graph<{ id: string }>('POST', '/calendar/events', {
    subject: 'No-meeting Friday',
    isAllDay: true,
    start: { dateTime: '2027-03-05T00:00:00', timeZone: 'W. Europe Standard Time' },
    end: { dateTime: '2027-03-06T00:00:00', timeZone: 'W. Europe Standard Time' },
    showAs: 'free',
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['friday'], firstDayOfWeek: 'monday' },
      range: { type: 'endDate', startDate: '2027-03-05', endDate: '2027-03-26' },
    },
  });
  const fridayInstances = await graph<{ value: GraphInstance[] }>(
    'GET',
    `/events/${fridays.id}/instances?startDateTime=2027-03-01T00:00:00Z&endDateTime=2027-04-01T00:00:00Z`,
  );
  expect(fridayInstances.value).toHaveLength(4);
  await graph('DELETE', `/events/${fridayInstances.value[1].id}`);
  // A second calendar, read by name.
  const team = await graph<{ id: string }>('POST', '/calendars', { name: 'Team Events' });
  await graph('POST', `/calendars/${team.id}/events`, {
    subject: 'Offsite',
    start: { dateTime: '2027-04-20T09:00:00', timeZone: 'W. Europe Standard Time' },
    end: { dateTime: '2027-04-20T17:00:00', timeZone: 'W. Europe Standard Time' },
  });
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await sim?.stop();
});

const bySubject = (events: CalendarEvent[]) =>
  Object.fromEntries(events.map((e) => [e.subject, e]));

describe('MailboxCalendarReader', () => {
  it('reads the primary calendar: a series with its moved and deleted occurrences, single events in their zones, nothing outside the window', async () => {
    const before = await sim.control<{ ops: Record<string, { count: number }> }>('/stats');
    const events = await reader.read(tenant(), userId, undefined, WINDOW);
    const after = await sim.control<{ ops: Record<string, { count: number }> }>('/stats');
    const got = bySubject(events);
    expect(Object.keys(got).sort()).toEqual([
      'Company day',
      'No-meeting Friday',
      'Release review',
      'Stand-up',
    ]);
    expect(got['No-meeting Friday']).toMatchObject({
      start: { kind: 'date', date: '2027-03-05' },
      end: { kind: 'date', date: '2027-03-06' },
      isAllDay: true,
      recurrence: { range: { type: 'endDate', startDate: '2027-03-05', endDate: '2027-03-26' } },
      exceptions: [{ kind: 'cancelled', originalStart: { kind: 'date', date: '2027-03-12' } }],
    });
    const NY = 'America/New_York';
    expect(got['Stand-up']).toEqual({
      sourceKey: seriesUid,
      subject: 'Stand-up',
      body: 'Daily sync & plan',
      location: 'Room 1',
      start: { kind: 'dateTime', local: '2027-01-05T09:00:00', timeZone: NY },
      end: { kind: 'dateTime', local: '2027-01-05T09:30:00', timeZone: NY },
      isAllDay: false,
      showAs: 'busy',
      isReminderOn: expect.any(Boolean),
      ...(got['Stand-up'].reminderMinutesBeforeStart !== undefined
        ? { reminderMinutesBeforeStart: expect.any(Number) }
        : {}),
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], firstDayOfWeek: 'sunday' },
        range: { type: 'numbered', startDate: '2027-01-05', numberOfOccurrences: 6 },
      },
      exceptions: [
        {
          kind: 'cancelled',
          originalStart: { kind: 'dateTime', local: '2027-01-12T09:00:00', timeZone: NY },
        },
        {
          kind: 'modified',
          originalStart: { kind: 'dateTime', local: '2027-01-19T09:00:00', timeZone: NY },
          start: { kind: 'dateTime', local: '2027-01-19T11:00:00', timeZone: NY },
          end: { kind: 'dateTime', local: '2027-01-19T11:30:00', timeZone: NY },
          subject: 'Stand-up (moved)',
        },
      ],
    });
    expect(got['Release review']).toMatchObject({
      start: { kind: 'dateTime', local: '2027-02-10T15:00:00', timeZone: 'Asia/Calcutta' },
      end: { kind: 'dateTime', local: '2027-02-10T16:00:00', timeZone: 'Asia/Calcutta' },
      showAs: 'tentative',
      isReminderOn: true,
      reminderMinutesBeforeStart: 30,
    });
    expect(got['Release review'].recurrence).toBeUndefined();
    expect(got['Company day']).toMatchObject({
      start: { kind: 'date', date: '2027-06-04' },
      end: { kind: 'date', date: '2027-06-05' },
      isAllDay: true,
      showAs: 'free',
    });
    // One listing page, one /instances call per series: nothing per occurrence.
    const delta = (op: string) => (after.ops[op]?.count ?? 0) - (before.ops[op]?.count ?? 0);
    expect(delta('events.list')).toBe(1);
    expect(delta('events.instances')).toBe(2);
  });

  it('reads a calendar by name (any case); an unknown name is CONTAINER_NOT_FOUND', async () => {
    const events = await reader.read(tenant(), userId, 'team events', WINDOW);
    expect(events.map((e) => [e.subject, e.start])).toEqual([
      ['Offsite', { kind: 'dateTime', local: '2027-04-20T09:00:00', timeZone: 'Europe/Berlin' }],
    ]);
    const missing = await reader.read(tenant(), userId, 'Nope', WINDOW).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MicrosoftError);
    expect((missing as MicrosoftError).code).toBe('CONTAINER_NOT_FOUND');
  });

  it('a window after the series ends leaves the series out', async () => {
    const events = await reader.read(tenant(), userId, undefined, {
      start: new Date('2027-05-01T00:00:00Z'),
      end: new Date('2027-12-01T00:00:00Z'),
    });
    expect(events.map((e) => e.subject)).toEqual(['Company day']);
    // Only the series' instances inside the window count: none is cancelled at its edges.
    const march = await reader.read(tenant(), userId, undefined, {
      start: new Date('2027-03-11T00:00:00Z'),
      end: new Date('2027-03-28T00:00:00Z'),
    });
    expect(march.find((e) => e.subject === 'No-meeting Friday')?.exceptions).toEqual([
      { kind: 'cancelled', originalStart: { kind: 'date', date: '2027-03-12' } },
    ]);
  });
});
