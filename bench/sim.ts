import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
import type { SimOptionsInput } from '../apps/m365-sim/src';
import { ChildService } from './child';

export interface OpStat {
  count: number;
  throttled: number;
  errors: number;
}

export interface SimStats {
  ops: Record<string, OpStat>;
  /** Graph operations, sub-requests of $batch included, the `batch` envelope itself excluded */
  total: number;
  throttled: number;
  mailboxes: Array<{ userId: string; requests: number; throttled: number; maxConcurrency: number }>;
  /** The EWS endpoint's counters (its SOAP operations are also in `ops` as `ews.<Operation>`). */
  ews: EwsCounters;
}

/** What the simulator's EWS endpoint counts (apps/m365-sim/src/ews/stats.ts). */
export interface EwsCounters {
  /** HTTP requests at the EWS URL, handshakes included */
  requests: number;
  /** TCP (TLS) connections that carried EWS requests */
  connections: number;
  /** SOAP operations */
  operations: number;
  /** NTLM NEGOTIATE requests answered with a CHALLENGE (the handshake's extra request) */
  handshakeRequests: number;
  ntlmSignIns: number;
  serverBusy: number;
}

/** A user as `/_sim/tenants/{tid}/users` lists it. */
export interface SimUserView {
  id: string;
  mail?: string | null;
  accountEnabled?: boolean;
  mailbox: string;
  purpose?: string;
  licensed?: boolean;
  deleted?: boolean;
}

/** The Graph user record. */
export type SimUserRecord = Record<string, unknown> & { id: string };

export interface SimReady {
  baseUrl: string;
  host: string;
  caPath: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  ewsUrl: string;
  /** The simulator's EWS service account (NTLM, impersonation right). */
  ewsAccount: { userName: string; password: string };
}

export const CLIENT_ERROR = 'BENCH_SIM_CLIENT_ERROR';

/** Contact writes counted by the simulator (sub-requests of $batch included). */
export function writesOf(stats: SimStats): number {
  const ok = (op: string) => {
    const s = stats.ops[op];
    return s ? s.count - s.throttled - s.errors : 0;
  };
  return ok('contacts.create') + ok('contacts.update') + ok('contacts.delete');
}

/** EWS write operations (CreateItem/UpdateItem/DeleteItem calls, each of up to 100 items). */
export function ewsWriteCallsOf(stats: SimStats): number {
  return ['ews.CreateItem', 'ews.UpdateItem', 'ews.DeleteItem'].reduce(
    (n, op) => n + (stats.ops[op]?.count ?? 0),
    0,
  );
}

/** The simulator in a child process, and an HTTPS client for its Graph and /_sim/ APIs. */
export class BenchSim {
  readonly dispatcher: Agent;
  readonly caPem: string;

  private constructor(
    readonly service: ChildService,
    readonly ready: SimReady,
  ) {
    this.caPem = readFileSync(ready.caPath, 'utf8');
    this.dispatcher = new Agent({ connect: { ca: this.caPem }, connections: 64 });
  }

  static async start(options: SimOptionsInput, heapMb: number): Promise<BenchSim> {
    const service = new ChildService(
      'm365-sim',
      'bench/sim-child.ts',
      { BENCH_SIM_OPTIONS: JSON.stringify(options) },
      [`--max-old-space-size=${heapMb}`],
    );
    service.countPatterns = [CLIENT_ERROR];
    const ready = await service.waitForLine((line) => {
      const m = /^BENCH_SIM_READY (.*)$/.exec(line);
      return m ? (JSON.parse(m[1]) as SimReady) : undefined;
    }, 300_000);
    return new BenchSim(service, ready);
  }

  /** Requests Node's HTTP parser rejected with a bare 400 so far. */
  clientErrors(): number {
    return this.service.counts.get(CLIENT_ERROR) ?? 0;
  }

  get tenantId(): string {
    return this.ready.tenantId;
  }

  async fetchJson<T = unknown>(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const res = await fetch(this.ready.baseUrl + path, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      dispatcher: this.dispatcher,
    } as RequestInit);
    const text = await res.text();
    if (res.status >= 400)
      throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  stats(): Promise<SimStats> {
    return this.fetchJson<SimStats>('/_sim/stats');
  }

  async resetStats(): Promise<void> {
    await this.fetchJson('/_sim/stats', { method: 'DELETE' });
  }

  async configure(body: Record<string, unknown>): Promise<void> {
    await this.fetchJson('/_sim/config', { method: 'PUT', body });
  }

  users(): Promise<SimUserView[]> {
    return this.fetchJson<SimUserView[]>(`/_sim/tenants/${this.tenantId}/users`);
  }

  async user(id: string): Promise<SimUserRecord> {
    const body = await this.fetchJson<{ user: SimUserRecord }>(
      `/_sim/tenants/${this.tenantId}/users/${id}`,
    );
    return body.user;
  }

  async patchUser(id: string, fields: Record<string, unknown>): Promise<void> {
    await this.fetchJson(`/_sim/tenants/${this.tenantId}/users/${id}`, {
      method: 'PATCH',
      body: fields,
    });
  }

  async mailboxContacts(
    userId: string,
  ): Promise<
    Array<{ id: string; singleValueExtendedProperties: Array<{ id: string; value: string }> }>
  > {
    const mb = await this.fetchJson<{
      contacts: Array<{
        id: string;
        singleValueExtendedProperties: Array<{ id: string; value: string }>;
      }>;
    }>(`/_sim/tenants/${this.tenantId}/users/${userId}/mailbox`);
    return mb.contacts;
  }

  /** An app-only token, as a naive script would get it. */
  async token(): Promise<string> {
    const res = await fetch(`${this.ready.baseUrl}/${this.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.ready.clientId,
        client_secret: this.ready.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
      dispatcher: this.dispatcher,
    } as RequestInit);
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  async stop(): Promise<void> {
    await this.service.stop(10_000);
    await this.dispatcher.close();
  }
}

/** Our tag value of an item, by tag name (CsListId, CsSourceKey, ...). */
export function tagOf(
  item: { singleValueExtendedProperties: Array<{ id: string; value: string }> },
  name: string,
): string | undefined {
  return item.singleValueExtendedProperties.find((p) =>
    p.id.toLowerCase().endsWith(`name ${name.toLowerCase()}`),
  )?.value;
}
