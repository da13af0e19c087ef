/**
 * How much memory the simulator needs to hold a tier: N mailboxes that each receive the same C
 * contacts, written as the product writes them (bodies from the product's own mapping, policy
 * and `toGraphContact`, our four ownership tags, POSTs to the default Contacts folder in $batch
 * requests of 20).
 *
 *   node --expose-gc scripts/run-ts.js bench/sim-memory.ts --mailboxes 10000 --contacts 500
 *
 * The simulator runs in this process without its HTTPS listener: each $batch payload goes
 * through the simulator's own `runBatch` and Graph dispatcher (route, permission, mailbox,
 * throttling, handler) — everything but TLS and HTTP parsing, which hold no state. Over HTTPS
 * the 5,000,000 writes of tier L would take the client as long as the simulator.
 * Prints a table, then one line `BENCH_SIM_MEMORY <json>`.
 */
import {
  buildDesiredContacts,
  computeContactPatch,
  contactPolicyFingerprint,
  DEFAULT_CONTACT_SYNC_POLICY,
  DIRECTORY_USER_MAPPING,
  encodeFieldHashes,
} from '@app/domain';
import { tagProperties, toGraphContact } from '@app/microsoft';
import { randomUUID } from 'node:crypto';
import { resolveOptions } from '../apps/m365-sim/src/sim-options';
import { SimState, type AuthContext } from '../apps/m365-sim/src/sim';
import { GraphDispatcher } from '../apps/m365-sim/src/graph/dispatch';
import { runBatch } from '../apps/m365-sim/src/graph/batch';
import { sampleProc } from './proc';

export interface SimMemoryResult {
  mailboxes: number;
  contacts: number;
  /** contacts held: mailboxes x contacts */
  items: number;
  users: number;
  writeSeconds: number;
  /** after forced GCs, simulator state only (the process's baseline taken out) */
  heapUsedMb: number;
  /** the same once the throttling windows (600 s of request times per mailbox) have expired */
  heapUsedMbWithoutThrottleWindows: number;
  rssMb: number;
  peakRssMb: number;
  /** directory (seeded users) */
  directoryMb: number;
  /** empty mailboxes: folders, calendar, categories */
  bytesPerMailbox: number;
  /** (heap with contacts - heap with empty mailboxes, throttle windows out) / items */
  bytesPerContact: number;
}

const gc = (globalThis as unknown as { gc?: () => void }).gc;
const MB = 1048576;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function heap(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

export async function measureSimMemory(
  mailboxes: number,
  contacts: number,
  log: (line: string) => void = () => undefined,
): Promise<SimMemoryResult> {
  if (!gc) throw new Error('run with node --expose-gc');
  const base = heap();
  const usersPerTenant = Math.ceil(Math.max(mailboxes, contacts) * 1.25) + 40;
  const opts = resolveOptions({
    tenants: 1,
    usersPerTenant,
    seed: 8,
    preConsent: true,
    quiet: true,
    serviceTimeMs: { '*': 0 },
    serviceTimeJitterMs: 0,
    throttle: { appWindowRequests: 1e9, mailboxWindowRequests: 1e9 },
  });
  const sim = new SimState(opts);
  sim.baseUrl = 'https://127.0.0.1:8443';
  const tenant = sim.tenants[0];
  const app = opts.apps[0];
  const auth: AuthContext = {
    tenant,
    clientId: app.clientId,
    roles: new Set(tenant.servicePrincipals.get(app.clientId)!.roles),
    scopes: new Set(),
    appOnly: true,
  };
  const graph = new GraphDispatcher(sim);
  const afterDirectory = heap();

  // The bench's selection: eligible users in seeded order, the first C are the list's contacts,
  // the first N the target mailboxes.
  const eligible = [...tenant.users.values()].filter(
    (u) =>
      !u.deleted &&
      u.mailbox === 'cloud' &&
      u.purpose === 'user' &&
      u.user.accountEnabled !== false &&
      !!u.user.mail &&
      (u.user.assignedLicenses?.length ?? 0) > 0,
  );
  if (eligible.length < Math.max(mailboxes, contacts))
    throw new Error(`only ${eligible.length} eligible users`);
  const targets = eligible.slice(0, mailboxes).map((u) => u.user.id);
  const records = eligible.slice(0, contacts).map((u) => ({ ...u.user }));

  const listId = randomUUID();
  const desired = buildDesiredContacts({
    sources: [
      { source: { id: 'dir', kind: 'directory', mapping: DIRECTORY_USER_MAPPING }, records },
    ],
    defaultRegion: 'US',
    listCategories: ['Bench directory'],
    hashSalt: contactPolicyFingerprint(DEFAULT_CONTACT_SYNC_POLICY),
  });
  const bodies = desired.items.map((item) => {
    const plan = computeContactPatch(item.value, undefined, DEFAULT_CONTACT_SYNC_POLICY);
    return {
      ...toGraphContact(plan.patch),
      singleValueExtendedProperties: tagProperties({
        listId,
        sourceKey: item.sourceKey,
        contentHash: item.contentHash,
        fieldHashes: encodeFieldHashes(plan.fieldHashes),
      }),
    };
  });

  // the bench's own state (the bodies) is not the simulator's: measure from here
  const beforeMailboxes = heap();
  for (const id of targets) sim.mailbox(tenant, id);
  const afterMailboxes = heap();

  const t0 = performance.now();
  let failed = 0;
  for (const [m, mailbox] of targets.entries()) {
    const folder = tenant.mailboxes.get(mailbox)!.defaultContactFolderId;
    for (let start = 0; start < bodies.length; start += 20) {
      const requests = bodies.slice(start, start + 20).map((body, i) => ({
        id: String(i + 1),
        method: 'POST',
        url: `/users/${mailbox}/contactFolders/${folder}/contacts`,
        headers: { 'content-type': 'application/json' },
        // the product's JSON crosses the wire: each sub-request body is a fresh parse
        body: JSON.parse(JSON.stringify(body)) as unknown,
      }));
      const res = await runBatch(sim, graph, { requests }, auth, randomUUID());
      for (const r of (res.body as { responses: Array<{ status: number }> }).responses)
        if (r.status !== 201 && failed++ === 0) log(JSON.stringify(r));
    }
    if ((m + 1) % 1000 === 0) log(`${m + 1} / ${mailboxes} mailboxes written`);
  }
  if (failed) throw new Error(`${failed} creates failed`);
  const writeSeconds = (performance.now() - t0) / 1000;
  const held = heap();
  const rss = process.memoryUsage().rss;
  sim.throttler.reset();
  const heldWithoutWindows = heap();
  const items = mailboxes * contacts;
  const proc = sampleProc(process.pid);
  const result: SimMemoryResult = {
    mailboxes,
    contacts,
    items,
    users: usersPerTenant,
    writeSeconds: round(writeSeconds),
    heapUsedMb: round((held - base - (beforeMailboxes - afterDirectory)) / MB),
    heapUsedMbWithoutThrottleWindows: round(
      (heldWithoutWindows - base - (beforeMailboxes - afterDirectory)) / MB,
    ),
    rssMb: round(rss / MB),
    peakRssMb: round(proc?.peakRssMb ?? NaN),
    directoryMb: round((afterDirectory - base) / MB),
    bytesPerMailbox: Math.round((afterMailboxes - beforeMailboxes) / mailboxes),
    bytesPerContact: Math.round((heldWithoutWindows - afterMailboxes) / items),
  };
  // keep the state alive until measured
  if (sim.tenants.length === 0) log('');
  return result;
}

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} expects a positive integer`);
  return n;
}

if (process.argv[1] === __filename) {
  measureSimMemory(arg('mailboxes', 10_000), arg('contacts', 500), (l) => console.error(l)).then(
    (r) => {
      for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(34)} ${v}`);
      console.log(`BENCH_SIM_MEMORY ${JSON.stringify(r)}`);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
