import { mailboxFailureOf } from '@app/domain';
import {
  BasePropertySet,
  Folder,
  FolderId,
  PropertySet,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { EwsConnection } from './ews-connection';
import { testEwsConnection } from './ews-connection-test';
import { EwsContactsStore } from './ews-contacts-store';
import { ewsFailureOf } from './ews-failure';
import { ewsMailboxError } from './ews-mailbox-error';
import { createEwsService } from './ews-service-factory';

// A hung Exchange server: one that accepts the TCP connection and never answers (over https the
// TLS handshake never completes), and one that reads the HTTP request and never answers it (a
// lab's http://). Every request fails with ETIMEDOUT within about the timeout, for NTLM and
// Basic alike, and its connection is dropped; the mailbox port reports it TRANSIENT (the job is
// retried), the connection test answers its code and a sentence.

const TIMEOUT_MS = 300;
/** What "about the timeout" allows on a busy machine; without the timeout nothing ever answers. */
const DEADLINE_MS = 5_000;

/** A server that holds every connection without a word, and tells which are still open. */
interface Hung {
  url: string;
  open: Set<Socket>;
  accepted: () => number;
  close(): Promise<void>;
}

async function listen(server: Server | HttpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function track(server: Server | HttpServer): Pick<Hung, 'open' | 'accepted'> {
  const open = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (s: Socket) => {
    accepted++;
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
  });
  return { open, accepted: () => accepted };
}

async function hungTcp(): Promise<Hung> {
  // reads what arrives (the TLS ClientHello), so that the client's close is seen; says nothing
  const server = createTcpServer((s) => s.resume());
  const t = track(server);
  const port = await listen(server);
  return {
    url: `https://127.0.0.1:${port}/EWS/Exchange.asmx`,
    ...t,
    close: () => closeServer(server, t.open),
  };
}

async function hungHttp(): Promise<Hung> {
  // reads the request, never answers
  const server = createHttpServer((req) => req.resume());
  const t = track(server);
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/EWS/Exchange.asmx`,
    ...t,
    close: () => closeServer(server, t.open),
  };
}

function closeServer(server: Server | HttpServer, open: Set<Socket>): Promise<void> {
  for (const s of open) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The promise's outcome, or a failure naming what was still pending at the deadline. */
function settledWithin<T>(
  p: Promise<T>,
  ms: number,
  what: string,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms`)), ms);
  });
  return Promise.race([
    p.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    deadline,
  ]).finally(() => clearTimeout(timer));
}

/** Resolves once `check` holds, polling; fails at the deadline. */
async function eventually(check: () => boolean, what: string, ms = DEADLINE_MS): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

const connectionTo = (url: string, authMode: 'ntlm' | 'basic'): EwsConnection => ({
  serverUrl: url,
  username: 'CONTOSO\\svc-sync',
  password: 'Hung-Server-Passw0rd',
  authMode,
  caPem: null,
});

describe.each([
  ['a TCP server that accepts and never answers (https: no TLS handshake)', hungTcp],
  ['an HTTP server that reads the request and never answers', hungHttp],
])('%s', (_what, start) => {
  let hung: Hung;
  beforeAll(async () => {
    hung = await start();
  });
  afterAll(async () => {
    await hung?.close();
  });

  it.each(['ntlm', 'basic'] as const)(
    '%s: GetFolder fails with ETIMEDOUT within about the timeout, mapped TRANSIENT; the connection is dropped',
    async (authMode) => {
      const before = hung.accepted();
      const handle = createEwsService(connectionTo(hung.url, authMode), 'ada@contoso.example', {
        timeoutMs: TIMEOUT_MS,
        allowHttp: true,
      });
      try {
        const started = Date.now();
        const outcome = await settledWithin(
          Folder.Bind(
            handle.service,
            new FolderId(WellKnownFolderName.Contacts),
            new PropertySet(BasePropertySet.IdOnly),
          ),
          DEADLINE_MS,
          'Folder.Bind',
        );
        const elapsed = Date.now() - started;
        expect(outcome.ok).toBe(false);
        expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
        const failure = ewsFailureOf((outcome as { error: unknown }).error);
        expect(failure).toMatchObject({
          networkCode: 'ETIMEDOUT',
          message: 'ETIMEDOUT: no answer within 300 ms',
        });
        expect(ewsMailboxError(failure, 'ada@contoso.example')).toMatchObject({
          code: 'TRANSIENT',
          message: expect.stringMatching(
            /^the EWS server did not answer in time \(ETIMEDOUT: no answer within 300 ms\): .*firewall/,
          ),
        });
        // the request reached the server, and its connection was given up
        expect(hung.accepted()).toBeGreaterThan(before);
        await eventually(() => hung.open.size === 0, 'the timed-out connection closed');
      } finally {
        handle.close();
      }
    },
  );

  it.each(['ntlm', 'basic'] as const)(
    '%s: a mailbox session reports TRANSIENT (retried, not final for the run)',
    async (authMode) => {
      const store = new EwsContactsStore(
        { forTenant: async () => connectionTo(hung.url, authMode) },
        { addressOf: async () => 'ada@contoso.example' },
        { timeoutMs: TIMEOUT_MS, allowHttp: true },
      );
      const session = store.open({ tenant: { id: 't1', azureTenantId: null }, mailboxId: 'm1' });
      try {
        const outcome = await settledWithin(session.probe(), DEADLINE_MS, 'probe');
        expect(outcome.ok).toBe(false);
        expect(mailboxFailureOf((outcome as { error: unknown }).error)).toEqual({
          code: 'TRANSIENT',
          message: expect.stringMatching(/did not answer in time \(ETIMEDOUT/),
        });
      } finally {
        await session.close();
      }
    },
  );

  it.each(['ntlm', 'basic'] as const)(
    '%s: the connection test answers transient and a sentence within about its timeout',
    async (authMode) => {
      const outcome = await settledWithin(
        testEwsConnection(connectionTo(hung.url, authMode), 'ada@contoso.example', {
          timeoutMs: TIMEOUT_MS,
          allowHttp: true,
        }),
        DEADLINE_MS,
        'testEwsConnection',
      );
      expect(outcome).toEqual({
        ok: true,
        value: {
          ok: false,
          code: 'transient',
          message: expect.stringMatching(/EWS server did not answer in time .*Exchange \(IIS\)/),
          handshakes: 0,
        },
      });
      await eventually(() => hung.open.size === 0, 'the test connection closed');
    },
  );
});
