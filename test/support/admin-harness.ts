import { loadConfig, type AppConfig } from '@app/config';
import type { Clock } from '@app/logstore';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { Agent } from 'undici';
import { createAdminApp } from '../../apps/admin-api/src/admin-app';
import {
  startSimulator,
  type RunningSimulator,
  type SimOptionsInput,
} from '../../apps/m365-sim/src';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { mailboxConcurrencyError, mailboxConcurrencyRefusals } from './mailbox-concurrency';
import { startService, type ServiceProcess } from './service-process';
import { productEnvFor } from './test-env';

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A browser-like client: a cookie jar, manual redirects, the simulator's CA. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf?: string;

  constructor(
    private readonly admin: AdminHarness,
    readonly bearer?: string,
  ) {}

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request<T = unknown>(
    method: string,
    url: string,
    init: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<HttpAnswer<T>> {
    const full = url.startsWith('http') ? url : this.admin.baseUrl + url;
    const headers: Record<string, string> = { ...init.headers };
    if (full.startsWith(this.admin.baseUrl) && this.cookies.size)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (init.csrf !== false && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    let body: string | undefined;
    if (typeof init.body === 'string') body = init.body;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(full, {
      method,
      headers,
      body,
      redirect: 'manual',
      dispatcher: this.admin.dispatcher,
    } as RequestInit);
    if (full.startsWith(this.admin.baseUrl)) this.store(res);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* html or text */
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /** Submits the simulator's sign-in or consent page as a person would: pick the account, press a button. */
  async submitSimPage(pageUrl: string, login: string, action: string): Promise<string> {
    const page = await this.request('GET', pageUrl);
    if (page.status !== 200) throw new Error(`sim page ${page.status}: ${page.text.slice(0, 300)}`);
    const form = new URLSearchParams();
    for (const m of page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      form.set(unescapeHtml(m[1]), unescapeHtml(m[2]));
    form.set('login', login);
    form.set('action', action);
    const res = await fetch(pageUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
      dispatcher: this.admin.dispatcher,
    } as RequestInit);
    const location = res.headers.get('location');
    if (res.status !== 302 || !location)
      throw new Error(`sim answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return location;
  }

  /** Sign-in with Microsoft end to end; returns the callback's answer. */
  async signIn(upn: string): Promise<HttpAnswer> {
    const start = await this.request(
      'GET',
      `/api/auth/login?login_hint=${encodeURIComponent(upn)}`,
    );
    if (start.status !== 302) throw new Error(`login answered ${start.status} ${start.text}`);
    const back = await this.submitSimPage(start.headers.get('location')!, upn, 'signin');
    const done = await this.request('GET', back);
    if (done.status === 302) {
      const me = await this.request<{ csrfToken: string }>('GET', '/api/auth/me');
      this.csrf = me.body.csrfToken;
    }
    return done;
  }

  /** Admin consent through the simulator's page; `accept` or `cancel`. */
  async consent(adminUpn: string, action: 'accept' | 'cancel' = 'accept'): Promise<HttpAnswer> {
    const start = await this.request('GET', '/api/onboarding/consent');
    if (start.status !== 302) throw new Error(`consent answered ${start.status} ${start.text}`);
    const back = await this.submitSimPage(start.headers.get('location')!, adminUpn, action);
    return this.request('GET', back);
  }
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface SimTenantUsers {
  id: string;
  adminUpn: string;
  viewerUpn: string;
  plainUpn: string;
}

export interface AdminHarnessOptions {
  sim?: SimOptionsInput;
  /** Extra environment; a function sees the running simulator (its CA file, its URL). */
  env?: Record<string, string> | ((sim: RunningSimulator) => Record<string, string>);
  worker?: boolean;
  /** Where the in-process API's pino lines go (default: no logs). */
  logs?: NodeJS.WritableStream;
  /** The in-process API's clock (token expiry), e.g. a ManualClock a test moves. */
  clock?: Clock;
}

/** The simulator over HTTPS, an in-process admin API (and optionally a worker), SQLite, real Redis. */
export class AdminHarness {
  readonly dispatcher: Agent;
  baseUrl = '';
  app!: INestApplication;
  worker?: INestApplication;
  config!: AppConfig;
  /** The environment the API was configured from, e.g. for a worker process of its own. */
  env: Record<string, string> = {};
  dataSource!: DataSource;

  private constructor(readonly sim: RunningSimulator) {
    this.dispatcher = new Agent({ connect: { ca: sim.caPem } });
  }

  static async start(options: AdminHarnessOptions = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'admin-'));
    const sim = await startSimulator({
      port: 0,
      tenants: 2,
      usersPerTenant: 20,
      seed: 7,
      quiet: true,
      dataDir: join(dir, 'sim'),
      ...options.sim,
    });
    const h = new AdminHarness(sim);
    const env: Record<string, string> = {
      ...productEnvFor(sim, dir),
      // Every test client signs in from 127.0.0.1, one IP; the per-IP sign-in limit (30 a
      // minute) is meant for many people's IPs. The per-caller limit keeps its default.
      API_AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ...(typeof options.env === 'function' ? options.env(sim) : options.env),
    };
    h.env = env;
    h.config = loadConfig(env).config;
    if (options.logs) {
      // Buffer the start-up lines until the capture is in place, then send all through pino.
      h.app = await createAdminApp(h.config, {
        bufferLogs: true,
        autoFlushLogs: false,
        clock: options.clock,
      });
      await h.app.init();
      const { Logger, PinoLogger } = await import('nestjs-pino');
      const { symbols } = await import('pino');
      // Every pino line of the in-process API (request logs, Nest logs) goes to the test's stream.
      // Request lines come from pino-http's root logger, Nest's own lines from nestjs-pino's
      // out-of-context logger: both write to the test's stream from here on.
      const nestLogger = h.app.get(Logger);
      const outOfContext = (nestLogger as unknown as { logger: { logger: object } }).logger.logger;
      for (const pinoLogger of [PinoLogger.root, outOfContext])
        (pinoLogger as unknown as Record<symbol, unknown>)[symbols.streamSym] = options.logs;
      h.app.useLogger(nestLogger);
      h.app.flushLogs();
    } else h.app = await createAdminApp(h.config, { logger: false, clock: options.clock });
    await h.app.listen(0, '127.0.0.1');
    const address = h.app.getHttpServer().address() as { port: number };
    h.baseUrl = `http://127.0.0.1:${address.port}`;
    h.dataSource = h.app.get(await import('typeorm').then((m) => m.DataSource));
    if (options.worker) {
      h.worker = await NestFactory.create(WorkerModule.forRoot(h.config), { logger: false });
      await h.worker.init();
    }
    return h;
  }

  /**
   * A real worker process on this harness's database, Redis namespace and simulator (a crash is
   * a SIGKILL of it); resolves once it listens. Migrations were run by the API already.
   */
  async startWorkerProcess(extra: Record<string, string> = {}): Promise<ServiceProcess> {
    const worker = startService('apps/worker/src/main.ts', {
      ...this.env,
      LOG_LEVEL: 'info',
      MIGRATIONS_RUN_ON_START: 'false',
      ...extra,
    });
    await worker.listening(60_000);
    return worker;
  }

  browser(bearer?: string): Browser {
    return new Browser(this, bearer);
  }

  tenant(index: number): SimTenantUsers {
    const t = this.sim.state.tenants[index];
    const clientId = this.sim.info.apps[0].clientId;
    const users = [...t.users.values()];
    const admin = t.users.get(t.adminUserId)!;
    const viewer = users.find((u) => u.appRoles[clientId]?.includes('Sync.Viewer'))!;
    // A user the sign-in page lists (/organizations shows the first users of each tenant).
    const plain = users.find(
      (u) =>
        !u.globalAdmin &&
        !u.deleted &&
        u.purpose === 'user' &&
        !u.appRoles[clientId]?.length &&
        u.user.accountEnabled,
    )!;
    return {
      id: t.id,
      adminUpn: admin.user.userPrincipalName!,
      viewerUpn: viewer.user.userPrincipalName!,
      plainUpn: plain.user.userPrincipalName!,
    };
  }

  /** Row counts of the tables the API writes, to assert that a refused request changed nothing. */
  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of [
      'tenant',
      'admin_user',
      'contact_list',
      'target',
      'schedule',
      'api_token',
      'operator_grant',
      'audit_event',
      'list_entry',
      'sync_run',
      'import_job',
      'calendar_list',
      'calendar_entry',
    ])
      out[table] = await this.count(table);
    return out;
  }

  /** The number of rows in one table. */
  async count(table: string): Promise<number> {
    const rows = (await this.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)) as Array<{
      n: number;
    }>;
    return Number(rows[0].n);
  }

  /**
   * Stops the API (and the in-process worker) and starts them again on the same database, log
   * store, Redis namespace and simulator, with `extra` environment on top (e.g. other keys).
   * Sessions signed with the old settings may no longer be valid: sign in again.
   */
  async restart(extra: Record<string, string>): Promise<void> {
    const hadWorker = !!this.worker;
    await this.worker?.close();
    await this.app.close();
    this.env = { ...this.env, ...extra };
    this.config = loadConfig(this.env).config;
    this.app = await createAdminApp(this.config, { logger: false });
    await this.app.listen(0, '127.0.0.1');
    const address = this.app.getHttpServer().address() as { port: number };
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    this.dataSource = this.app.get(await import('typeorm').then((m) => m.DataSource));
    if (hadWorker) {
      this.worker = await NestFactory.create(WorkerModule.forRoot(this.config), { logger: false });
      await this.worker.init();
    }
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.app?.close();
    const refused = await mailboxConcurrencyRefusals(this.sim.baseUrl, this.dispatcher);
    await this.sim.close();
    await this.dispatcher.close();
    if (refused > 0) throw mailboxConcurrencyError(refused);
  }
}
