import type { Agent } from 'undici';
import type { RunningSimulator } from '../src';
import { checkEwsResponses } from './ews-schema';
import { simDispatcher, simFetch, startTestSim } from './helpers';

const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const T = 'http://schemas.microsoft.com/exchange/services/2006/types';

/** A FindPeople request as Exchange's schema has it (FindPeopleType's order). */
function findPeople(
  mailbox: string,
  parent: string,
  offset: number,
  max: number,
  extra: string[] = [],
  query?: string,
): string {
  const shape = extra.length
    ? `<m:PersonaShape><t:BaseShape>Default</t:BaseShape><t:AdditionalProperties>${extra.map((f) => `<t:FieldURI FieldURI="${f}"/>`).join('')}</t:AdditionalProperties></m:PersonaShape>`
    : '';
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="${M}" xmlns:t="${T}">` +
    `<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/><t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${mailbox}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header>` +
    `<soap:Body><m:FindPeople>${shape}<m:IndexedPageItemView MaxEntriesReturned="${max}" Offset="${offset}" BasePoint="Beginning"/>` +
    `<m:ParentFolderId>${parent}</m:ParentFolderId>${query ? `<m:QueryString>${query}</m:QueryString>` : ''}</m:FindPeople></soap:Body></soap:Envelope>`
  );
}

describe('m365-sim EWS FindPeople on the Global Address List (Exchange-only organisation)', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let galId: string;
  let mailbox: string;
  const account = { userName: 'svc-gal', password: 'Gal-Passw0rd', impersonation: true };

  const post = async (xml: string) =>
    fetch(sim.info.ewsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        authorization: `Basic ${Buffer.from(`${account.userName}:${account.password}`).toString('base64')}`,
      },
      body: xml,
      dispatcher: d,
    } as RequestInit).then(async (r) => ({ status: r.status, text: await r.text() }));

  beforeAll(async () => {
    sim = await startTestSim({
      tenants: 2,
      usersPerTenant: 30,
      ewsOnlyTenants: 1,
      ewsAccounts: [{ ...account, basicAuth: true }],
      ewsRecordResponses: true,
    });
    d = simDispatcher(sim);
    const tenant = sim.info.tenants[1];
    expect(tenant.ewsOnly).toBe(true);
    expect(sim.info.tenants[0].ewsOnly).toBe(false);
    galId = tenant.galId;
    mailbox = tenant.adminUpn;
  });
  afterAll(async () => {
    await d?.close();
    await sim?.close();
  });

  it('an Exchange-only organisation: every mailbox on-premises, and Entra ID does not know the tenant', async () => {
    const tenant = sim.info.tenants[1];
    const users = (await simFetch(sim, d, `/_sim/tenants/${tenant.id}/users`))
      .json as unknown as Array<{ mailbox: string }>;
    expect(users.length).toBeGreaterThan(20);
    expect(users.filter((u) => u.mailbox === 'cloud')).toEqual([]);
    expect(users.filter((u) => u.mailbox === 'onprem').length).toBeGreaterThan(20);
    const token = await simFetch(sim, d, `/${tenant.id}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${sim.info.apps[0].clientId}&client_secret=${sim.info.apps[0].clientSecret}&grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default`,
    });
    expect(token.status).toBe(400);
    expect(token.text).toContain('AADSTS90002');
  });

  it('pages the GAL by AddressListId with an IndexedPageItemView: every mailbox once, in display-name order, fields on request', async () => {
    const seen: string[] = [];
    let total = -1;
    for (let offset = 0; total < 0 || offset < total; offset += 7) {
      const res = await post(
        findPeople(mailbox, `<t:AddressListId Id="${galId}"/>`, offset, 7, [
          'persona:GivenName',
          'persona:Surname',
          'persona:Title',
          'persona:BusinessPhoneNumbers',
          'persona:Departments',
        ]),
      );
      expect(res.status).toBe(200);
      expect(res.text).toContain('ResponseClass="Success"');
      total = Number(/<m:TotalNumberOfPeopleInView>(\d+)</.exec(res.text)![1]);
      expect(res.text).toContain(`<m:FirstLoadedRowIndex>${offset}<`);
      seen.push(
        ...[...res.text.matchAll(/<t:EmailAddress>([^<]+)<\/t:EmailAddress>/g)].map((m) => m[1]),
      );
      if (offset === 0) {
        expect(res.text).toContain('<t:GivenName>');
        expect(res.text).toContain('<t:MailboxType>Mailbox</t:MailboxType>');
        expect(res.text).toContain('<t:Departments><t:StringAttributedValue>');
      }
    }
    expect(total).toBeGreaterThan(20);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('the default shape leaves the additional fields out; the directory folder without a query string is refused, as documented', async () => {
    const plain = await post(findPeople(mailbox, `<t:AddressListId Id="${galId}"/>`, 0, 3));
    expect(plain.text).not.toContain('<t:GivenName>');
    expect(plain.text).toContain('<t:DisplayName>');
    const browse = await post(
      findPeople(mailbox, '<t:DistinguishedFolderId Id="directory"/>', 0, 3),
    );
    expect(browse.status).toBe(200);
    expect(browse.text).toContain('ResponseClass="Error"');
    expect(browse.text).toContain('<m:ResponseCode>ErrorInvalidArgument<');
    const search = await post(
      findPeople(mailbox, '<t:DistinguishedFolderId Id="directory"/>', 0, 3, [], 'a'),
    );
    expect(search.text).toContain('ResponseClass="Success"');
    const otherGal = await post(
      findPeople(mailbox, `<t:AddressListId Id="${sim.info.tenants[0].galId}"/>`, 0, 3),
    );
    expect(otherGal.text).toContain('ResponseClass="Error"');
  });

  it('the GAL lists mail-enabled groups as distribution lists; ExpandDL gives their direct members, nested groups as PublicDL', async () => {
    const tenant = sim.state.tenants[1];
    const nested = [...tenant.groups.values()].find(
      (g) => g.memberGroupIds.length > 0 && g.memberUserIds.length > 0,
    )!;
    expect(nested.group.mail).toMatch(/@/);
    const gal = await post(findPeople(mailbox, `<t:AddressListId Id="${galId}"/>`, 0, 1000));
    expect(gal.text).toContain(`<t:EmailAddress>${nested.group.mail}</t:EmailAddress>`);
    expect(gal.text).toContain('<t:MailboxType>PublicDL</t:MailboxType>');
    const expand = (address: string) =>
      post(
        `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="${M}" xmlns:t="${T}">` +
          `<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/><t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${mailbox}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header>` +
          `<soap:Body><m:ExpandDL><m:Mailbox><t:EmailAddress>${address}</t:EmailAddress></m:Mailbox></m:ExpandDL></soap:Body></soap:Envelope>`,
      );
    const res = await expand(nested.group.mail!);
    expect(res.text).toContain('ResponseClass="Success"');
    expect(res.text).toContain('<t:MailboxType>PublicDL</t:MailboxType>');
    expect(res.text).toContain('<t:MailboxType>Mailbox</t:MailboxType>');
    const none = await expand('nobody@nowhere.example');
    expect(none.text).toContain('ErrorNameResolutionNoResults');
  });

  it('a QueryString searches the address list by ambiguous name resolution, as Exchange does: starts of names, first and last name either way round, alias', async () => {
    const tenant = sim.info.tenants[1];
    for (const [givenName, surname, nick] of [
      ['Bill', 'White', 'bill.white'],
      ['Bill', 'Whitehead', 'bwhitehead'],
      ['Bill', 'Smith', 'bsmith'],
    ])
      await simFetch(sim, d, `/_sim/tenants/${tenant.id}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          displayName: `${givenName} ${surname}`,
          givenName,
          surname,
          mailNickname: nick,
        }),
      });
    const search = async (query: string, max = 50, offset = 0) => {
      const res = await post(
        findPeople(mailbox, `<t:AddressListId Id="${galId}"/>`, offset, max, [], query),
      );
      expect(res.text).toContain('ResponseClass="Success"');
      return {
        names: [...res.text.matchAll(/<t:DisplayName>([^<]+)<\/t:DisplayName>/g)].map((m) => m[1]),
        total: Number(/<m:TotalNumberOfPeopleInView>(\d+)</.exec(res.text)![1]),
      };
    };
    // KB 243299's example: "White Bill" is first and last name the other way round.
    expect((await search('White Bill')).names).toEqual(['Bill White', 'Bill Whitehead']);
    expect((await search('bill whiteh')).names).toEqual(['Bill Whitehead']);
    const smi = (await search('SMI')).names;
    expect(smi).toContain('Bill Smith');
    expect(smi.every((n) => / smi/i.test(n) || /^smi/i.test(n))).toBe(true);
    // A display name matches from its start, not inside a word; the alias from its start.
    expect((await search('ith')).names).not.toContain('Bill Smith');
    expect((await search('bwhite')).names).toEqual(['Bill Whitehead']);
    expect((await search('zzqx')).names).toEqual([]);
    // Paged like the browse: the total counts the matches, a page holds at most what was asked.
    const firstPage = await search('bill', 2);
    expect(firstPage.total).toBeGreaterThanOrEqual(3);
    expect(firstPage.names).toHaveLength(2);
    expect((await search('bill', 2, 2)).names[0]).not.toBe(firstPage.names[1]);
  });

  it('a FindPeople out of schema order is a schema validation fault (HTTP 500)', async () => {
    const bad = findPeople(mailbox, `<t:AddressListId Id="${galId}"/>`, 0, 3).replace(
      /(<m:IndexedPageItemView[^>]*\/>)(<m:ParentFolderId>.*<\/m:ParentFolderId>)/,
      '$2$1',
    );
    const res = await post(bad);
    expect(res.status).toBe(500);
    expect(res.text).toContain('ErrorSchemaValidation');
  });

  it('every response above validates against the published EWS schema (xmllint)', async () => {
    const recorded = sim.state.ewsStats.recorded;
    expect(recorded.filter((r) => r.operation === 'FindPeople').length).toBeGreaterThan(5);
    const report = await checkEwsResponses(recorded);
    expect(report.failures).toEqual([]);
    expect(report.validated).toBeGreaterThan(5);
  });
});
