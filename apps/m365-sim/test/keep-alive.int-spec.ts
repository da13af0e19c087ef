/**
 * Concurrent keep-alive `$batch` load against the simulator in its own process, as the bench and
 * the workers see it: Node's HTTP server must never answer a valid request with its own bare
 * 400 (`clientError`, e.g. `HPE_PAUSED Parse Error: Paused`), which Graph never does.
 *
 * The simulator runs as a child process (the CLI) because the failure needs a client that can
 * send its next request while the simulator's event loop is still busy: in one process the
 * client only ever runs between the server's callbacks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent } from 'undici';
import { appTokenAt, type Json } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');

const LANES = 48; // mailboxes, one request in flight each (a worker's mailbox jobs)
const BATCHES_PER_LANE = 30;
const BATCH_SIZE = 20;
const WINDOW_BUDGET = 400; // per mailbox and window: the last third of each lane is throttled

interface SimInfoFile {
  baseUrl: string;
  tenants: { id: string }[];
  apps: { clientId: string; clientSecret: string }[];
}

/** A contact as the sync writes it: about 1.4 KB, so a batch of 20 is about 28 KB. */
function contact(mailbox: number, n: number): Json {
  const name = `Keep Alive ${mailbox}-${n}`;
  return {
    displayName: name,
    givenName: 'Keep',
    surname: `Alive ${mailbox}-${n}`,
    jobTitle: 'Engineer',
    companyName: 'Contoso',
    department: 'Research and Development',
    businessPhones: ['+493080810097'],
    mobilePhone: '+4915112345678',
    categories: ['Bench directory'],
    businessAddress: { city: 'Berlin', countryOrRegion: 'Germany', street: 'Unter den Linden 1' },
    emailAddresses: [{ address: `keep.alive.${mailbox}.${n}@contoso.onmicrosoft.com`, name }],
    personalNotes: `Synchronised from the company directory. ${'Do not edit above this line. '.repeat(16)}`,
    singleValueExtendedProperties: ['CsListId', 'CsSourceKey', 'CsHash', 'CsNotesHash'].map(
      (tag) => ({
        id: `String {8f2b0c6e-51a4-4b9e-a3d7-6c0e2f1d9b47} Name ${tag}`,
        value: `${tag}-${mailbox}-${n}-7f554894-6f3c-4d6d-9e10-8d36df0c1a2b`,
      }),
    ),
  };
}

describe('m365-sim keep-alive $batch load (simulator in its own process)', () => {
  let child: ChildProcess | undefined;
  let dispatcher: Agent | undefined;

  afterAll(async () => {
    await dispatcher?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('answers every valid $batch on reused connections with 200 (never a bare 400 from the HTTP parser), with service time and 429s', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365-sim-keepalive-'));
    const infoFile = path.join(dataDir, 'info.json');
    // the bench's settings: 20 ms per operation (no jitter), outlook4 dispatch, 4 per mailbox; a small
    // window budget so that sub-requests get 429
    child = spawn(
      process.execPath,
      [
        'scripts/run-ts.js',
        'apps/m365-sim/src/main.ts',
        '--port',
        '0',
        '--tenants',
        '1',
        '--users',
        String(LANES + 40),
        '--seed',
        '8',
        '--data-dir',
        dataDir,
        '--pre-consent',
        '--quiet',
        '--batch-mode',
        'outlook4',
        '--latency-ms',
        '20',
        '--latency-jitter-ms',
        '0',
        '--concurrency',
        '4',
        '--window-budget',
        String(WINDOW_BUDGET),
        '--window-seconds',
        '60',
        '--info-file',
        infoFile,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(infoFile)) {
      if (child.exitCode !== null) throw new Error(`simulator exited: ${out}`);
      if (Date.now() > deadline) throw new Error(`simulator did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as SimInfoFile;
    const caPem = fs.readFileSync(path.join(dataDir, 'ca.pem'), 'utf8');
    // the workers' transport: fetch over an undici Agent (keep-alive, one request per connection
    // at a time), as GraphGateway hands it to the Graph client
    dispatcher = new Agent({ connect: { ca: caPem } });
    const d = dispatcher;
    const tid = info.tenants[0].id;
    const token = await appTokenAt(info.baseUrl, info.apps[0], d, tid);
    const users = (
      (await (
        await fetch(`${info.baseUrl}/_sim/tenants/${tid}/users`, { dispatcher: d } as RequestInit)
      ).json()) as { id: string; mailbox: string; purpose: string }[]
    ).filter((u) => u.mailbox === 'cloud' && u.purpose === 'user');
    expect(users.length).toBeGreaterThanOrEqual(LANES);

    const envelopes = new Map<number, number>();
    const bare400: string[] = [];
    const dropped: string[] = [];
    const sub = new Map<number, number>();
    let requestBytes = 0;
    let responseBytes = 0;
    await Promise.all(
      users.slice(0, LANES).map(async (u, lane) => {
        for (let b = 0; b < BATCHES_PER_LANE; b++) {
          const body = JSON.stringify({
            requests: Array.from({ length: BATCH_SIZE }, (_, i) => ({
              id: String(i + 1),
              method: 'POST',
              url: `/users/${u.id}/contacts`,
              headers: { 'content-type': 'application/json' },
              body: contact(lane, b * BATCH_SIZE + i),
            })),
          });
          let res: Response;
          let text: string;
          try {
            res = await fetch(`${info.baseUrl}/v1.0/$batch`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body,
              dispatcher: d,
            } as RequestInit);
            text = await res.text();
          } catch (e) {
            // the server's bare 400 + close can also reach undici as a closed connection
            const cause = (e as { cause?: { message?: string } }).cause?.message;
            dropped.push(`${cause ?? String(e)} (lane ${lane} batch ${b})`);
            continue;
          }
          envelopes.set(res.status, (envelopes.get(res.status) ?? 0) + 1);
          requestBytes = Math.max(requestBytes, body.length);
          if (res.status === 400 && text === '')
            bare400.push(
              `bare 400, connection: ${res.headers.get('connection')} (lane ${lane} batch ${b})`,
            );
          if (res.status !== 200) continue;
          responseBytes = Math.max(responseBytes, text.length);
          for (const r of (JSON.parse(text) as { responses: { status: number }[] }).responses)
            sub.set(r.status, (sub.get(r.status) ?? 0) + 1);
        }
      }),
    );

    // the load is what provokes it: request bodies and responses over one TLS record (16 KB)
    expect(requestBytes).toBeGreaterThan(16_384);
    expect(responseBytes).toBeGreaterThan(16_384);
    // throttling took part
    expect(sub.get(429) ?? 0).toBeGreaterThan(0);
    expect(sub.get(201) ?? 0).toBeGreaterThan(0);
    // what the server itself rejected (clientError), by llhttp/socket error code
    const stats = (await (
      await fetch(`${info.baseUrl}/_sim/stats`, { dispatcher: d } as RequestInit)
    ).json()) as { httpClientErrors: Record<string, number> };
    expect({
      httpClientErrors: stats.httpClientErrors,
      bare400: bare400.length,
      dropped: dropped.length,
      first: [...bare400, ...dropped].slice(0, 3),
    }).toEqual({ httpClientErrors: {}, bare400: 0, dropped: 0, first: [] });
    expect(Object.fromEntries(envelopes)).toEqual({ 200: LANES * BATCHES_PER_LANE });
    expect([...sub.keys()].sort()).toEqual([201, 429]);
  }, 120_000);
});
