import { FieldCipher, KeyRing } from '@app/crypto';
import { createEwsService, type EwsConnection } from '@app/microsoft';
import { EwsConnectionEntity, EwsConnectionRepository, RowCipher } from '@app/persistence';
import { XhrApi } from '@ewsjs/xhr';
import {
  BasePropertySet,
  ConnectingIdType,
  ExchangeService,
  ExchangeVersion,
  Folder,
  FolderId,
  ImpersonatedUserId,
  PropertySet,
  Uri,
  WebCredentials,
  WellKnownFolderName,
} from 'ews-javascript-api';
import type { PhaseResult } from './events-phase';
import type { BenchProduct } from './product';
import { ewsWriteCallsOf, type BenchSim, type EwsCounters } from './sim';

/** One run of the EWS phase, with what the workers spent (see runBench's `phase`). */
export interface EwsPhaseResult extends PhaseResult {
  workerCpu: number;
  /** max VmHWM of the worker processes during the run (reset before it), MiB */
  workerPeakRssMb: number;
}

/** The NTLM cost of one SOAP operation through one sign-in provider. */
export interface NtlmCost {
  operations: number;
  httpRequestsPerOperation: number;
  handshakeRequestsPerOperation: number;
  connectionsPerOperation: number;
  msPerOperation: number;
}

/** The tenant's EWS connection to the simulator, as the admin API stores it: NTLM, the simulator's CA. */
export async function saveBenchEwsConnection(product: BenchProduct, sim: BenchSim): Promise<void> {
  const repo = new EwsConnectionRepository(
    product.dataSource.manager,
    new RowCipher(new FieldCipher(new KeyRing(product.config.encryption))),
  );
  await repo.save(
    Object.assign(new EwsConnectionEntity(), {
      tenantId: product.tenantId,
      serverUrl: sim.ready.ewsUrl,
      username: sim.ready.ewsAccount.userName,
      authMode: 'ntlm',
      caCertificate: sim.caPem,
      impersonationAddress: null,
    }),
    sim.ready.ewsAccount.password,
  );
}

/**
 * What NTLM costs per SOAP operation: `operations` GetFolder calls in a row on one mailbox,
 * through the product's provider (negotiate and request on one kept-alive socket) and through
 * @ewsjs/xhr's own NtlmProvider (a new agent per call, so a new TLS connection and a handshake
 * each time, closed after the call), counted by the simulator. The library's provider builds
 * its agent without the connection's CA (ADR 0044), so against the simulator's self-signed
 * certificate it runs with certificate checks off: for this measurement only.
 */
export async function measureNtlmCost(
  sim: BenchSim,
  address: string,
  operations: number,
): Promise<{ ours: NtlmCost; library: NtlmCost }> {
  const connection: EwsConnection = {
    serverUrl: sim.ready.ewsUrl,
    username: sim.ready.ewsAccount.userName,
    password: sim.ready.ewsAccount.password,
    authMode: 'ntlm',
    caPem: sim.caPem,
  };
  const ours = () => createEwsService(connection, address);
  const library = () => {
    const service = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
    service.XHRApi = new XhrApi(true).useNtlmAuthentication(
      connection.username,
      connection.password,
    );
    // As the library's documentation has it: its provider replaces the Basic header these add.
    service.Credentials = new WebCredentials(connection.username, connection.password);
    service.Url = new Uri(connection.serverUrl);
    service.ImpersonatedUserId = new ImpersonatedUserId(ConnectingIdType.SmtpAddress, address);
    return { service, close: () => undefined };
  };
  const bind = (service: ExchangeService) =>
    Folder.Bind(
      service,
      new FolderId(WellKnownFolderName.Contacts),
      new PropertySet(BasePropertySet.IdOnly),
    );
  const run = async (
    make: () => { service: ExchangeService; close(): void },
  ): Promise<NtlmCost> => {
    // Warm-up on an instance of its own (code paths loaded); the measured instance starts
    // cold, so its first sign-in is counted.
    const warm = make();
    await bind(warm.service);
    warm.close();
    const measured = make();
    await sim.resetStats();
    const t0 = performance.now();
    for (let i = 0; i < operations; i++) await bind(measured.service);
    const ms = performance.now() - t0;
    measured.close();
    const ews: EwsCounters = (await sim.stats()).ews;
    const per = (n: number) => Math.round((n / operations) * 1000) / 1000;
    return {
      operations: ews.operations,
      httpRequestsPerOperation: per(ews.requests),
      handshakeRequestsPerOperation: per(ews.handshakeRequests),
      connectionsPerOperation: per(ews.connections),
      msPerOperation: Math.round((ms / operations) * 100) / 100,
    };
  };
  return { ours: await run(ours), library: await run(library) };
}

/**
 * The EWS figures, beside the Graph ones of the same run: SOAP operations per mailbox
 * (handshake requests beside them), write amplification, and wall time, worker CPU and memory
 * as ratios to the Graph contact phases (ratios within one run, not absolute timings).
 */
export function ewsFigures(input: {
  mailboxes: number;
  contacts: number;
  initial: EwsPhaseResult;
  noop: EwsPhaseResult;
  incremental: EwsPhaseResult;
  changed: number;
  complete: boolean;
  graph: {
    mailboxes: number;
    initial: EwsPhaseResult;
    noop: EwsPhaseResult;
    initialWrites: number;
  };
  ntlm: { ours: NtlmCost; library: NtlmCost };
}): Record<string, number | boolean> {
  const { mailboxes, contacts, initial, noop, incremental, changed, graph, ntlm } = input;
  const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
  const written = (p: PhaseResult) =>
    p.outcome.run.itemsCreated + p.outcome.run.itemsUpdated + p.outcome.run.itemsDeleted;
  const soap = (p: PhaseResult) => p.stats.ews.operations;
  const initialWrites = written(initial);
  return {
    mailboxes,
    contacts,
    initialComplete: input.complete,
    initialWrites,
    initialWallSeconds: round(initial.outcome.wallSeconds),
    initialWritesPerSec: round(initialWrites / initial.outcome.wallSeconds, 1),
    initialSoapOperationsPerMailbox: round(soap(initial) / mailboxes, 3),
    initialSoapOperationsPerContact: round(soap(initial) / Math.max(1, initialWrites), 4),
    initialWriteCallsPerMailbox: round(ewsWriteCallsOf(initial.stats) / mailboxes, 3),
    initialHandshakeRequestsPerMailbox: round(initial.stats.ews.handshakeRequests / mailboxes, 3),
    initialServerBusy: initial.stats.ews.serverBusy,
    noopWrites: written(noop) + ewsWriteCallsOf(noop.stats),
    noopSoapOperationsPerMailbox: round(soap(noop) / mailboxes, 3),
    noopHandshakeRequestsPerMailbox: round(noop.stats.ews.handshakeRequests / mailboxes, 3),
    noopSyncFolderItemsPerMailbox: round(
      (noop.stats.ops['ews.SyncFolderItems']?.count ?? 0) / mailboxes,
      3,
    ),
    noopWallSeconds: round(noop.outcome.wallSeconds),
    incrementalChangedContacts: changed,
    incrementalWrites: written(incremental),
    incrementalWriteAmplification: round(written(incremental) / (changed * mailboxes), 4),
    incrementalSoapOperationsPerMailbox: round(soap(incremental) / mailboxes, 3),
    incrementalHandshakeRequestsPerMailbox: round(
      incremental.stats.ews.handshakeRequests / mailboxes,
      3,
    ),
    // Graph requests of the EWS runs: the probe that finds a mailbox on-premises, per mailbox.
    graphRequestsPerMailboxInitial: round(initial.stats.total / mailboxes, 3),
    failedMailboxAttempts:
      initial.failedAttempts + noop.failedAttempts + incremental.failedAttempts,
    // Ratios to the Graph contact phases of this run (> 1: EWS needs more).
    initialWallPerWriteVsGraph: round(
      initial.outcome.wallSeconds /
        initialWrites /
        (graph.initial.outcome.wallSeconds / graph.initialWrites),
      2,
    ),
    initialWorkerCpuPerWriteVsGraph: round(
      initial.workerCpu / initialWrites / (graph.initial.workerCpu / graph.initialWrites),
      2,
    ),
    noopWallPerMailboxVsGraph: round(
      noop.outcome.wallSeconds / mailboxes / (graph.noop.outcome.wallSeconds / graph.mailboxes),
      2,
    ),
    noopWorkerCpuPerMailboxVsGraph: round(
      noop.workerCpu / mailboxes / (graph.noop.workerCpu / graph.mailboxes),
      2,
    ),
    initialWorkerPeakRssVsGraph: round(initial.workerPeakRssMb / graph.initial.workerPeakRssMb, 2),
    initialWorkerPeakRssMb: round(initial.workerPeakRssMb, 1),
    // NTLM per SOAP operation: ours (one kept-alive socket) vs @ewsjs/xhr's NtlmProvider.
    ntlmOursHttpRequestsPerOperation: ntlm.ours.httpRequestsPerOperation,
    ntlmOursConnectionsPerOperation: ntlm.ours.connectionsPerOperation,
    ntlmOursMsPerOperation: ntlm.ours.msPerOperation,
    ntlmLibraryHttpRequestsPerOperation: ntlm.library.httpRequestsPerOperation,
    ntlmLibraryConnectionsPerOperation: ntlm.library.connectionsPerOperation,
    ntlmLibraryMsPerOperation: ntlm.library.msPerOperation,
    ntlmLibraryVsOursTime: round(ntlm.library.msPerOperation / ntlm.ours.msPerOperation, 2),
  };
}
