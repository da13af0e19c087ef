import type { ContactListSettingsInput } from '@app/sync';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NaiveBaseline, naiveContact, type BaselinePass } from './baseline';
import { measureSimCapacity } from './capacity';
import { ChildService } from './child';
import {
  describeMachine,
  mapLimit,
  resetPeakRss,
  sampleProc,
  type MachineDescription,
} from './proc';
import { ewsFigures, measureNtlmCost, saveBenchEwsConnection } from './ews-phase';
import { BenchProduct, type RunOutcome } from './product';
import type { SimMemoryResult } from './sim-memory';
import {
  BenchSim,
  tagOf,
  writesOf,
  type SimStats,
  type SimUserRecord,
  type SimUserView,
} from './sim';
import { TIERS, type TierName } from './tiers';
import {
  benchCalendar,
  createBenchCalendarList,
  eventsFigures,
  storeBenchCalendar,
} from './events-phase';

export interface BenchOptions {
  tier: TierName;
  /** worker processes (default 2) */
  workers?: number;
  /** SYNC_WORKER_CONCURRENCY of each worker (default 16) */
  workerConcurrency?: number;
  /** simulator seed (default 8) */
  seed?: number;
  /** progress lines on stderr (default true) */
  progress?: boolean;
  /** a tier's shape with other sizes, for quick checks (results are then not the tier's) */
  mailboxes?: number;
  contacts?: number;
}

/** Every figure of one bench run (also written as bench/results/<tier>-latest.json). */
export interface BenchResult {
  tier: TierName;
  startedAt: string;
  totalSeconds: number;
  machine: MachineDescription;
  settings: Record<string, unknown>;
  initial: Record<string, number | boolean> & {
    writesPerSec: number;
    throttledShare: number;
    complete: boolean;
  };
  noop: Record<string, number> & {
    requestsPerMailbox: number;
    writes: number;
    wallSeconds: number;
  };
  incremental: Record<string, number> & { writeAmplification: number };
  /** The events phase (issue #20), beside the contact figures. */
  events?: Record<string, number | boolean>;
  /** The EWS phase (issue #21): the contact list to on-premises mailboxes through EWS (NTLM). */
  ews?: Record<string, number | boolean>;
  envelope: Record<string, number> & { utilisation: number };
  resources: Record<string, number> & { workerPeakRssMb: number };
  simulator: Record<string, number> & { subRequestsPerSecPerCore: number };
  baseline: Record<string, number | string> & { writesPerSec: number };
  ratios: Record<string, number>;
}

const EXT_CONTACT = 'extensionAttribute13';
const EXT_MAILBOX = 'extensionAttribute14';
const SERVICE_TIME_MS = 20;
const DEFAULT_THROTTLE = {
  mailboxConcurrency: 4,
  mailboxWindowRequests: 10_000,
  mailboxWindowSeconds: 600,
  concurrencyRetryAfterSeconds: 1,
  maxRetryAfterSeconds: 0,
  directoryWindowRequests: 20_000,
  directoryWindowSeconds: 10,
  appWindowRequests: 130_000,
  appWindowSeconds: 10,
};

const round = (n: number, digits = 2) => {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

function attributeRule(attribute: string, value: string) {
  return {
    include: [
      {
        when: [
          {
            type: 'attribute' as const,
            path: `onPremisesExtensionAttributes.${attribute}`,
            operator: 'equals' as const,
            value,
          },
        ],
      },
    ],
  };
}

/** A directory user that is both a contact and a mailbox Graph can reach, as the product sees it. */
function eligible(u: SimUserView): boolean {
  return (
    !u.deleted &&
    u.mailbox === 'cloud' &&
    (u.purpose ?? 'user') === 'user' &&
    u.accountEnabled !== false &&
    typeof u.mail === 'string' &&
    u.mail !== '' &&
    u.licensed === true
  );
}

/** Runs one tier of the benchmark end to end and returns its figures. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const tier = {
    ...TIERS[options.tier],
    ...(options.mailboxes ? { mailboxes: options.mailboxes } : {}),
    ...(options.contacts ? { contacts: options.contacts } : {}),
  };
  const workerCount = options.workers ?? 2;
  const workerConcurrency = options.workerConcurrency ?? 16;
  const seed = options.seed ?? 8;
  const t0 = performance.now();
  const log = (msg: string) => {
    if (options.progress !== false)
      process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
  };
  const need = Math.max(tier.mailboxes, tier.contacts);
  // Room for the capacity loop's 8 spare mailboxes and the EWS phase's on-premises ones.
  const usersPerTenant = Math.ceil((need + 8 + tier.ewsMailboxes) * 1.25) + 40;
  const dir = mkdtempSync(join(tmpdir(), `bench-${tier.name}-`));
  const simOptions = {
    tenants: 1,
    usersPerTenant,
    seed,
    dataDir: join(dir, 'sim'),
    preConsent: true,
    batchMode: 'outlook4' as const,
    throttle: DEFAULT_THROTTLE,
    serviceTimeMs: { '*': SERVICE_TIME_MS },
    // the bench's own latency, set explicitly: the simulator's default (3 ms + jitter) would
    // change the figures' ratio to the earlier runs
    serviceTimeJitterMs: 0,
  };
  let sim: BenchSim | undefined;
  let product: BenchProduct | undefined;
  try {
    log(
      `tier ${tier.name}: ${tier.mailboxes} mailboxes x ${tier.contacts} contacts, ${usersPerTenant} users`,
    );
    sim = await BenchSim.start(simOptions, tier.simHeapMb);
    const simPid = sim.service.pid;

    // --- seed: pick C contact users and N mailboxes, mark them with extension attributes ---
    const all = (await sim.users()).filter(eligible);
    if (all.length < need)
      throw new Error(`only ${all.length} eligible users of ${usersPerTenant}; need ${need}`);
    const contactUsers = all.slice(0, tier.contacts);
    const mailboxUsers = all.slice(0, tier.mailboxes);
    // The EWS phase's mailboxes: spare users (after the capacity loop's 8), moved on-premises,
    // so Graph answers MailboxNotEnabledForRESTAPI for them and the product goes through EWS.
    const ewsUsers = all.slice(need + 8, need + 8 + tier.ewsMailboxes);
    if (ewsUsers.length < tier.ewsMailboxes)
      throw new Error(`only ${ewsUsers.length} spare users for ${tier.ewsMailboxes} EWS mailboxes`);
    await mapLimit(ewsUsers, 16, (u) => sim!.patchUser(u.id, { mailbox: 'onprem' }));
    const contactIds = new Set(contactUsers.map((u) => u.id));
    const mailboxIds = new Set(mailboxUsers.map((u) => u.id));
    const marked = all.filter((u) => contactIds.has(u.id) || mailboxIds.has(u.id));
    const records = new Map<string, SimUserRecord>();
    await mapLimit(marked, 16, async (u) => {
      const record = await sim!.user(u.id);
      records.set(u.id, record);
      await sim!.patchUser(u.id, {
        onPremisesExtensionAttributes: {
          ...((record.onPremisesExtensionAttributes as Record<string, unknown>) ?? {}),
          ...(contactIds.has(u.id) ? { [EXT_CONTACT]: 'bench-contact' } : {}),
          ...(mailboxIds.has(u.id) ? { [EXT_MAILBOX]: 'bench-mailbox' } : {}),
        },
      });
    });
    log(`marked ${contactUsers.length} contact users and ${mailboxUsers.length} mailboxes`);

    // --- the product: scratch database, tenant, list, worker processes ---
    const tenantMailboxLimit = workerCount * workerConcurrency;
    product = await BenchProduct.create(sim, dir, {
      SYNC_WORKER_CONCURRENCY: String(workerConcurrency),
      SYNC_TENANT_MAILBOX_LIMIT: String(tenantMailboxLimit),
    });
    const settings: ContactListSettingsInput = {
      sources: [
        { id: 'dir', kind: 'directory', filter: attributeRule(EXT_CONTACT, 'bench-contact') },
      ],
    };
    const listId = await product.createList('Bench directory', settings, [
      {
        kind: 'filter',
        mode: 'include',
        value: JSON.stringify(attributeRule(EXT_MAILBOX, 'bench-mailbox')),
      },
    ]);
    await product.startWorkers(workerCount);
    log(
      `${workerCount} workers ready (concurrency ${workerConcurrency}, tenant limit ${tenantMailboxLimit})`,
    );
    const workerPids = product.workers.map((w) => w.pid);
    const cpuOf = (pids: number[]) =>
      pids.reduce((sum, pid) => sum + (sampleProc(pid)?.cpuSeconds ?? 0), 0);
    // Workers' peak RSS: reset before each phase (to compare phases), the maximum kept.
    let workerPeakMax = 0;
    const workerPeak = () => {
      const peak = Math.max(...workerPids.map((pid) => sampleProc(pid)?.peakRssMb ?? 0));
      workerPeakMax = Math.max(workerPeakMax, peak);
      return peak;
    };
    const phase = async (
      name: string,
      runListId = listId,
      listKind: 'contacts' | 'calendar' = 'contacts',
    ): Promise<{
      outcome: RunOutcome;
      stats: SimStats;
      workerCpu: number;
      simCpu: number;
      failedAttempts: number;
      workerPeakRssMb: number;
    }> => {
      await sim!.resetStats();
      workerPeak();
      for (const pid of workerPids) resetPeakRss(pid);
      const f0 = product!.failedAttempts();
      const w0 = cpuOf(workerPids);
      const s0 = cpuOf([simPid]);
      const outcome = await product!.runNow(runListId, tier.runTimeoutMs, listKind);
      const stats = await sim!.stats();
      const result = {
        outcome,
        stats,
        failedAttempts: product!.failedAttempts() - f0,
        workerCpu: cpuOf(workerPids) - w0,
        simCpu: cpuOf([simPid]) - s0,
        workerPeakRssMb: workerPeak(),
      };
      log(
        `${name}: ${outcome.run.status} in ${outcome.wallSeconds.toFixed(1)} s (first mailbox ${outcome.firstMailboxSeconds.toFixed(1)} s), ${writesOf(stats)} writes, ${stats.total} Graph ops, ${stats.throttled} throttled${stats.ews.operations ? `, ${stats.ews.operations} SOAP ops, ${stats.ews.handshakeRequests} NTLM handshakes` : ''}`,
      );
      log(
        `  ops: ${Object.entries(stats.ops)
          .map(([k, v]) => `${k}=${v.count}${v.throttled ? `/${v.throttled}t` : ''}`)
          .join(' ')}`,
      );
      return result;
    };

    // --- 1. initial push ---
    const initial = await phase('initial push');
    const expectedWrites = tier.contacts * tier.mailboxes;
    const initialWrites = writesOf(initial.stats);
    const verifyIds = [...mailboxIds].slice(0, tier.mailboxes > 1000 ? 200 : tier.mailboxes);
    const counts = await mapLimit(verifyIds, 8, async (id) => {
      const items = await sim!.mailboxContacts(id);
      const keys = items
        .filter((c) => tagOf(c, 'CsListId') === listId)
        .map((c) => tagOf(c, 'CsSourceKey'));
      return new Set(keys).size === keys.length ? keys.length : -1;
    });
    const complete =
      initial.outcome.run.status === 'succeeded' &&
      initial.outcome.run.mailboxesSucceeded === tier.mailboxes &&
      counts.every((n) => n === tier.contacts);
    const simAfterInitial = sampleProc(simPid);

    // --- 3. no-op resync ---
    const noop = await phase('no-op resync');

    // --- 4. incremental: change k source users ---
    const changed = contactUsers.slice(0, tier.changed);
    const stamp = Date.now().toString(36);
    await mapLimit(changed, 8, (u, i) =>
      sim!.patchUser(u.id, { jobTitle: `Bench title ${stamp}-${i}` }),
    );
    const incremental = await phase('incremental');
    const incrementalWrites = writesOf(incremental.stats);

    // --- 4b. events: a company calendar to the same mailboxes (initial, no-op, edit, move) ---
    const calendarId = await createBenchCalendarList(product, [
      {
        kind: 'filter',
        mode: 'include',
        value: JSON.stringify(attributeRule(EXT_MAILBOX, 'bench-mailbox')),
      },
    ]);
    const eventItems = await storeBenchCalendar(product, calendarId, benchCalendar(tier.events));
    const eventsInitial = await phase('events: initial push', calendarId, 'calendar');
    const eventsNoop = await phase('events: no-op', calendarId, 'calendar');
    await storeBenchCalendar(product, calendarId, benchCalendar(tier.events, { edit: true }));
    const eventsEdit = await phase('events: one event edited', calendarId, 'calendar');
    await storeBenchCalendar(
      product,
      calendarId,
      benchCalendar(tier.events, { edit: true, move: true }),
    );
    const eventsMove = await phase('events: one occurrence moved', calendarId, 'calendar');
    const events = eventsFigures({
      mailboxes: tier.mailboxes,
      items: eventItems,
      initial: eventsInitial,
      noop: eventsNoop,
      edit: eventsEdit,
      move: eventsMove,
    });

    // --- 4c. EWS: the same contacts to on-premises mailboxes through the tenant's EWS connection
    // (NTLM), initial push, no-op, one changed contact; then NTLM's cost per SOAP operation ---
    await saveBenchEwsConnection(product, sim);
    const ewsListId = await product.createList(
      'Bench EWS',
      settings,
      ewsUsers.map((u) => ({ kind: 'user' as const, mode: 'include' as const, value: u.id })),
    );
    const ewsInitial = await phase('ews: initial push', ewsListId);
    const ewsCounts = await mapLimit(ewsUsers, 8, async (u) => {
      const keys = (await sim!.mailboxContacts(u.id))
        .filter((c) => tagOf(c, 'CsListId') === ewsListId)
        .map((c) => tagOf(c, 'CsSourceKey'));
      return new Set(keys).size === keys.length ? keys.length : -1;
    });
    const ewsNoop = await phase('ews: no-op', ewsListId);
    await sim.patchUser(contactUsers[tier.changed].id, { jobTitle: `Bench EWS title ${stamp}` });
    const ewsIncremental = await phase('ews: one contact changed', ewsListId);
    const ntlm = await measureNtlmCost(
      sim,
      (await sim.user(ewsUsers[0].id)).mail as string,
      tier.name === 'S' ? 20 : 50,
    );
    log(
      `ews ntlm per operation: ours ${JSON.stringify(ntlm.ours)}, library ${JSON.stringify(ntlm.library)}`,
    );
    const ews = ewsFigures({
      mailboxes: ewsUsers.length,
      contacts: tier.contacts,
      initial: ewsInitial,
      noop: ewsNoop,
      incremental: ewsIncremental,
      changed: 1,
      complete:
        ewsInitial.outcome.run.status === 'succeeded' &&
        ewsInitial.outcome.run.mailboxesSucceeded === ewsUsers.length &&
        ewsCounts.every((n) => n === tier.contacts),
      graph: { mailboxes: tier.mailboxes, initial, noop, initialWrites },
      ntlm,
    });

    // --- 2. envelope: a per-mailbox window small enough to bind, on a fresh list ---
    const envMailboxes = mailboxUsers.slice(0, Math.min(tier.mailboxes, tenantMailboxLimit));
    const initialRate = initialWrites / initial.outcome.wallSeconds;
    const windowSeconds = 2;
    const perMailboxRate = Math.max(
      1,
      Math.min((0.5 * initialRate) / envMailboxes.length, tier.contacts / tier.envelopeSeconds),
    );
    const windowBudget = Math.max(2, Math.round(perMailboxRate * windowSeconds));
    const envThrottle = {
      ...DEFAULT_THROTTLE,
      mailboxWindowRequests: windowBudget,
      mailboxWindowSeconds: windowSeconds,
    };
    await sim.configure({ throttle: envThrottle });
    const envListId = await product.createList(
      'Bench envelope',
      { ...settings, folder: { mode: 'dedicated', name: 'Bench envelope' } },
      envMailboxes.map((u) => ({ kind: 'user' as const, mode: 'include' as const, value: u.id })),
    );
    await sim.resetStats();
    const envOutcome = await product.runNow(envListId, tier.runTimeoutMs);
    const envStats = await sim.stats();
    const envWrites = writesOf(envStats);
    // Theoretical: each mailbox may spend its window budget at once, then B per W seconds; all
    // mailboxes in parallel (the fleet has a slot for each). Only the writes are counted as
    // necessary work: reads the engine spends come out of the same budget.
    const perMailboxWrites = envWrites / envMailboxes.length;
    const minSeconds =
      Math.max(0, perMailboxWrites - windowBudget) / (windowBudget / windowSeconds);
    const theoreticalWritesPerSec = minSeconds > 0 ? envWrites / minSeconds : Infinity;
    const envWritesPerSec = envWrites / envOutcome.wallSeconds;
    log(
      `envelope: ${envOutcome.run.status} in ${envOutcome.wallSeconds.toFixed(1)} s, ${envWrites} writes, ${envStats.throttled}/${envStats.total} throttled, max ${theoreticalWritesPerSec.toFixed(0)}/s`,
    );
    await sim.configure({ throttle: DEFAULT_THROTTLE });

    // --- resources of the fleet (before the baseline and the capacity loop add their own) ---
    // The peak over every phase so far (each phase resets VmHWM before it runs).
    const workerPeakRssMb = Math.max(workerPeak(), workerPeakMax);
    const simBeforeBaseline = sampleProc(simPid);

    // --- 7. naive baseline on a labelled sample of mailboxes (last: it writes untagged items) ---
    const baselineMailboxes = mailboxUsers
      .slice(-Math.min(tier.baselineSample, tier.mailboxes))
      .map((u) => u.id);
    const naive = new NaiveBaseline(sim);
    const naiveContacts = contactUsers.map((u) => naiveContact(records.get(u.id)!));
    await sim.resetStats();
    const pass1: BaselinePass = await naive.run(baselineMailboxes, naiveContacts);
    const pass2: BaselinePass = await naive.run(baselineMailboxes, naiveContacts);
    const baselineStats = await sim.stats();
    log(
      `baseline: ${pass1.creates} creates in ${pass1.wallSeconds.toFixed(1)} s; resync ${pass2.deletes + pass2.creates} writes in ${pass2.wallSeconds.toFixed(1)} s`,
    );

    // --- 6. simulator capacity ---
    const spare = all.slice(need, need + 8);
    const capacityMailboxes = (spare.length >= 4 ? spare : mailboxUsers.slice(0, 8)).map(
      (u) => u.id,
    );
    const capacity = await measureSimCapacity(sim, capacityMailboxes, tier.capacitySeconds);
    log(
      `capacity: ${capacity.subRequestsPerSec.toFixed(0)} sub-requests/s, ${capacity.subRequestsPerSecPerCore.toFixed(0)} per core`,
    );

    // --- 5b. a 100,000-entry mailbox map through the log store ---
    const mapChild = new ChildService('map-memory', 'bench/map-memory.ts', {}, ['--expose-gc']);
    const map = await mapChild.waitForLine((line) => {
      const m = /^BENCH_MAP (.*)$/.exec(line);
      return m ? (JSON.parse(m[1]) as Record<string, number>) : undefined;
    }, 180_000);
    await mapChild.stop();
    log(`map: ${JSON.stringify(map)}`);

    // --- 5c. memory the simulator needs to hold the tier (its own process, heap capped at 4 GiB) ---
    const simMemoryChild = new ChildService(
      'sim-memory',
      'bench/sim-memory.ts',
      {},
      ['--expose-gc', '--max-old-space-size=4096'],
      ['--mailboxes', String(tier.mailboxes), '--contacts', String(tier.contacts)],
    );
    const simMemory = await simMemoryChild.waitForLine((line) => {
      const m = /^BENCH_SIM_MEMORY (.*)$/.exec(line);
      return m ? (JSON.parse(m[1]) as SimMemoryResult) : undefined;
    }, 3_600_000);
    await simMemoryChild.stop();
    log(`simulator memory: ${JSON.stringify(simMemory)}`);

    const simEnd = sampleProc(simPid);
    const mailboxRequests = (stats: SimStats) =>
      stats.mailboxes.reduce((s, m) => s + m.requests, 0);
    const initialWritesPerSec = initialWrites / initial.outcome.wallSeconds;
    const baselineWritesPerSec = pass1.creates / pass1.wallSeconds;
    const baselinePerMailboxInitial = pass1.wallSeconds / pass1.mailboxes;
    const baselinePerMailboxResync = pass2.wallSeconds / pass2.mailboxes;

    const result: BenchResult = {
      tier: tier.name,
      startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
      totalSeconds: 0,
      machine: describeMachine(),
      settings: {
        mailboxes: tier.mailboxes,
        contacts: tier.contacts,
        changedContacts: tier.changed,
        workers: workerCount,
        workerConcurrency,
        tenantMailboxLimit,
        simulator: {
          usersPerTenant,
          seed,
          batchMode: simOptions.batchMode,
          serviceTimeMs: simOptions.serviceTimeMs,
          serviceTimeJitterMs: simOptions.serviceTimeJitterMs,
          throttle: DEFAULT_THROTTLE,
          envelopeThrottle: envThrottle,
          capacity: { serviceTimeMs: 0, lanes: capacity.lanes, batchSize: 20 },
        },
        listSelection: `directory users with onPremisesExtensionAttributes.${EXT_CONTACT} = bench-contact (the first ${tier.contacts} eligible users in seeded order)`,
        targetSelection: `filter target onPremisesExtensionAttributes.${EXT_MAILBOX} = bench-mailbox (the first ${tier.mailboxes} eligible users)`,
        baselineSample: baselineMailboxes.length,
        redis: product.env.REDIS_URL,
        database: 'sqlite (scratch file)',
      },
      initial: {
        wallSeconds: round(initial.outcome.wallSeconds),
        writes: initialWrites,
        expectedWrites,
        writesPerSec: round(initialWritesPerSec, 1),
        graphOperations: initial.stats.total,
        graphOperationsPerContact: round(initial.stats.total / expectedWrites, 3),
        batchRequests: initial.stats.ops.batch?.count ?? 0,
        httpRequestsPerContact: round(
          (initial.stats.total - initialWrites + (initial.stats.ops.batch?.count ?? 0)) /
            expectedWrites,
          3,
        ),
        throttled: initial.stats.throttled,
        throttledShare: round(initial.stats.throttled / Math.max(1, initial.stats.total), 4),
        mailboxesSucceeded: initial.outcome.run.mailboxesSucceeded,
        failedMailboxAttempts: initial.failedAttempts,
        firstMailboxSeconds: round(initial.outcome.firstMailboxSeconds),
        mailboxesVerified: counts.length,
        minContactsPerMailbox: Math.min(...counts),
        maxContactsPerMailbox: Math.max(...counts),
        complete,
      },
      noop: {
        wallSeconds: round(noop.outcome.wallSeconds),
        writes: writesOf(noop.stats),
        runItemsWritten:
          noop.outcome.run.itemsCreated +
          noop.outcome.run.itemsUpdated +
          noop.outcome.run.itemsDeleted,
        graphOperations: noop.stats.total,
        requestsPerMailbox: round(noop.stats.total / tier.mailboxes, 3),
        mailboxRequestsPerMailbox: round(mailboxRequests(noop.stats) / tier.mailboxes, 3),
        throttled: noop.stats.throttled,
        failedMailboxAttempts: noop.failedAttempts,
      },
      incremental: {
        changedContacts: changed.length,
        mailboxes: tier.mailboxes,
        writes: incrementalWrites,
        updates:
          (incremental.stats.ops['contacts.update']?.count ?? 0) -
          (incremental.stats.ops['contacts.update']?.throttled ?? 0),
        writeAmplification: round(incrementalWrites / (changed.length * tier.mailboxes), 4),
        wallSeconds: round(incremental.outcome.wallSeconds),
        graphOperations: incremental.stats.total,
        // Reads included: 1 write per change plus the per-mailbox delta reads.
        graphOperationsPerChange: round(
          incremental.stats.total / (changed.length * tier.mailboxes),
          3,
        ),
        itemReads: incremental.stats.ops['contacts.get']?.count ?? 0,
        failedMailboxAttempts: incremental.failedAttempts,
      },
      events,
      ews,
      envelope: {
        mailboxes: envMailboxes.length,
        windowBudget,
        windowSeconds,
        writes: envWrites,
        wallSeconds: round(envOutcome.wallSeconds),
        writesPerSec: round(envWritesPerSec, 1),
        theoreticalMaxWritesPerSec: round(theoreticalWritesPerSec, 1),
        utilisation: round(envWritesPerSec / theoreticalWritesPerSec, 4),
        throttled: envStats.throttled,
        throttledShare: round(envStats.throttled / Math.max(1, envStats.total), 4),
        graphOperations: envStats.total,
        complete:
          envOutcome.run.status === 'succeeded' && envWrites === envMailboxes.length * tier.contacts
            ? 1
            : 0,
      },
      resources: {
        workerPeakRssMb: round(workerPeakRssMb, 1),
        workerCpuSecondsInitial: round(initial.workerCpu),
        workerCpuSecondsPer1000Writes: round((initial.workerCpu / initialWrites) * 1000, 3),
        workerCpuSecondsNoop: round(noop.workerCpu),
        workerCpuSecondsPerNoopMailbox: round(noop.workerCpu / tier.mailboxes, 4),
        simCpuSecondsInitial: round(initial.simCpu),
        simCpuSecondsPer1000Writes: round((initial.simCpu / initialWrites) * 1000, 3),
        simPeakRssMbAfterInitial: round(simAfterInitial?.peakRssMb ?? NaN, 1),
        simPeakRssMbBeforeBaseline: round(simBeforeBaseline?.peakRssMb ?? NaN, 1),
        simPeakRssMbEnd: round(simEnd?.peakRssMb ?? NaN, 1),
        mapEntries: map.entries,
        mapWritePeakHeapMb: map.peakHeapDuringWriteMb,
        mapReadPeakHeapMb: map.peakHeapDuringReadMb,
        mapProcessPeakRssMb: map.peakRssMb,
        mapWriteMs: map.writeMs,
        mapReadMs: map.readMs,
      },
      simulator: {
        subRequestsPerSec: round(capacity.subRequestsPerSec, 0),
        subRequestsPerSecPerCore: round(capacity.subRequestsPerSecPerCore, 0),
        capacitySeconds: round(capacity.seconds),
        capacitySubRequests: capacity.subRequests,
        capacityFailed: capacity.throttledOrFailed,
        capacitySimCpuSeconds: round(capacity.simCpuSeconds),
        peakRssMbHoldingTier: round(simBeforeBaseline?.peakRssMb ?? NaN, 1),
        memoryMbForTier: simMemory.heapUsedMb,
        memoryRssMbForTier: simMemory.rssMb,
        memoryBytesPerContact: simMemory.bytesPerContact,
        httpParseErrors400: sim.clientErrors(),
        fleetSubRequestsPerSecInitial: round(initial.stats.total / initial.outcome.wallSeconds, 0),
      },
      baseline: {
        method:
          'sequential, one request per contact, delete-and-recreate each run, @microsoft/microsoft-graph-client',
        sampleMailboxes: baselineMailboxes.length,
        labelledSample: baselineMailboxes.length < tier.mailboxes ? 'extrapolated' : 'measured',
        writesPerSec: round(baselineWritesPerSec, 1),
        initialWallSecondsSample: round(pass1.wallSeconds),
        initialWallSecondsExtrapolated: round(baselinePerMailboxInitial * tier.mailboxes, 1),
        initialRequestsPerContact: round(pass1.requests / (pass1.creates || 1), 3),
        resyncWallSecondsExtrapolated: round(baselinePerMailboxResync * tier.mailboxes, 1),
        resyncRequestsPerMailbox: round(pass2.requests / pass2.mailboxes, 1),
        resyncWritesPerMailbox: round((pass2.creates + pass2.deletes) / pass2.mailboxes, 1),
        throttled: baselineStats.throttled,
      },
      ratios: {
        initialWritesPerSecVsBaseline: round(initialWritesPerSec / baselineWritesPerSec, 1),
        initialWallVsBaselineExtrapolated: round(
          (baselinePerMailboxInitial * tier.mailboxes) / initial.outcome.wallSeconds,
          1,
        ),
        noopWallVsBaselineResync: round(
          (baselinePerMailboxResync * tier.mailboxes) / noop.outcome.wallSeconds,
          1,
        ),
        noopRequestsVsBaselineResync: round(
          pass2.requests / pass2.mailboxes / (noop.stats.total / tier.mailboxes),
          1,
        ),
        envelopeWritesPerSecVsBaseline: round(envWritesPerSec / baselineWritesPerSec, 1),
        simCapacityVsFleetNeed: round(
          capacity.subRequestsPerSec / (initial.stats.total / initial.outcome.wallSeconds),
          1,
        ),
      },
    };
    result.totalSeconds = round((performance.now() - t0) / 1000, 1);
    return result;
  } finally {
    await product?.stop().catch((e: unknown) => log(`cleanup (product): ${String(e)}`));
    await sim?.stop().catch((e: unknown) => log(`cleanup (simulator): ${String(e)}`));
    rmSync(dir, { recursive: true, force: true });
  }
}
