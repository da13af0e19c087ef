import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TenantRef } from '../graph/graph-types';
import type { EwsConnection } from './ews-connection';
import { EwsDirectoryReader } from './ews-directory-reader';

// FindPeople servers that do not page as Exchange does, over HTTP on this machine (a lab's
// http://, Basic): one that ignores the IndexedPageItemView's Offset, one that sends no
// TotalNumberOfPeopleInView, one that never ends. The GAL read ends — with the entries, or with
// EWS_DIRECTORY_PAGING_FAILED and a sentence — instead of looping.

const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
const tenant: TenantRef = { id: 'org-row-1', azureTenantId: null };
/** Entries of the well-behaved part of the GAL. */
const ENTRIES = 20;

interface Behaviour {
  /** answer from offset 0 whatever the request asked */
  ignoreOffset?: boolean;
  /** TotalNumberOfPeopleInView: a number, a text that is not one, or absent */
  total?: 'count' | 'garbage' | 'absent';
  /** entries without end (each offset has its own) */
  endless?: boolean;
  /** every other entry a mail contact (a search passes over them) */
  contacts?: boolean;
}

function persona(i: number, contact: boolean): string {
  const mail = `user${String(i).padStart(4, '0')}@contoso.example`;
  return (
    `<t:Persona><t:PersonaId Id="${Buffer.from(`persona:${i}`).toString('base64')}"/>` +
    `<t:PersonaType>Person</t:PersonaType><t:DisplayName>User ${i}</t:DisplayName>` +
    `<t:EmailAddress><t:Name>User ${i}</t:Name><t:EmailAddress>${mail}</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>${contact ? 'Contact' : 'Mailbox'}</t:MailboxType></t:EmailAddress>` +
    '</t:Persona>'
  );
}

function answer(body: string, b: Behaviour): string {
  const asked = Number(/Offset="(\d+)"/.exec(body)?.[1] ?? 0);
  const size = Number(/MaxEntriesReturned="(\d+)"/.exec(body)?.[1] ?? 0);
  const offset = b.ignoreOffset ? 0 : asked;
  const end = b.endless ? offset + size : Math.min(offset + size, ENTRIES);
  const people: string[] = [];
  for (let i = offset; i < end; i++) people.push(persona(i, !!b.contacts && i % 2 === 1));
  const total =
    b.total === 'absent'
      ? ''
      : `<m:TotalNumberOfPeopleInView>${b.total === 'garbage' ? 'many' : ENTRIES}</m:TotalNumberOfPeopleInView>`;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
    `<m:FindPeopleResponse ResponseClass="Success" xmlns:m="${M}" xmlns:t="${T}">` +
    `<m:People>${people.join('')}</m:People>${total}` +
    '<m:FirstMatchingRowIndex>0</m:FirstMatchingRowIndex><m:FirstLoadedRowIndex>0</m:FirstLoadedRowIndex>' +
    '</m:FindPeopleResponse></s:Body></s:Envelope>'
  );
}

let server: Server;
let url: string;
let behaviour: Behaviour = {};
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const text = answer(Buffer.concat(chunks).toString('utf8'), behaviour);
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/EWS/Exchange.asmx`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function reader(b: Behaviour, options: { pageSize?: number; maxEntries?: number } = {}) {
  behaviour = b;
  requests = 0;
  const connection: EwsConnection = {
    serverUrl: url,
    username: 'CONTOSO\\svc-sync',
    password: 'Paging-Passw0rd',
    authMode: 'basic',
    caPem: null,
    addressListId: '5f8b1c2e-3a4d-4e6f-8a9b-0c1d2e3f4a5b',
    directoryMailbox: 'admin@contoso.example',
  };
  return new EwsDirectoryReader(
    { forTenant: async () => connection },
    // a search asks as many as it wants (its limit)
    { pageSize: 7, searchPageSize: 1, ...options, service: { allowHttp: true } },
  );
}

it('a server that pages as Exchange does: every entry once, up to TotalNumberOfPeopleInView', async () => {
  const read = await reader({ total: 'count' }).readUsers(tenant, undefined);
  expect(read !== 'expired' && read.changed.map((u) => u.mail)).toHaveLength(ENTRIES);
  expect(requests).toBe(Math.ceil(ENTRIES / 7));
});

it.each(['absent', 'garbage'] as const)(
  'TotalNumberOfPeopleInView %s: read on to the empty page, every entry once',
  async (total) => {
    const read = await reader({ total }).readUsers(tenant, undefined);
    if (read === 'expired') throw new Error('a full read cannot expire');
    expect(new Set(read.changed.map((u) => u.mail)).size).toBe(ENTRIES);
    expect(read.changed).toHaveLength(ENTRIES);
    expect(requests).toBe(Math.ceil(ENTRIES / 7) + 1);
  },
);

it.each(['count', 'absent', 'garbage'] as const)(
  'a server that ignores the Offset (TotalNumberOfPeopleInView %s): EWS_DIRECTORY_PAGING_FAILED at the second page, not a loop nor duplicates',
  async (total) => {
    const r = reader({ ignoreOffset: true, total });
    await expect(r.readUsers(tenant, undefined)).rejects.toMatchObject({
      code: 'EWS_DIRECTORY_PAGING_FAILED',
      message: expect.stringMatching(
        /^FindPeople on the Global Address List does not page: the page at offset 7 starts with the entry the previous page started with .*ignores the IndexedPageItemView's Offset/,
      ),
    });
    expect(requests).toBe(2);
    // the address book search pages the same way (half a page of mailboxes: it reads on)
    requests = 0;
    behaviour.contacts = true;
    await expect(r.searchUsers(tenant, 'user', 10)).rejects.toMatchObject({
      code: 'EWS_DIRECTORY_PAGING_FAILED',
    });
    expect(requests).toBe(2);
  },
);

it('a server that never ends and gives no total: EWS_DIRECTORY_PAGING_FAILED at the entries cap', async () => {
  const r = reader({ endless: true, total: 'absent' }, { maxEntries: 50 });
  await expect(r.readUsers(tenant, undefined)).rejects.toMatchObject({
    code: 'EWS_DIRECTORY_PAGING_FAILED',
    message: expect.stringMatching(
      /56 entries read and the server has not said the list ended \(TotalNumberOfPeopleInView absent\): the reader stops at 50/,
    ),
  });
  expect(requests).toBe(8);
});
