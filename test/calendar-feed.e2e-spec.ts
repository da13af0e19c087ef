import { systemHostResolver, type HostResolver } from '@app/outbound';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateTls } from '../apps/m365-sim/src/core/tls';
import { CalendarFeedFetcher } from '@app/calendar';

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n';

// A real HTTPS feed server on loopback, allowed through the operator allow-list.
describe('CalendarFeedFetcher', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let ca: string;
  const requests: Array<Record<string, string | string[] | undefined>> = [];
  const body = ICS;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'feed-'));
    const tls = loadOrCreateTls(dir, '127.0.0.1');
    ca = tls.caPem;
    server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      requests.push(req.headers);
      if (req.url === '/big.ics') return res.writeHead(200).end('X'.repeat(10_000));
      if (req.url === '/latin1.ics')
        return res.writeHead(200, { 'content-type': 'text/calendar; charset=iso-8859-1' }).end(ICS);
      if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304).end();
      res
        .writeHead(200, { etag: '"v1"', 'content-type': 'text/calendar; charset=utf-8' })
        .end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const fetcher = (allowedNetworks: string[], resolver: HostResolver = systemHostResolver) =>
    new CalendarFeedFetcher(
      { allowedNetworks, ca: [ca], timeoutMs: 5_000, maxBytes: 4_096 },
      resolver,
    );

  it('fetches, then a 304 on the conditional GET is one request and "unchanged"', async () => {
    requests.length = 0;
    const f = fetcher(['127.0.0.0/8']);
    const first = await f.fetch(`${base}/cal.ics`);
    expect(first).toEqual({ kind: 'changed', text: ICS, validators: { etag: '"v1"' } });
    const second = await f.fetch(
      `${base}/cal.ics`,
      first.kind === 'changed' ? first.validators : {},
    );
    expect(second).toEqual({ kind: 'unchanged' });
    expect(requests).toHaveLength(2);
    expect(requests[1]!['if-none-match']).toBe('"v1"');
  });

  it('refuses a private address not on the allow-list, and a host that rebinds to one, before connecting', async () => {
    requests.length = 0;
    await expect(fetcher([]).fetch(`${base}/cal.ics`)).rejects.toMatchObject({
      code: 'calendar_feed_refused',
      status: 400,
    });
    // A name that answered a public address when saved and a private one at fetch time.
    const answers = ['93.184.215.14', '127.0.0.1'];
    const rebinding: HostResolver = {
      resolve: () => Promise.resolve([{ address: answers.shift() ?? '127.0.0.1', family: 4 }]),
    };
    const f = fetcher([], rebinding);
    await f.check('https://feed.example.com/cal.ics');
    await expect(f.fetch('https://feed.example.com/cal.ics')).rejects.toMatchObject({
      code: 'calendar_feed_refused',
    });
    await expect(
      fetcher(['127.0.0.0/8']).fetch(base.replace('https:', 'http:')),
    ).rejects.toMatchObject({
      code: 'calendar_feed_refused',
    });
    expect(requests).toHaveLength(0);
  });

  it('refuses an oversized or non-UTF-8 answer with a coded error', async () => {
    await expect(fetcher(['127.0.0.0/8']).fetch(`${base}/big.ics`)).rejects.toMatchObject({
      code: 'outbound_response_too_large',
    });
    await expect(fetcher(['127.0.0.0/8']).fetch(`${base}/latin1.ics`)).rejects.toMatchObject({
      code: 'calendar_feed_failed',
    });
  });
});
