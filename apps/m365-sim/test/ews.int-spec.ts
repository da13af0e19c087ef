import * as https from 'node:https';
import type { Agent } from 'undici';
import type * as MG from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import {
  BasePropertySet,
  ConfigurationApi,
  ConflictResolutionMode,
  ConnectingIdType,
  Contact,
  DeleteMode,
  EmailAddress,
  EmailAddressKey,
  ExchangeService,
  ExchangeVersion,
  ExtendedPropertyDefinition,
  FolderId,
  Guid,
  ImpersonatedUserId,
  ItemView,
  Mailbox,
  MapiPropertyType,
  PhoneNumberKey,
  PropertySet,
  SearchFilter,
  Uri,
  WebCredentials,
  WellKnownFolderName,
  Appointment,
  SendInvitationsMode,
  DateTime,
  CalendarView,
  Folder,
  FolderView,
  ContactsFolder,
  ServiceError,
  ItemId,
  SoapFaultDetails,
  Recurrence,
  DayOfTheWeek,
  AppointmentType,
  AppointmentSchema,
  SendInvitationsOrCancellationsMode,
  SendCancellationsMode,
  SyncFolderItemsScope,
  ChangeType,
} from 'ews-javascript-api';
import { XhrApi } from '@ewsjs/xhr';
import type { RunningSimulator } from '../src';
import {
  consent,
  credential,
  delegatedToken,
  graphClient,
  graphClientWithToken,
  simDispatcher,
  simFetch,
  startTestSim,
} from './helpers';
import { checkEwsResponses } from './ews-schema';

const NS = '6e2b7a44-3f1d-4c8e-9a55-0b1c2d3e4f50';

describe('m365-sim EWS through ews-javascript-api', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let client: Client;
  let tid: string;
  let upn: string;
  let uid: string;
  let onpremUpn: string;
  const listIdDef = new ExtendedPropertyDefinition(new Guid(NS), 'ListId', MapiPropertyType.String);
  const sourceKeyDef = new ExtendedPropertyDefinition(
    new Guid(NS),
    'SourceKey',
    MapiPropertyType.String,
  );

  function service(
    user = 'svc-sync',
    password = 'Sim-Ews-Passw0rd',
    impersonate = upn,
  ): ExchangeService {
    const s = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
    s.Credentials = new WebCredentials(user, password);
    s.Url = new Uri(sim.ewsUrl);
    s.ImpersonatedUserId = new ImpersonatedUserId(ConnectingIdType.SmtpAddress, impersonate);
    return s;
  }

  beforeAll(async () => {
    sim = await startTestSim({
      ewsAccounts: [
        // Basic is off by default (as on-premises); these tests sign in with Basic
        {
          userName: 'svc-sync',
          password: 'Sim-Ews-Passw0rd',
          impersonation: true,
          basicAuth: true,
        },
        { userName: 'svc-noimp', password: 'pw', impersonation: false, basicAuth: true },
      ],
      ewsMaxConcurrency: 2,
      ewsBackOffMs: 750,
      // every response is kept for the schema check at the end
      ewsRecordResponses: true,
    });
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
    client = graphClient(sim, credential(sim, tid), d);
    const users = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json;
    const onprem = users.find((u: { mailbox: string }) => u.mailbox === 'onprem');
    const cloud = users.find(
      (u: { mailbox: string; purpose: string; globalAdmin: boolean }) =>
        u.mailbox === 'cloud' && u.purpose === 'user' && !u.globalAdmin,
    );
    upn = cloud.userPrincipalName;
    uid = cloud.id;
    expect(onprem).toBeDefined();
    onpremUpn = onprem.userPrincipalName;
    // trust the simulator's CA explicitly (ews-javascript-api uses @ewsjs/xhr / axios)
    ConfigurationApi.ConfigureXHR(
      new XhrApi({ httpsAgent: new https.Agent({ ca: sim.caPem }) } as never),
    );
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  /** POST /users/{id}/translateExchangeIds with a delegated token (the admin signed in). */
  async function translate(
    inputIds: string[],
    sourceIdType: 'ewsId' | 'restId',
    targetIdType: 'ewsId' | 'restId',
  ): Promise<string[]> {
    const delegated = graphClientWithToken(
      sim,
      await delegatedToken(sim, d, tid, sim.info.tenants[0].adminUpn),
      d,
    );
    const r = await delegated
      .api(`/users/${uid}/translateExchangeIds`)
      .post({ inputIds, sourceIdType, targetIdType });
    return (r.value as { sourceId: string; targetId: string }[]).map((x, i) => {
      expect(x.sourceId).toBe(inputIds[i]);
      return x.targetId;
    });
  }

  it('CreateItem / FindItem (extended-property restriction, paging) / UpdateItem / DeleteItem for a contact with impersonation', async () => {
    const svc = service();
    const folder = new ContactsFolder(svc);
    folder.DisplayName = 'EWS Company';
    await folder.Save(new FolderId(WellKnownFolderName.Contacts));
    const found = await svc.FindFolders(
      new FolderId(WellKnownFolderName.Contacts),
      new FolderView(10),
    );
    expect(found.Folders.map((f: Folder) => f.DisplayName)).toContain('EWS Company');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = new Contact(svc);
      c.GivenName = `Eva${i}`;
      c.Surname = 'Ews';
      c.CompanyName = 'Contoso';
      c.EmailAddresses._setItem(
        EmailAddressKey.EmailAddress1,
        new EmailAddress(`eva${i}@example.com`),
      );
      c.PhoneNumbers._setItem(PhoneNumberKey.MobilePhone, `+49 151 0000000${i}`);
      c.SetExtendedProperty(listIdDef, i < 2 ? 'list-A' : 'list-B');
      c.SetExtendedProperty(sourceKeyDef, `src-${i}`);
      await c.Save(folder.Id);
      ids.push(c.Id.UniqueId);
    }
    // EWS ids are not Graph ids: translateExchangeIds (delegated only) converts them
    const restOf = await translate([folder.Id.UniqueId, ids[0]], 'ewsId', 'restId');
    const [restFolder, restId0] = restOf;
    expect(restFolder).not.toBe(folder.Id.UniqueId);
    // visible through Graph, with the same extended properties
    const viaGraph: MG.Contact = await client
      .api(`/users/${uid}/contactFolders/${restFolder}/contacts/${restId0}`)
      .expand(`singleValueExtendedProperties($filter=id eq 'String {${NS}} Name ListId')`)
      .get();
    expect(viaGraph.givenName).toBe('Eva0');
    expect(viaGraph.mobilePhone).toBe('+49 151 00000000');
    expect(viaGraph.emailAddresses?.[0].address).toBe('eva0@example.com');
    expect(viaGraph.singleValueExtendedProperties).toEqual([
      { id: `String {${NS}} Name ListId`, value: 'list-A' },
    ]);
    // FindItem with a restriction on the extended property, paged by 1
    const view = new ItemView(1, 0);
    view.PropertySet = new PropertySet(BasePropertySet.FirstClassProperties, [
      listIdDef,
      sourceKeyDef,
    ]);
    const filter = new SearchFilter.IsEqualTo(listIdDef, 'list-A');
    const page1 = await svc.FindItems(folder.Id, filter, view);
    expect(page1.TotalCount).toBe(2);
    expect(page1.MoreAvailable).toBe(true);
    view.Offset = page1.NextPageOffset!;
    const page2 = await svc.FindItems(folder.Id, filter, view);
    expect(page2.MoreAvailable).toBe(false);
    const names = [...page1.Items, ...page2.Items].map((i) => (i as Contact).GivenName).sort();
    expect(names).toEqual(['Eva0', 'Eva1']);
    // UpdateItem
    const c0 = await Contact.Bind(
      svc,
      page1.Items[0].Id,
      new PropertySet(BasePropertySet.FirstClassProperties, [listIdDef]),
    );
    c0.GivenName = 'Evelyn';
    c0.SetExtendedProperty(listIdDef, 'list-C');
    await c0.Update(ConflictResolutionMode.AutoResolve);
    const [restC0] = await translate([c0.Id.UniqueId], 'ewsId', 'restId');
    const after: MG.Contact = await client
      .api(`/users/${uid}/contacts/${restC0}`)
      .expand(`singleValueExtendedProperties($filter=id eq 'String {${NS}} Name ListId')`)
      .get();
    expect(after.givenName).toBe('Evelyn');
    expect(after.singleValueExtendedProperties?.[0].value).toBe('list-C');
    // a Graph-created contact is visible through EWS
    const g: MG.Contact = await client
      .api(`/users/${uid}/contactFolders/${restFolder}/contacts`)
      .post({ givenName: 'FromGraph', surname: 'Contact' });
    // a Graph id is malformed in EWS, as on Exchange: it has to be translated first
    const mixed = await Contact.Bind(
      svc,
      new ItemId(g.id!),
      new PropertySet(BasePropertySet.IdOnly),
    ).catch((e) => e);
    expect(mixed.ErrorCode).toBe(ServiceError.ErrorInvalidIdMalformed);
    const [ewsOfG] = await translate([g.id!], 'restId', 'ewsId');
    const bound = await Contact.Bind(
      svc,
      new ItemId(ewsOfG),
      new PropertySet(BasePropertySet.FirstClassProperties),
    );
    expect(bound.GivenName).toBe('FromGraph');
    // DeleteItem
    await c0.Delete(DeleteMode.HardDelete);
    const left = await svc.FindItems(folder.Id, new ItemView(50));
    expect(left.Items.map((i) => (i as Contact).GivenName).sort()).toEqual([
      'Eva1',
      'Eva2',
      'FromGraph',
    ]);
    const missing = await Contact.Bind(svc, c0.Id, new PropertySet(BasePropertySet.IdOnly)).catch(
      (e) => e,
    );
    expect(missing.ErrorCode).toBe(ServiceError.ErrorItemNotFound);
  });

  it('creates a calendar item without invitations and sees occurrences in a CalendarView', async () => {
    const svc = service();
    const a = new Appointment(svc);
    a.Subject = 'Company holiday';
    a.Start = new DateTime(Date.UTC(2026, 11, 24, 0, 0, 0));
    a.End = new DateTime(Date.UTC(2026, 11, 25, 0, 0, 0));
    a.IsAllDayEvent = true;
    await a.Save(
      new FolderId(WellKnownFolderName.Calendar, new Mailbox(upn)),
      SendInvitationsMode.SendToNone,
    );
    const res = await svc.FindAppointments(
      new FolderId(WellKnownFolderName.Calendar),
      new CalendarView(new DateTime(Date.UTC(2026, 11, 1)), new DateTime(Date.UTC(2026, 11, 31))),
    );
    expect(res.Items.map((i) => i.Subject)).toContain('Company holiday');
    const viaGraph = await client
      .api(`/users/${uid}/calendarView`)
      .query({ startDateTime: '2026-12-01T00:00:00Z', endDateTime: '2026-12-31T00:00:00Z' })
      .get();
    expect(viaGraph.value.map((e: MG.Event) => e.subject)).toContain('Company holiday');
    const stats = (await simFetch(sim, d, '/_sim/stats')).json;
    expect(stats.ops['events.invitationsSent']).toBeUndefined();
  });

  it('a series with exceptions: GetItem on an occurrence id from a CalendarView, an updated occurrence becomes a ModifiedOccurrence, a deleted one a DeletedOccurrence, as Graph sees them', async () => {
    const svc = service();
    const a = new Appointment(svc);
    a.Subject = 'Weekly sync';
    a.Start = new DateTime(Date.UTC(2027, 0, 4, 9, 0, 0)); // a Monday
    a.End = new DateTime(Date.UTC(2027, 0, 4, 9, 30, 0));
    // the library's namespace typing declares only the no-argument constructor
    const pattern = new Recurrence.WeeklyPattern();
    pattern.StartDate = a.Start;
    pattern.Interval = 1;
    pattern.DaysOfTheWeek.Add(DayOfTheWeek.Monday);
    pattern.NumberOfOccurrences = 4;
    a.Recurrence = pattern;
    await a.Save(new FolderId(WellKnownFolderName.Calendar), SendInvitationsMode.SendToNone);
    const view = await svc.FindAppointments(
      new FolderId(WellKnownFolderName.Calendar),
      new CalendarView(new DateTime(Date.UTC(2027, 0, 1)), new DateTime(Date.UTC(2027, 1, 1))),
    );
    const occ = view.Items.filter((i) => i.Subject === 'Weekly sync');
    expect(occ).toHaveLength(4);
    // GetItem on the second occurrence's id, as the CalendarView gave it
    const second = await Appointment.Bind(svc, occ[1].Id);
    expect(second.AppointmentType).toBe(AppointmentType.Occurrence);
    expect(second.Start.TotalMilliSeconds).toBe(Date.UTC(2027, 0, 11, 9, 0, 0));
    second.Subject = 'Weekly sync (moved)';
    await second.Update(
      ConflictResolutionMode.AutoResolve,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    // the third through its master and instance index (OccurrenceItemId)
    const third = await Appointment.BindToOccurrence(svc, a.Id, 3);
    expect(third.Start.TotalMilliSeconds).toBe(Date.UTC(2027, 0, 18, 9, 0, 0));
    await third.Delete(DeleteMode.HardDelete, SendCancellationsMode.SendToNone);
    const master = await Appointment.Bind(
      svc,
      a.Id,
      new PropertySet(BasePropertySet.FirstClassProperties, [
        AppointmentSchema.Recurrence,
        AppointmentSchema.ModifiedOccurrences,
        AppointmentSchema.DeletedOccurrences,
      ]),
    );
    expect(master.AppointmentType).toBe(AppointmentType.RecurringMaster);
    expect(master.ModifiedOccurrences.Count).toBe(1);
    expect(master.ModifiedOccurrences._getItem(0).OriginalStart.TotalMilliSeconds).toBe(
      Date.UTC(2027, 0, 11, 9, 0, 0),
    );
    expect(master.DeletedOccurrences.Count).toBe(1);
    expect(master.DeletedOccurrences._getItem(0).OriginalStart.TotalMilliSeconds).toBe(
      Date.UTC(2027, 0, 18, 9, 0, 0),
    );
    expect(master.Recurrence.NumberOfOccurrences).toBe(4);
    // the same series through Graph (the store is shared)
    const viaGraph = await client
      .api(`/users/${uid}/calendarView`)
      .query({ startDateTime: '2027-01-01T00:00:00Z', endDateTime: '2027-02-01T00:00:00Z' })
      .get();
    const subjects = (viaGraph.value as MG.Event[])
      .filter((e) => e.subject?.startsWith('Weekly sync'))
      .map((e) => `${e.start?.dateTime?.slice(0, 10)} ${e.type} ${e.subject}`);
    expect(subjects).toEqual([
      '2027-01-04 occurrence Weekly sync',
      '2027-01-11 exception Weekly sync (moved)',
      '2027-01-25 occurrence Weekly sync',
    ]);
    // calendar writes without the Send* attribute are refused per item, as Exchange does
    const auth = 'Basic ' + Buffer.from('svc-sync:Sim-Ews-Passw0rd').toString('base64');
    const soap = (body: string) =>
      simFetch(sim, d, '/EWS/Exchange.asmx', {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'text/xml' },
        body: `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${upn}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`,
      });
    const noInvites = await soap(
      `<m:CreateItem><m:Items><t:CalendarItem><t:Subject>x</t:Subject><t:Start>2027-03-01T10:00:00Z</t:Start><t:End>2027-03-01T11:00:00Z</t:End></t:CalendarItem></m:Items></m:CreateItem>`,
    );
    expect(noInvites.status).toBe(200);
    expect(noInvites.text).toContain(
      '<m:ResponseCode>ErrorSendMeetingInvitationsRequired</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:Items/>',
    );
    const noCancel = await soap(
      `<m:DeleteItem DeleteType="HardDelete"><m:ItemIds><t:ItemId Id="${a.Id.UniqueId}"/></m:ItemIds></m:DeleteItem>`,
    );
    expect(noCancel.text).toContain('ErrorSendMeetingCancellationsRequired');
    const noUpdateMode = await soap(
      `<m:UpdateItem ConflictResolution="AutoResolve"><m:ItemChanges><t:ItemChange><t:ItemId Id="${a.Id.UniqueId}"/><t:Updates><t:SetItemField><t:FieldURI FieldURI="item:Subject"/><t:CalendarItem><t:Subject>y</t:Subject></t:CalendarItem></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`,
    );
    expect(noUpdateMode.text).toContain('ErrorSendMeetingInvitationsOrCancellationsRequired');
    expect(noUpdateMode.text).toContain('<m:Items/>');
  });

  it('SyncFolderItems: Create/Update/Delete in change order, MaxChangesReturned pages with IncludesLastItemInRange, a series exception as an Update of its master', async () => {
    const svc = service();
    const folder = new ContactsFolder(svc);
    folder.DisplayName = 'Sync Test';
    await folder.Save(new FolderId(WellKnownFolderName.Contacts));
    const made: Contact[] = [];
    for (const name of ['S1', 'S2', 'S3']) {
      const c = new Contact(svc);
      c.GivenName = name;
      await c.Save(folder.Id);
      made.push(c);
    }
    const sync = (state: string, max = 2) =>
      svc.SyncFolderItems(
        folder.Id,
        new PropertySet(BasePropertySet.FirstClassProperties),
        [],
        max,
        SyncFolderItemsScope.NormalItems,
        state,
      );
    const changes = (r: Awaited<ReturnType<typeof sync>>) =>
      Array.from({ length: r.Count }, (_, i) => r._getItem(i));
    const describe = (r: Awaited<ReturnType<typeof sync>>) =>
      changes(r).map(
        (ch) =>
          `${ChangeType[ch.ChangeType]} ${ch.ChangeType === ChangeType.Delete ? ch.ItemId.UniqueId : (ch.Item as Contact).GivenName}`,
      );
    const p1 = await sync(null as unknown as string);
    expect(describe(p1)).toEqual(['Create S1', 'Create S2']);
    expect(p1.MoreChangesAvailable).toBe(true);
    const p2 = await sync(p1.SyncState);
    expect(describe(p2)).toEqual(['Create S3']);
    expect(p2.MoreChangesAvailable).toBe(false);
    made[0].GivenName = 'S1b';
    await made[0].Update(ConflictResolutionMode.AutoResolve);
    await made[1].Delete(DeleteMode.HardDelete);
    const c4 = new Contact(svc);
    c4.GivenName = 'S4';
    await c4.Save(folder.Id);
    const p3 = await sync(p2.SyncState, 10);
    expect(describe(p3)).toEqual(['Update S1b', `Delete ${made[1].Id.UniqueId}`, 'Create S4']);
    expect(p3.MoreChangesAvailable).toBe(false);
    expect((await sync(p3.SyncState)).Count).toBe(0);
    // a bad sync state is an error of the folder's response message
    const bad = await sync('bm90IGEgc3RhdGU=').catch((e) => e);
    expect(bad.ErrorCode).toBe(ServiceError.ErrorInvalidSyncStateData);
    // calendar: a series is one item; its exception changes the master
    const a = new Appointment(svc);
    a.Subject = 'Daily';
    a.Start = new DateTime(Date.UTC(2027, 5, 1, 8, 0, 0));
    a.End = new DateTime(Date.UTC(2027, 5, 1, 8, 15, 0));
    const daily = new Recurrence.DailyPattern();
    daily.StartDate = a.Start;
    daily.Interval = 1;
    daily.NumberOfOccurrences = 3;
    a.Recurrence = daily;
    const cal = new FolderId(WellKnownFolderName.Calendar);
    const calState = (
      await svc.SyncFolderItems(
        cal,
        PropertySet.IdOnly,
        [],
        512,
        SyncFolderItemsScope.NormalItems,
        null as unknown as string,
      )
    ).SyncState;
    await a.Save(cal, SendInvitationsMode.SendToNone);
    const c1 = await svc.SyncFolderItems(
      cal,
      PropertySet.IdOnly,
      [],
      512,
      SyncFolderItemsScope.NormalItems,
      calState,
    );
    expect(changes(c1).map((ch) => [ChangeType[ch.ChangeType], ch.ItemId.UniqueId])).toEqual([
      ['Create', a.Id.UniqueId],
    ]);
    const second = await Appointment.BindToOccurrence(svc, a.Id, 2);
    second.Subject = 'Daily (later)';
    await second.Update(
      ConflictResolutionMode.AutoResolve,
      SendInvitationsOrCancellationsMode.SendToNone,
    );
    const c2 = await svc.SyncFolderItems(
      cal,
      PropertySet.IdOnly,
      [],
      512,
      SyncFolderItemsScope.NormalItems,
      c1.SyncState,
    );
    expect(changes(c2).map((ch) => [ChangeType[ch.ChangeType], ch.ItemId.UniqueId])).toEqual([
      ['Update', a.Id.UniqueId],
    ]);
  });

  it('ErrorServerBusy per mailbox: its BackOffMilliseconds is remembered; operations before it passed are counted and answered busy again', async () => {
    await simFetch(sim, d, '/_sim/stats', { method: 'DELETE' });
    await simFetch(sim, d, '/_sim/faults', {
      method: 'PUT',
      body: { ewsServerBusy: { count: 1, mailbox: upn, backOffMs: 400 } },
    });
    const svc = service();
    const contacts = () => new FolderId(WellKnownFolderName.Contacts);
    const t0 = Date.now();
    const busy = await svc.FindItems(contacts(), new ItemView(1)).catch((e) => e);
    expect(busy.ResponseCode).toBe(ServiceError.ErrorServerBusy);
    expect(Number(busy.ErrorDetails.get('BackOffMilliseconds'))).toBe(400);
    // too early: busy again, with what is left of the back-off
    const early = await svc.FindItems(contacts(), new ItemView(1)).catch((e) => e);
    // the back-off ends at most this long after the early answer arrived
    const backOffEnds = Date.now() + Number(early.ErrorDetails.get('BackOffMilliseconds'));
    expect(early.ResponseCode).toBe(ServiceError.ErrorServerBusy);
    expect(Number(early.ErrorDetails.get('BackOffMilliseconds'))).toBeLessThanOrEqual(400);
    // another mailbox is not affected
    const other = await service('svc-sync', 'Sim-Ews-Passw0rd', onpremUpn)
      .FindItems(contacts(), new ItemView(1))
      .then(() => 'ok');
    expect(other).toBe('ok');
    // wait (in short steps) until the back-off has passed, then the mailbox answers
    while (Date.now() <= backOffEnds) await new Promise((r) => setTimeout(r, 50));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    const after = await svc.FindItems(contacts(), new ItemView(1));
    expect(after.TotalCount).toBeGreaterThanOrEqual(0);
    const stats = (await simFetch(sim, d, '/_sim/stats')).json.ews;
    expect(stats.mailboxes[upn.toLowerCase()]).toEqual({
      operations: 3,
      serverBusy: 2,
      earlyOperations: 1,
    });
    expect(stats.earlyOperations).toBe(1);
  });

  it('impersonation without the right → ErrorImpersonateUserDenied; bad password → 401; unknown mailbox → ErrorNonExistentMailbox', async () => {
    const denied = await service('svc-noimp', 'pw')
      .FindItems(new FolderId(WellKnownFolderName.Contacts), new ItemView(1))
      .catch((e) => e);
    // ews-javascript-api 0.15 rejects SOAP faults with a SoapFaultDetails (not a ServiceResponseException)
    expect(denied).toBeInstanceOf(SoapFaultDetails);
    expect(denied.ResponseCode).toBe(ServiceError.ErrorImpersonateUserDenied);
    expect(JSON.stringify(denied.FaultString)).toMatch(/impersonate/i);
    expect(denied.HttpStatusCode).toBe(500);
    const unauth = await service('svc-sync', 'nope')
      .FindItems(new FolderId(WellKnownFolderName.Contacts), new ItemView(1))
      .catch((e) => e);
    expect(unauth.HttpStatusCode).toBe(401);
    const nobody = await service('svc-sync', 'Sim-Ews-Passw0rd', 'nobody@nowhere.example')
      .FindItems(new FolderId(WellKnownFolderName.Contacts), new ItemView(1))
      .catch((e) => e);
    expect(nobody.ResponseCode).toBe(ServiceError.ErrorNonExistentMailbox);
  });

  it('ErrorServerBusy carries BackOffMilliseconds when the EWS concurrency is exceeded', async () => {
    await simFetch(sim, d, '/_sim/config', {
      method: 'PUT',
      body: { serviceTimeMs: { 'ews.FindItem': 300 } },
    });
    try {
      const svc = service();
      const results = await Promise.all(
        Array.from({ length: 4 }, () =>
          svc.FindItems(new FolderId(WellKnownFolderName.Contacts), new ItemView(1)).then(
            () => 'ok',
            (e) => e,
          ),
        ),
      );
      const busy = results.filter((r) => r !== 'ok');
      expect(busy.length).toBeGreaterThan(0);
      expect(busy[0]).toBeInstanceOf(SoapFaultDetails);
      expect(busy[0].ResponseCode).toBe(ServiceError.ErrorServerBusy);
      expect(Number(busy[0].ErrorDetails.get('BackOffMilliseconds'))).toBe(750);
    } finally {
      await simFetch(sim, d, '/_sim/config', {
        method: 'PUT',
        body: { serviceTimeMs: { 'ews.FindItem': 0 } },
      });
      // the mailbox's back-off is pending: end it, so the next tests are not answered busy
      await simFetch(sim, d, '/_sim/faults', { method: 'DELETE' });
    }
  });

  it('malformed SOAP answers a SOAP fault, per-item errors answer ResponseClass="Error"', async () => {
    const auth = 'Basic ' + Buffer.from('svc-sync:Sim-Ews-Passw0rd').toString('base64');
    const bad = await simFetch(sim, d, '/EWS/Exchange.asmx', {
      method: 'POST',
      body: '<not-xml',
      headers: { authorization: auth, 'content-type': 'text/xml' },
    });
    expect(bad.status).toBe(500);
    expect(bad.text).toContain('ErrorSchemaValidation');
    const env = `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${upn}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header><soap:Body><m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id="garbage"/><t:ItemId Id="AAMkAxyz="/></m:ItemIds></m:GetItem></soap:Body></soap:Envelope>`;
    const r = await simFetch(sim, d, '/EWS/Exchange.asmx', {
      method: 'POST',
      body: env,
      headers: { authorization: auth, 'content-type': 'text/xml' },
    });
    expect(r.status).toBe(200);
    expect(r.text.match(/ResponseClass="Error"/g)).toHaveLength(2);
    expect(r.text).toContain('ErrorInvalidIdMalformed');
  });

  it('requests are validated against the schema as Exchange does: out of order, unknown elements or attributes answer the ErrorSchemaValidation fault (HTTP 500)', async () => {
    const auth = 'Basic ' + Buffer.from('svc-sync:Sim-Ews-Passw0rd').toString('base64');
    const soap = (body: string) =>
      simFetch(sim, d, '/EWS/Exchange.asmx', {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'text/xml' },
        body: `<?xml version="1.0"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${upn}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`,
      });
    const shape = '<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>';
    const parent =
      '<m:ParentFolderIds><t:DistinguishedFolderId Id="contacts"/></m:ParentFolderIds>';
    const valid = await soap(`<m:FindItem Traversal="Shallow">${shape}${parent}</m:FindItem>`);
    expect(valid.status).toBe(200);
    const cases = [
      // ParentFolderIds before ItemShape
      [
        `<m:FindItem Traversal="Shallow">${parent}${shape}</m:FindItem>`,
        "invalid child element 'ParentFolderIds'",
      ],
      // Surname before GivenName in a contact
      [
        '<m:CreateItem><m:Items><t:Contact><t:Surname>Z</t:Surname><t:GivenName>A</t:GivenName></t:Contact></m:Items></m:CreateItem>',
        "invalid child element 'GivenName'",
      ],
      // an element the schema does not have
      [
        `<m:FindItem Traversal="Shallow">${shape}<m:Colour/>${parent}</m:FindItem>`,
        "invalid child element 'Colour'",
      ],
      // an attribute the schema does not have; a required one missing
      [
        `<m:FindItem Traversal="Shallow" Fast="true">${shape}${parent}</m:FindItem>`,
        "The 'Fast' attribute is not declared",
      ],
      [
        `<m:FindItem>${shape}${parent}</m:FindItem>`,
        "The required attribute 'Traversal' is missing",
      ],
    ];
    for (const [body, why] of cases) {
      const r = await soap(body);
      expect(r.status).toBe(500);
      expect(r.text).toContain(
        '<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorSchemaValidation</faultcode>',
      );
      expect(r.text.replace(/&apos;/g, "'")).toContain(why);
      expect(r.text).toMatch(
        /<t:LineNumber>2<\/t:LineNumber><t:LinePosition>\d+<\/t:LinePosition>/,
      );
    }
  });

  it('a write whose response is dropped is applied and found again by its extended property', async () => {
    const svc = service();
    await simFetch(sim, d, '/_sim/faults', {
      method: 'PUT',
      body: { dropAfterWrite: { count: 1, pathPrefix: '/EWS' } },
    });
    try {
      const c = new Contact(svc);
      c.GivenName = 'Dropped';
      c.SetExtendedProperty(sourceKeyDef, 'dropped-1');
      await expect(c.Save(new FolderId(WellKnownFolderName.Contacts))).rejects.toBeDefined();
    } finally {
      await simFetch(sim, d, '/_sim/faults', { method: 'DELETE' });
    }
    const view = new ItemView(10);
    view.PropertySet = new PropertySet(BasePropertySet.FirstClassProperties, [sourceKeyDef]);
    const found = await svc.FindItems(
      new FolderId(WellKnownFolderName.Contacts),
      new SearchFilter.IsEqualTo(sourceKeyDef, 'dropped-1'),
      view,
    );
    expect(found.Items.map((i) => (i as Contact).GivenName)).toEqual(['Dropped']);
  });

  it('every EWS response sent above validates against the published EWS schema (xmllint)', async () => {
    const recorded = sim.state.ewsStats.recorded;
    expect(recorded.length).toBeGreaterThan(20);
    const report = await checkEwsResponses(recorded);
    expect(report.failures).toEqual([]);
    expect(report.validated).toBeGreaterThan(20);
    expect(report.faults).toBeGreaterThan(0);
  });
});
