/**
 * Fuzz: 1,000+ random requests (paths, methods, query options, bodies, tokens, SOAP) must all be
 * answered with a well-formed status (never a 500 from a crash for Graph, a SOAP fault for EWS),
 * and the server must keep serving afterwards.
 */
import * as https from 'node:https';
import type { Agent } from 'undici';
import type { RunningSimulator } from '../src';
import { Prng } from '../src/core/prng';
import { appToken, consent, simDispatcher, simFetch, startTestSim } from './helpers';

interface Raw {
  status: number;
  body: string;
  contentType: string;
}

describe('m365-sim fuzz', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let agent: https.Agent;
  let token: string;
  let tid: string;
  let uids: string[];
  let itemIds: string[];

  beforeAll(async () => {
    sim = await startTestSim({
      usersPerTenant: 40,
      quiet: false,
      ewsAccounts: [
        {
          userName: 'svc-sync',
          password: 'Sim-Ews-Passw0rd',
          impersonation: true,
          basicAuth: true,
        },
      ],
    });
    d = simDispatcher(sim);
    agent = new https.Agent({ ca: sim.caPem, keepAlive: true, maxSockets: 16 });
    tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
    token = await appToken(sim, d, tid);
    const users = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json;
    uids = users.map((u: { id: string }) => u.id);
    const mbx = (
      await simFetch(sim, d, `/_sim/tenants/${tid}/users/${sim.info.tenants[0].adminId}/mailbox`)
    ).json;
    itemIds = [
      ...mbx.contacts.map((c: { id: string }) => c.id),
      ...mbx.contactFolders.map((c: { id: string }) => c.id),
    ];
  });
  afterAll(async () => {
    agent.destroy();
    await d.close();
    await sim.close();
  });

  function send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer,
  ): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: sim.host,
          port: sim.port,
          method,
          path: path.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)),
          headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              contentType: String(res.headers['content-type'] ?? ''),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
  }

  it('answers 1,200 random requests without crashing and keeps serving', async () => {
    const r = new Prng(1234);
    const junk = () =>
      r.pick([
        '',
        'x',
        '%zz',
        '..',
        '$value',
        '$count',
        "'",
        '(',
        ')',
        'me',
        'AAMkA',
        'AAMkAbad=',
        '💥',
        '%00',
        'a'.repeat(r.int(1, 600)),
        String(r.int(-5, 5000)),
      ]);
    const id = () => r.pick([...uids.slice(0, 6), ...itemIds.slice(0, 6), junk(), r.guid()]);
    const seg = () =>
      r.pick([
        'users',
        'contacts',
        'contactFolders',
        'childFolders',
        'events',
        'calendars',
        'calendar',
        'calendarView',
        'delta',
        'instances',
        'mailboxSettings',
        'photo',
        '$value',
        'groups',
        'members',
        'transitiveMembers',
        'outlook',
        'masterCategories',
        '$batch',
        'organization',
        'me',
        id(),
        junk(),
      ]);
    const qv = () =>
      r.pick([
        `$top=${r.pick(['0', '1', '999', '1000', '-1', 'abc', '1e3', String(r.int(0, 2000))])}`,
        `$skip=${r.pick(['-1', 'x', '5', '99999'])}`,
        `$select=${r.pick(['id', 'displayName,mail', 'nope', ',,,', 'singleValueExtendedProperties'])}`,
        `$filter=${encodeURIComponent(r.pick(["displayName eq 'x'", "startswith(displayName,'A')", 'endswith(mail,', "singleValueExtendedProperties/Any(ep: ep/id eq 'String {00000000-0000-0000-0000-000000000000} Name X' and ep/value eq 'y')", '((((', "a eq 'unterminated", 'not not not', "id in ('a','b')", 'department ne null', 'x/y/any(', '1 eq 1']))}`,
        `$expand=${encodeURIComponent(r.pick(['singleValueExtendedProperties', "singleValueExtendedProperties($filter=id eq 'x')", 'members', 'singleValueExtendedProperties($filter=', '(']))}`,
        `$skiptoken=${r.pick(['', 'garbage', 'eyJrIjoidXNlcnMiLCJvIjotNX0', '%%%'])}`,
        `$deltatoken=${r.pick(['', 'garbage', 'eyJrIjoiY2QifQ'])}`,
        `$count=${r.pick(['true', 'false', 'maybe'])}`,
        `startDateTime=${r.pick(['2026-01-01T00:00:00Z', 'x', ''])}&endDateTime=${r.pick(['2026-02-01T00:00:00Z', 'y', '1999-01-01'])}`,
      ]);
    const jsonVal = (depth: number): unknown => {
      const k = r.int(0, depth > 2 ? 4 : 7);
      switch (k) {
        case 0:
          return null;
        case 1:
          return r.int(-1e6, 1e6);
        case 2:
          return r.chance(0.5);
        case 3:
          return junk();
        case 4:
          return 'text ' + r.int(0, 99);
        case 5:
          return Array.from({ length: r.int(0, 4) }, () => jsonVal(depth + 1));
        default: {
          const o: Record<string, unknown> = {};
          const keys = [
            'givenName',
            'surname',
            'displayName',
            'businessPhones',
            'emailAddresses',
            'start',
            'end',
            'subject',
            'recurrence',
            'singleValueExtendedProperties',
            'name',
            'requests',
            'id',
            'method',
            'url',
            'dependsOn',
            'body',
            'headers',
            'transactionId',
            'attendees',
            'pattern',
            'range',
            'dateTime',
            'timeZone',
            junk(),
          ];
          for (let i = r.int(0, 5); i > 0; i--) o[r.pick(keys)] = jsonVal(depth + 1);
          return o;
        }
      }
    };
    const body = (): Buffer | undefined => {
      switch (r.int(0, 7)) {
        case 0:
          return undefined;
        case 1:
          return Buffer.from('{"broken": ');
        case 2:
          return Buffer.from(r.bytes(r.int(1, 200)));
        case 3:
        case 6:
        case 7: {
          const n = r.chance(0.7) ? r.int(1, 20) : r.int(0, 25);
          return Buffer.from(
            JSON.stringify({
              requests: Array.from({ length: n }, (_, i) => ({
                id: r.chance(0.98) ? String(i) : jsonVal(3),
                method: r.chance(0.98) ? 'GET' : r.pick(['POST', 'PATCH', 'DELETE', 'BREW']),
                url: r.chance(0.99)
                  ? `/users/${r.chance(0.7) ? r.pick(uids.slice(0, 8)) : id()}/${r.pick(['contacts', 'events', 'contactFolders', 'calendars', 'mailboxSettings', seg()])}${r.chance(0.5) ? '?' + qv() : ''}`
                  : jsonVal(3),
                body: r.chance(0.02) ? jsonVal(1) : undefined,
                headers: r.chance(0.8) ? { 'Content-Type': 'application/json' } : undefined,
                dependsOn:
                  i > 0 && r.chance(0.2)
                    ? [String(r.int(0, i - 1))]
                    : r.chance(0.01)
                      ? [String(n + 5)]
                      : undefined,
              })),
            }),
          );
        }
        default:
          return Buffer.from(JSON.stringify(jsonVal(0)));
      }
    };
    const auth = () =>
      r.chance(0.8)
        ? `Bearer ${token}`
        : r.pick([
            '',
            'Bearer ',
            'Bearer abc.def.ghi',
            `Bearer ${token.slice(0, -5)}xxxxx`,
            'Basic Zm9vOmJhcg==',
            `Bearer ${token.split('.').slice(0, 2).join('.')}`,
          ]);
    const soap = (): Buffer =>
      Buffer.from(
        r.pick([
          '<not xml',
          '<?xml version="1.0"?><Envelope/>',
          `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:${r.pick(['FindItem', 'GetItem', 'CreateItem', 'UpdateItem', 'DeleteItem', 'FindFolder', 'GetFolder', 'CreateFolder', 'ResolveNames', junk()])} xmlns:m="x"/></s:Body></s:Envelope>`,
          `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="t" xmlns:m="m"><s:Header><t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${r.pick(['admin@contoso.onmicrosoft.com', 'nobody@x', ''])}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></s:Header><s:Body><m:${r.pick(['FindItem', 'GetItem', 'CreateItem', 'UpdateItem', 'DeleteItem', 'FindFolder', 'GetFolder', 'CreateFolder'])} Traversal="Shallow"><m:ItemIds><t:ItemId Id="${id()}"/></m:ItemIds><m:ParentFolderIds><t:DistinguishedFolderId Id="${r.pick(['contacts', 'calendar', 'inbox', junk()])}"/></m:ParentFolderIds><m:Items><t:${r.pick(['Contact', 'CalendarItem', 'Message'])}><t:GivenName>${junk()}</t:GivenName><t:Start>${r.pick(['2026-01-01T00:00:00Z', 'x'])}</t:Start></t:${r.pick(['Contact', 'CalendarItem'])}></m:Items><m:ItemChanges><t:ItemChange><t:ItemId Id="${id()}"/><t:Updates><t:SetItemField><t:FieldURI FieldURI="${r.pick(['contacts:GivenName', 'item:Subject', 'x:y'])}"/></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges><m:Restriction><t:${r.pick(['IsEqualTo', 'And', 'Or', 'Not', 'Exists', 'IsGreaterThan'])}/></m:Restriction></m:${r.pick(['FindItem', 'GetItem'])}></s:Body></s:Envelope>`,
        ]),
      );
    type Job = () => Promise<{ kind: string; res: Raw }>;
    const jobs: Job[] = [];
    for (let i = 0; i < 1200; i++) {
      const kind = r.pick([
        'graph',
        'graph',
        'graph',
        'graph',
        'graph',
        'graph',
        'batch',
        'token',
        'ews',
        'identity',
      ]);
      if (kind === 'graph') {
        const method = r.pick(['GET', 'GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS']);
        const u = r.pick(uids.slice(0, 8));
        const templates = [
          `/users/${u}/contacts`,
          `/users/${u}/contacts/${id()}`,
          `/users/${u}/contactFolders`,
          `/users/${u}/contactFolders/${id()}/contacts`,
          `/users/${u}/contactFolders/${id()}/contacts/delta`,
          `/users/${u}/events`,
          `/users/${u}/events/${id()}`,
          `/users/${u}/calendars`,
          `/users/${u}/calendarView`,
          `/users/${u}/calendarView/delta`,
          `/users/${u}/mailboxSettings`,
          `/users/${u}/outlook/masterCategories`,
          `/users`,
          `/users/${u}`,
          `/users/delta`,
          `/groups`,
          `/contacts`,
          `/users/${u}/contacts/${id()}/photo/$value`,
        ];
        const p = r.chance(0.6)
          ? `/v1.0${r.pick(templates)}${r.chance(0.6) ? '?' + Array.from({ length: r.int(1, 3) }, qv).join('&') : ''}`
          : `/v1.0/${Array.from({ length: r.int(1, 6) }, (_, k) => (k === 0 ? r.pick(['users', 'users', 'groups', 'contacts', 'me', '$batch', seg()]) : k === 1 ? id() : seg())).join('/')}${r.chance(0.6) ? '?' + Array.from({ length: r.int(1, 3) }, qv).join('&') : ''}`;
        const b = method === 'GET' || method === 'DELETE' ? undefined : body();
        jobs.push(async () => ({
          kind,
          res: await send(
            method,
            p,
            {
              authorization: auth(),
              'content-type': 'application/json',
              ...(r.chance(0.2) ? { ConsistencyLevel: 'eventual' } : {}),
            },
            b,
          ),
        }));
      } else if (kind === 'batch') {
        const b = body() ?? Buffer.from('{}');
        jobs.push(async () => ({
          kind,
          res: await send(
            'POST',
            '/v1.0/$batch',
            { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            b,
          ),
        }));
      } else if (kind === 'token') {
        const form = new URLSearchParams();
        for (const k of [
          'grant_type',
          'client_id',
          'client_secret',
          'scope',
          'code',
          'redirect_uri',
          'client_assertion',
          'client_assertion_type',
          'refresh_token',
        ]) {
          if (r.chance(0.5))
            form.set(
              k,
              r.pick([
                junk(),
                sim.info.apps[0].clientId,
                'client_credentials',
                'authorization_code',
                'refresh_token',
                'https://graph.microsoft.com/.default',
                'abc.def.ghi',
              ]),
            );
        }
        const tenant = r.pick([tid, 'organizations', 'common', 'contoso.onmicrosoft.com', junk()]);
        jobs.push(async () => ({
          kind,
          res: await send(
            'POST',
            `/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
            { 'content-type': 'application/x-www-form-urlencoded' },
            Buffer.from(form.toString()),
          ),
        }));
      } else if (kind === 'ews') {
        const b = soap();
        const a = r.pick([
          'Basic ' + Buffer.from('svc-sync:Sim-Ews-Passw0rd').toString('base64'),
          'Basic ' + Buffer.from('svc-sync:Sim-Ews-Passw0rd').toString('base64'),
          '',
          'Basic !!!',
        ]);
        jobs.push(async () => ({
          kind,
          res: await send(
            r.pick(['POST', 'POST', 'GET']),
            '/EWS/Exchange.asmx',
            { authorization: a, 'content-type': 'text/xml' },
            b,
          ),
        }));
      } else {
        const p = r.pick([
          `/${r.pick([tid, 'organizations', junk()])}/v2.0/.well-known/openid-configuration`,
          `/${r.pick([tid, 'common'])}/discovery/v2.0/keys`,
          `/${r.pick([tid, 'organizations'])}/oauth2/v2.0/authorize?client_id=${r.pick([sim.info.apps[0].clientId, junk()])}&redirect_uri=${encodeURIComponent(r.pick(['https://localhost/cb', 'javascript:alert(1)', junk()]))}&response_type=${r.pick(['code', 'token'])}&state=${junk()}`,
          `/${r.pick([tid, 'organizations'])}/v2.0/adminconsent?client_id=${r.pick([sim.info.apps[0].clientId, junk()])}&redirect_uri=${encodeURIComponent(r.pick(['https://localhost/cb', junk()]))}`,
          `/${junk()}/${junk()}`,
        ]);
        jobs.push(async () => ({
          kind,
          res: await send(
            r.pick(['GET', 'POST']),
            p,
            { 'content-type': 'application/x-www-form-urlencoded' },
            r.chance(0.3)
              ? Buffer.from(
                  `action=${r.pick(['accept', 'signin', 'cancel'])}&login=${r.pick(['admin@contoso.onmicrosoft.com', junk()])}`,
                )
              : undefined,
          ),
        }));
      }
    }
    const results: { kind: string; res: Raw }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < jobs.length) {
          const j = jobs[next++];
          results.push(await j());
        }
      }),
    );
    expect(results).toHaveLength(1200);
    const counts: Record<string, number> = {};
    for (const { kind, res } of results) {
      counts[`${kind}:${res.status}`] = (counts[`${kind}:${res.status}`] ?? 0) + 1;
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(600);
      if (kind === 'graph' || kind === 'batch') {
        expect(res.status).not.toBe(500);
        if (res.status >= 400) {
          const j = JSON.parse(res.body);
          expect(typeof j.error.code).toBe('string');
          expect(typeof j.error.message).toBe('string');
        }
      }
      if (kind === 'ews' && res.status === 500) expect(res.body).toContain('Fault');
      if (kind === 'ews') expect(res.body).not.toContain('ErrorInternalServerError');
      if (kind === 'token' && res.status >= 400) expect(JSON.parse(res.body).error).toBeTruthy();
    }
    // a healthy mix of outcomes, and the server still serves
    expect(Object.keys(counts).length).toBeGreaterThan(10);
    const alive = await simFetch(sim, d, '/v1.0/users?$top=1', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(alive.status).toBe(200);
  });
});
