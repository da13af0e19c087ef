import { loadConfig, type AppConfig } from '@app/config';
import { FieldCipher, KeyRing } from '@app/crypto';
import { calendarListSettingsSchema, parseListIcs } from '@app/calendar';
import { createEwsService, type EwsServiceHandle } from '@app/microsoft';
import {
  CalendarEntryRepository,
  CalendarListEntity,
  ContactListEntity,
  EwsConnectionEntity,
  EwsConnectionRepository,
  ListEntryEntity,
  openDataSource,
  RowCipher,
  runMigrations,
  SyncRunEntity,
  TargetEntity,
  TenantEntity,
} from '@app/persistence';
import { createRedisClient } from '@app/queue';
import { entriesOfEvents, SyncQueues, type ContactListSettingsInput } from '@app/sync';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { Agent } from 'undici';
import {
  startSimulator,
  type RunningSimulator,
  type SimOptionsInput,
} from '../../apps/m365-sim/src';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { graphAsApp } from './graph-as-app';
import { mailboxConcurrencyError, mailboxConcurrencyRefusals } from './mailbox-concurrency';
import { productEnvFor, REDIS_URL } from './test-env';

export interface SimContact {
  id: string;
  changeKey?: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  emailAddresses?: Array<{ address: string; name?: string }>;
  businessPhones?: string[];
  mobilePhone?: string | null;
  homePhones?: string[];
  categories?: string[];
  companyName?: string;
  department?: string;
  jobTitle?: string;
  officeLocation?: string;
  personalNotes?: string;
  folderId: string;
  folderName?: string;
  singleValueExtendedProperties: Array<{ id: string; value: string }>;
}

export interface SimCalendar {
  id: string;
  name: string;
}

/** An event as the simulator holds it (Graph's shape plus where it lives). */
export interface SimEvent {
  id: string;
  calendarId: string;
  type: 'singleInstance' | 'seriesMaster' | 'exception' | 'occurrence';
  seriesMasterId?: string | null;
  subject?: string;
  isAllDay?: boolean;
  showAs?: string;
  isReminderOn?: boolean;
  /** In UTC, as Graph answers without a Prefer: outlook.timezone header. */
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  /** The zone the event was written in (a Windows name). */
  originalStartTimeZone?: string;
  originalStart?: string;
  recurrence?: {
    pattern: Record<string, unknown>;
    range: Record<string, unknown>;
  } | null;
  attendees?: unknown[];
  categories?: string[];
  singleValueExtendedProperties: Array<{ id: string; value: string }>;
  cancelledOccurrences: string[];
}

export interface SimStats {
  ops: Record<string, { count: number; throttled: number; errors: number }>;
  total: number;
  throttled: number;
  /** 429s for the 4-concurrent-requests limit of an app and mailbox (not the window's) */
  concurrencyRefused: number;
  mailboxes: Array<{
    userId: string;
    requests: number;
    throttled: number;
    maxConcurrency: number;
    earlyRequests: number;
    concurrencyRefused: number;
  }>;
}

export interface SimUser {
  id: string;
  mailbox: string;
  purpose?: string;
  licensed?: boolean;
  mail?: string | null;
  accountEnabled?: boolean;
  user: Record<string, unknown>;
}

export interface FleetOptions {
  sim?: SimOptionsInput;
  env?: Record<string, string>;
  /** Start the worker in this process (default true). */
  worker?: boolean;
  /**
   * An EWS-only organisation (ADR 0047): the simulated tenant has Exchange Server only (every
   * mailbox on-premises, unknown to Entra ID), our tenant row has no Entra id, and its EWS
   * connection (NTLM, the simulator's CA) names the GAL and the mailbox to read it as.
   */
  ewsOnly?: boolean;
  /**
   * Let the product exceed 4 concurrent requests to one mailbox. Off: with the simulator's
   * default service time requests to one mailbox overlap, and stop() fails the file if the
   * simulator had to refuse one for the concurrency limit (issue #18).
   */
  allowMailboxConcurrency429?: boolean;
}

/** A mailbox's row of mailbox_state, as Fleet.mailboxStates reads it. */
interface MailboxStateRow {
  mailbox_id: string;
  status: string;
  last_error_code: string | null;
  last_error_message: string | null;
}

/**
 * The whole product against the simulator: a simulated tenant over HTTPS, the worker fleet
 * (BullMQ on the real Redis, under a key prefix of its own), a SQLite or PostgreSQL database.
 */
export class Fleet {
  readonly dispatcher: Agent;
  queues!: SyncQueues;
  private queueConnection!: Redis;
  dataSource!: DataSource;
  tenantId!: string;
  worker?: INestApplication;
  readonly env: Record<string, string>;
  config!: AppConfig;
  /** concurrency refusals counted before the last resetStats() */
  private concurrencyRefusedBefore = 0;
  private allowConcurrency429 = false;

  private constructor(
    readonly sim: RunningSimulator,
    readonly simTenantId: string,
    env: Record<string, string>,
  ) {
    this.dispatcher = new Agent({ connect: { ca: sim.caPem } });
    this.env = env;
  }

  static async start(options: FleetOptions = {}): Promise<Fleet> {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
    const sim = await startSimulator({
      port: 0,
      tenants: 1,
      usersPerTenant: 40,
      seed: 11,
      quiet: true,
      dataDir: join(dir, 'sim'),
      ...(options.ewsOnly ? { ewsOnlyTenants: 1 } : {}),
      ...options.sim,
    });
    const simTenantId = sim.info.tenants[0].id;
    const env: Record<string, string> = {
      ...productEnvFor(sim, dir),
      SYNC_WORKER_CONCURRENCY: '16',
      ...options.env,
    };
    const fleet = new Fleet(sim, simTenantId, env);
    fleet.allowConcurrency429 = options.allowMailboxConcurrency429 ?? false;
    fleet.config = loadConfig(env).config;
    fleet.dataSource = await openDataSource(fleet.config.database);
    await runMigrations(fleet.dataSource, fleet.config.database, { lockTimeoutMs: 10_000 });
    fleet.queueConnection = createRedisClient(REDIS_URL, {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    fleet.queues = new SyncQueues(fleet.queueConnection, fleet.config.redis.keyPrefix);
    await fleet.simFetch(`/_sim/tenants/${simTenantId}/consent`, { method: 'POST', body: {} });
    const tenant = await fleet.dataSource.getRepository(TenantEntity).save(
      Object.assign(new TenantEntity(), {
        azureTenantId: options.ewsOnly ? null : simTenantId,
        status: 'active',
        displayName: 'Simulated tenant',
      }),
    );
    fleet.tenantId = tenant.id;
    if (options.ewsOnly) await fleet.setEwsConnection();
    if (options.worker !== false) await fleet.startWorker();
    return fleet;
  }

  /**
   * The tenant's EWS connection to the simulator's EWS endpoint, as PUT /api/ews stores it: the
   * simulator's first EWS account, its CA, impersonating the tenant's admin, its GAL; `change`
   * says otherwise (null for none).
   */
  async setEwsConnection(
    change: Partial<
      Pick<
        EwsConnectionEntity,
        'serverUrl' | 'username' | 'caCertificate' | 'impersonationAddress' | 'addressListId'
      >
    > & {
      password?: string;
    } = {},
  ): Promise<void> {
    const account = this.sim.info.ewsAccounts[0];
    const simTenant = this.sim.info.tenants[0];
    const repo = new EwsConnectionRepository(
      this.dataSource.manager,
      new RowCipher(new FieldCipher(new KeyRing(this.config.encryption))),
    );
    const row =
      (await repo.findForTenant(this.tenantId)) ??
      Object.assign(new EwsConnectionEntity(), { tenantId: this.tenantId });
    const or = <T>(value: T | undefined, otherwise: T): T =>
      value === undefined ? otherwise : value;
    Object.assign(row, {
      serverUrl: change.serverUrl ?? this.sim.info.ewsUrl,
      username: change.username ?? account.userName,
      authMode: 'ntlm',
      caCertificate: or(change.caCertificate, this.sim.caPem),
      impersonationAddress: or(change.impersonationAddress, simTenant.adminUpn.toLowerCase()),
      addressListId: or(change.addressListId, simTenant.galId),
    });
    await repo.save(row, change.password ?? account.password);
  }

  /**
   * An EWS client of the simulator's first EWS account (NTLM) impersonating `mailbox`, as the
   * mailbox's own user would write (e.g. a contact of their own); close it after use.
   */
  ewsAs(mailbox: string): EwsServiceHandle {
    const account = this.sim.info.ewsAccounts[0];
    return createEwsService(
      {
        serverUrl: this.sim.info.ewsUrl,
        username: account.userName,
        password: account.password,
        authMode: 'ntlm',
        caPem: this.sim.caPem,
      },
      mailbox,
    );
  }

  async startWorker(): Promise<void> {
    this.worker = await NestFactory.create(WorkerModule.forRoot(this.config), { logger: false });
    await this.worker.init();
  }

  async stopWorker(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  async stop(): Promise<void> {
    await this.stopWorker();
    const refused = await this.concurrencyRefusals();
    await this.queues.planRun.obliterate({ force: true }).catch(() => undefined);
    await this.queues.syncMailbox.obliterate({ force: true }).catch(() => undefined);
    await this.queues.finishRun.obliterate({ force: true }).catch(() => undefined);
    await this.queues.close();
    this.queueConnection.disconnect();
    await this.dataSource.destroy();
    await this.sim.close();
    await this.dispatcher.close();
    if (refused > 0 && !this.allowConcurrency429) throw mailboxConcurrencyError(refused);
  }

  /** Requests the simulator refused for a mailbox's concurrency limit since start. */
  async concurrencyRefusals(): Promise<number> {
    return (
      this.concurrencyRefusedBefore +
      (await mailboxConcurrencyRefusals(this.sim.baseUrl, this.dispatcher))
    );
  }

  async simFetch<T = unknown>(
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const res = await fetch(this.sim.baseUrl + path, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      dispatcher: this.dispatcher,
    } as RequestInit);
    const text = await res.text();
    if (res.status >= 400)
      throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async users(): Promise<SimUser[]> {
    const body = await this.simFetch<{ users?: SimUser[] } | SimUser[]>(
      `/_sim/tenants/${this.simTenantId}/users`,
    );
    return Array.isArray(body) ? body : (body.users ?? []);
  }

  /** The list's mailbox states by mailbox id: each one's status and last error. */
  async mailboxStates(listId: string): Promise<Map<string, MailboxStateRow>> {
    const rows = (await this.dataSource.query(
      `SELECT mailbox_id, status, last_error_code, last_error_message FROM mailbox_state WHERE list_id = '${listId}'`,
    )) as MailboxStateRow[];
    return new Map(rows.map((s) => [s.mailbox_id, s]));
  }

  async contacts(userId: string): Promise<SimContact[]> {
    const mailbox = await this.simFetch<{ contacts: SimContact[] }>(
      `/_sim/tenants/${this.simTenantId}/users/${userId}/mailbox`,
    );
    return mailbox.contacts;
  }

  async stats(): Promise<SimStats> {
    return this.simFetch<SimStats>('/_sim/stats');
  }

  async resetStats(): Promise<void> {
    this.concurrencyRefusedBefore = await this.concurrencyRefusals();
    await this.simFetch('/_sim/stats', { method: 'DELETE' });
  }

  async createList(
    name: string,
    settings: ContactListSettingsInput,
    targets: Array<Pick<TargetEntity, 'kind' | 'mode' | 'value'>>,
    defaultRegion = 'US',
  ): Promise<string> {
    const list = Object.assign(new ContactListEntity(), {
      tenantId: this.tenantId,
      name,
      nameKey: name.trim().toLowerCase(),
      settings: JSON.stringify(settings),
      defaultRegion,
      enabled: true,
    });
    await this.dataSource.getRepository(ContactListEntity).save(list);
    await this.setTargets(list.id, targets);
    return list.id;
  }

  /** A calendar list as the API stores it (settings validated by the product's schema). */
  async createCalendarList(
    name: string,
    settings: unknown,
    targets: Array<Pick<TargetEntity, 'kind' | 'mode' | 'value'>>,
  ): Promise<string> {
    const list = Object.assign(new CalendarListEntity(), {
      tenantId: this.tenantId,
      name,
      nameKey: name.trim().toLowerCase(),
      settings: JSON.stringify(calendarListSettingsSchema.parse(settings)),
      timeZone: 'UTC',
      enabled: true,
    });
    await this.dataSource.getRepository(CalendarListEntity).save(list);
    await this.setTargets(list.id, targets, 'calendar');
    return list.id;
  }

  /** An uploaded .ics file of a list's source, parsed and stored as the upload route does. */
  async storeIcs(listId: string, sourceId: string, text: string): Promise<number> {
    const list = await this.dataSource
      .getRepository(CalendarListEntity)
      .findOneByOrFail({ id: listId });
    const settings = calendarListSettingsSchema.parse(JSON.parse(list.settings));
    const { events } = parseListIcs(text, settings);
    const cipher = new RowCipher(new FieldCipher(new KeyRing(this.config.encryption)));
    await new CalendarEntryRepository(this.dataSource.manager, cipher).replaceSource(
      this.tenantId,
      listId,
      sourceId,
      entriesOfEvents(sourceId, events),
    );
    return events.length;
  }

  /** A mailbox's calendars and events as the simulator holds them. */
  async calendar(userId: string): Promise<{ calendars: SimCalendar[]; events: SimEvent[] }> {
    return this.simFetch(`/_sim/tenants/${this.simTenantId}/users/${userId}/mailbox`);
  }

  async setTargets(
    listId: string,
    targets: Array<Pick<TargetEntity, 'kind' | 'mode' | 'value'>>,
    listKind: 'contacts' | 'calendar' = 'contacts',
  ): Promise<void> {
    const repo = this.dataSource.getRepository(TargetEntity);
    await repo.delete({ listId });
    for (const t of targets)
      await repo.save(
        Object.assign(new TargetEntity(), {
          tenantId: this.tenantId,
          listKind,
          listId,
          ...t,
        }),
      );
  }

  /** Manual entries of a list, stored as the product stores them: encrypted, bound to their row. */
  async addManualEntries(
    listId: string,
    rows: ReadonlyArray<Record<string, string | undefined>>,
  ): Promise<void> {
    const cipher = new RowCipher(new FieldCipher(new KeyRing(this.config.encryption)));
    for (const [i, row] of rows.entries()) {
      const entry = Object.assign(new ListEntryEntity(), {
        tenantId: this.tenantId,
        listId,
        sourceKey: `manual:${row.key ?? i}`,
      });
      const { key: _key, ...fields } = row;
      cipher.seal(ListEntryEntity, entry, 'dataEncrypted', JSON.stringify(fields));
      await this.dataSource.getRepository(ListEntryEntity).save(entry);
    }
  }

  /**
   * A Graph call as our app (e.g. to create a user's own contact, as the user's Outlook would);
   * `headers` e.g. `ConsistencyLevel: eventual` for an advanced directory query.
   */
  graph<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }> {
    return graphAsApp<T>(this.sim, this.dispatcher, this.simTenantId, method, path, body, headers);
  }

  async updateSettings(listId: string, settings: ContactListSettingsInput): Promise<void> {
    await this.dataSource
      .getRepository(ContactListEntity)
      .update({ id: listId }, { settings: JSON.stringify(settings) });
  }

  /** Triggers a run and waits until it has finished. */
  async runNow(
    listId: string,
    mode: 'sync' | 'dry_run' | 'cleanup' = 'sync',
    timeoutMs = 120_000,
    listKind: 'contacts' | 'calendar' = 'contacts',
  ): Promise<SyncRunEntity> {
    const before = new Date(Date.now() - 1);
    await this.queues.triggerRun({
      tenantId: this.tenantId,
      listId,
      ...(listKind === 'calendar' ? { listKind } : {}),
      trigger: 'manual',
      mode,
    });
    return this.waitForRun(listId, before, timeoutMs);
  }

  /** Waits until the list's run has counted at least `fraction` of its mailboxes as done. */
  async waitForProgress(listId: string, fraction: number): Promise<void> {
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT mailboxes_total AS total, mailboxes_succeeded AS done FROM sync_run WHERE list_id = '${listId}'`,
      )) as Array<{ total: number; done: number }>;
      if (
        rows[0] &&
        Number(rows[0].total) > 0 &&
        Number(rows[0].done) >= Number(rows[0].total) * fraction
      )
        return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async waitForRun(listId: string, since: Date, timeoutMs = 120_000): Promise<SyncRunEntity> {
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = (
        await runs.find({ where: { listId }, order: { startedAt: 'DESC' }, take: 1 })
      )[0];
      if (run && run.startedAt >= since && run.finishedAt) return run;
      if (Date.now() > deadline)
        throw new Error(
          `run of ${listId} did not finish in ${timeoutMs} ms: ${JSON.stringify(run)}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Our tag value of an item, by tag name (CsListId, CsSourceKey, ...). */
export function tag(
  item: Pick<SimContact, 'singleValueExtendedProperties'>,
  name: string,
): string | undefined {
  return item.singleValueExtendedProperties.find((p) =>
    p.id.toLowerCase().endsWith(`name ${name.toLowerCase()}`),
  )?.value;
}

export const newId = (): string => randomUUID();
