import * as https from 'node:https';
import type { Agent } from 'undici';
import type * as MG from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import {
  Appointment,
  BasePropertySet,
  CalendarFolder,
  ConflictResolutionMode,
  ConnectingIdType,
  DateTime,
  DayOfTheWeek,
  ExchangeService,
  ExchangeVersion,
  Folder,
  FolderId,
  FolderSchema,
  ImpersonatedUserId,
  LegacyFreeBusyStatus,
  PropertySet,
  Recurrence,
  SendInvitationsMode,
  SendInvitationsOrCancellationsMode,
  TimeZoneInfo,
  Uri,
  WebCredentials,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { XhrApi } from '@ewsjs/xhr';
import type { RunningSimulator } from '../src';
import { consent, credential, graphClient, simDispatcher, simFetch, startTestSim } from './helpers';
import { checkEwsResponses } from './ews-schema';

/**
 * Calendar items as the EWS calendar adapter writes them, checked through Graph's view of the
 * same mailbox: the zone a series keeps (StartTimeZone by its Windows Id), the reminder and
 * response flags, LegacyFreeBusyStatus, a changed Recurrence dropping the exceptions (as
 * Exchange does), a calendar renamed with UpdateFolder, and the Send* mode of every write
 * counted. https://learn.microsoft.com/exchange/client-developer/web-service-reference/calendaritem
 */
describe('m365-sim EWS calendar items', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let client: Client;
  let uid: string;
  let svc: ExchangeService;

  beforeAll(async () => {
    sim = await startTestSim({
      ewsAccounts: [
        { userName: 'svc-cal', password: 'Cal-Passw0rd', impersonation: true, basicAuth: true },
      ],
      ewsRecordResponses: true,
    });
    d = simDispatcher(sim);
    const tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
    client = graphClient(sim, credential(sim, tid), d);
    const users = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json;
    const cloud = users.find(
      (u: { mailbox: string; purpose: string; globalAdmin: boolean }) =>
        u.mailbox === 'cloud' && u.purpose === 'user' && !u.globalAdmin,
    );
    uid = cloud.id;
    svc = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
    svc.Credentials = new WebCredentials('svc-cal', 'Cal-Passw0rd');
    svc.Url = new Uri(sim.ewsUrl);
    svc.ImpersonatedUserId = new ImpersonatedUserId(
      ConnectingIdType.SmtpAddress,
      cloud.userPrincipalName,
    );
    svc.XHRApi = new XhrApi({ httpsAgent: new https.Agent({ ca: sim.caPem }) } as never);
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  /** Weekly on Mondays from 22 March 2027, `count` times. */
  const mondays = (count: number) => {
    const pattern = new Recurrence.WeeklyPattern();
    pattern.StartDate = new DateTime(Date.UTC(2027, 2, 22));
    pattern.Interval = 1;
    pattern.DaysOfTheWeek.Add(DayOfTheWeek.Monday);
    pattern.NumberOfOccurrences = count;
    return pattern;
  };

  /** A weekly Monday series at 10:00 Berlin time from 22 March 2027 (DST starts 28 March). */
  const series = async (subject: string, count: number): Promise<Appointment> => {
    const a = new Appointment(svc);
    a.Subject = subject;
    const berlin = TimeZoneInfo.FindSystemTimeZoneById('W. Europe Standard Time');
    a.StartTimeZone = berlin;
    a.EndTimeZone = berlin;
    a.Start = new DateTime(Date.UTC(2027, 2, 22, 9, 0)); // 10:00 CET
    a.End = new DateTime(Date.UTC(2027, 2, 22, 9, 30));
    a.IsReminderSet = false;
    a.IsResponseRequested = false;
    a.LegacyFreeBusyStatus = LegacyFreeBusyStatus.WorkingElsewhere;
    a.Recurrence = mondays(count);
    await svc.CreateItems(
      [a],
      new FolderId(WellKnownFolderName.Calendar),
      null as never,
      SendInvitationsMode.SendToNone,
    );
    return a;
  };
  const graphSeries = async (subject: string) => {
    const all = await client.api(`/users/${uid}/events`).top(100).get();
    return (all.value as MG.Event[]).find((e) => e.subject === subject)!;
  };
  const instances = async (id: string) =>
    (
      (
        await client
          .api(`/users/${uid}/events/${id}/instances`)
          .query({ startDateTime: '2027-03-01T00:00:00Z', endDateTime: '2027-05-01T00:00:00Z' })
          .get()
      ).value as MG.Event[]
    ).map((e) => [e.type, e.start?.dateTime?.slice(0, 16)]);

  it('a series keeps its StartTimeZone: 10:00 in Berlin before and after the switch to summer time', async () => {
    await series('Zoned weekly', 3);
    const master = await graphSeries('Zoned weekly');
    expect(master).toMatchObject({
      originalStartTimeZone: 'W. Europe Standard Time',
      originalEndTimeZone: 'W. Europe Standard Time',
      isReminderOn: false,
      responseRequested: false,
      showAs: 'workingElsewhere',
    });
    // 09:00 UTC (CET), then 08:00 UTC (CEST) on 29 March and 5 April
    expect(await instances(master.id!)).toEqual([
      ['occurrence', '2027-03-22T09:00'],
      ['occurrence', '2027-03-29T08:00'],
      ['occurrence', '2027-04-05T08:00'],
    ]);
  });

  it('UpdateItem sets the zone, reminder and show-as; a changed Recurrence drops the exceptions, the same one keeps them', async () => {
    const a = await series('Edited weekly', 3);
    const master = await graphSeries('Edited weekly');
    // one occurrence moved (an exception)
    const second = await Appointment.BindToOccurrence(svc, a.Id, 2);
    second.Start = new DateTime(Date.UTC(2027, 2, 30, 8, 0));
    second.End = new DateTime(Date.UTC(2027, 2, 30, 8, 30));
    await second.Update(
      ConflictResolutionMode.AlwaysOverwrite,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    const update = async (change: (x: Appointment) => void) => {
      const x = await Appointment.Bind(svc, a.Id, new PropertySet(BasePropertySet.IdOnly));
      change(x);
      await svc.UpdateItems(
        [x],
        null as never,
        ConflictResolutionMode.AlwaysOverwrite,
        null as never,
        SendInvitationsOrCancellationsMode.SendToNone,
      );
    };
    await update((x) => {
      x.Recurrence = mondays(3);
      x.IsReminderSet = true;
      x.LegacyFreeBusyStatus = LegacyFreeBusyStatus.Free;
    });
    expect(await graphSeries('Edited weekly')).toMatchObject({
      isReminderOn: true,
      showAs: 'free',
    });
    expect((await instances(master.id!))[1]).toEqual(['exception', '2027-03-30T08:00']);
    await update((x) => {
      x.Recurrence = mondays(4);
      x.StartTimeZone = TimeZoneInfo.Utc;
    });
    // the UTC zone now: 09:00 UTC every week, no exception left
    expect(await instances(master.id!)).toEqual([
      ['occurrence', '2027-03-22T09:00'],
      ['occurrence', '2027-03-29T09:00'],
      ['occurrence', '2027-04-05T09:00'],
      ['occurrence', '2027-04-12T09:00'],
    ]);
  });

  it('UpdateFolder renames a calendar; a name another calendar has is ErrorFolderExists', async () => {
    const make = async (name: string) => {
      const f = new CalendarFolder(svc);
      f.DisplayName = name;
      await f.Save(new FolderId(WellKnownFolderName.MsgFolderRoot));
      return f;
    };
    const f = await make('Shifts');
    await make('Holidays');
    const bound = await Folder.Bind(
      svc,
      f.Id,
      new PropertySet(BasePropertySet.IdOnly, [FolderSchema.DisplayName]),
    );
    bound.DisplayName = 'Shifts (night)';
    await bound.Update();
    const calendars = await client.api(`/users/${uid}/calendars`).get();
    expect((calendars.value as MG.Calendar[]).map((c) => c.name)).toContain('Shifts (night)');
    bound.DisplayName = 'Holidays';
    await expect(bound.Update()).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/already exists/),
    );
  });

  it('counts the Send* mode of every calendar write: all SendToNone here', async () => {
    const stats = (await simFetch(sim, d, '/_sim/stats')).json as {
      ops: Record<string, { count: number }>;
    };
    const modes = Object.entries(stats.ops)
      .filter(([op]) => /^ews\.\w+\.SendMeeting/.test(op))
      .map(([op, v]) => [op, v.count]);
    expect(modes).toEqual(
      expect.arrayContaining([
        ['ews.CreateItem.SendMeetingInvitations=SendToNone', 2],
        ['ews.UpdateItem.SendMeetingInvitationsOrCancellations=SendToNone', 3],
      ]),
    );
    expect(modes.filter(([op]) => !String(op).endsWith('=SendToNone'))).toEqual([]);
  });

  it('every EWS response sent above validates against the published EWS schema (xmllint)', async () => {
    const report = await checkEwsResponses(sim.state.ewsStats.recorded);
    expect(report.failures).toEqual([]);
    expect(report.validated).toBeGreaterThan(10);
  });
});
