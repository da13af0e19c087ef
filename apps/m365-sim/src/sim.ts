/** The simulator's state: tenants, apps, keys, throttling, faults and statistics. */
import type { SimOptions, AppRegistration } from './sim-options';
import type { Tenant, Mailbox, SimUser } from './store/model';
import { seedTenants, emptyMailbox } from './store/seed';
import { Throttler } from './core/throttle';
import { Faults } from './core/faults';
import { newSigningKey, type SigningKey } from './identity/jwt';
import { Prng } from './core/prng';
import { EwsStats } from './ews/stats';

export interface OpStat {
  count: number;
  throttled: number;
  errors: number;
}

export interface AuthContext {
  tenant: Tenant;
  clientId: string;
  roles: Set<string>;
  scopes: Set<string>;
  /** delegated tokens: the signed-in user */
  userId?: string;
  appOnly: boolean;
}

export class SimState {
  tenants: Tenant[] = [];
  readonly tenantsById = new Map<string, Tenant>();
  readonly key: SigningKey = newSigningKey();
  readonly throttler: Throttler;
  readonly faults = new Faults();
  readonly ops = new Map<string, OpStat>();
  /** the EWS endpoint's counters (handshakes apart from SOAP operations, back-offs per mailbox) */
  readonly ewsStats = new EwsStats();
  baseUrl = '';
  /** client connections Node's HTTP server failed itself (`clientError`: parse errors answered
   * with a bare 400, resets), by error code (`HPE_PAUSED`, `ECONNRESET`, ...) */
  httpClientErrors: Record<string, number> = {};
  /** issued access tokens (by jti), so tokens can be inspected; not needed for validation */
  issuedTokens = 0;
  batchMode: 'outlook4' | 'strict';
  /** jitter of the service time, from the seed (a different stream than the seeding's) */
  private jitter: Prng;

  constructor(public opts: SimOptions) {
    this.jitter = new Prng(opts.seed ^ 0x5e1a7e);
    this.throttler = new Throttler({ ...opts.throttle });
    this.batchMode = opts.batchMode;
    this.seed();
  }

  seed(): void {
    this.tenants = seedTenants({
      seed: this.opts.seed,
      tenants: this.opts.tenants,
      usersPerTenant: this.opts.usersPerTenant,
      onPremisesUsers: this.opts.onPremisesUsersPerTenant,
      ewsOnlyTenants: this.opts.ewsOnlyTenants,
      appRoleClientIds: this.opts.apps.map((a) => ({
        clientId: a.clientId,
        appRoles: a.appRoles ?? [],
      })),
    });
    this.tenantsById.clear();
    for (const t of this.tenants) this.tenantsById.set(t.id, t);
    if (this.opts.preConsent) {
      for (const t of this.tenants) {
        for (const app of this.opts.apps) this.grantConsent(t, app, t.adminUserId);
      }
    }
  }

  reset(): void {
    this.seed();
    this.throttler.reset();
    this.throttler.concurrencyRefused = 0;
    this.faults.clear();
    this.ops.clear();
    this.ewsStats.resetCounters();
    this.ewsStats.mailboxes.clear();
    this.batchMode = this.opts.batchMode;
    this.jitter = new Prng(this.opts.seed ^ 0x5e1a7e);
  }

  app(clientId: string): AppRegistration | undefined {
    return this.opts.apps.find((a) => a.clientId.toLowerCase() === String(clientId).toLowerCase());
  }

  /** Resolves a tenant by id or verified domain. */
  tenant(idOrDomain: string): Tenant | undefined {
    const k = idOrDomain.toLowerCase();
    return this.tenantsById.get(k) ?? this.tenants.find((t) => t.domain === k);
  }

  /** A tenant Entra ID knows: an Exchange-only organisation (ewsOnly) has none. */
  entraTenant(idOrDomain: string): Tenant | undefined {
    const t = this.tenant(idOrDomain);
    return t && !t.ewsOnly ? t : undefined;
  }

  grantConsent(t: Tenant, app: AppRegistration, byUserId?: string): void {
    t.servicePrincipals.set(app.clientId, {
      clientId: app.clientId,
      roles: new Set(app.requiredRoles),
      createdAt: new Date().toISOString(),
      consentedBy: byUserId,
    });
  }

  findUser(t: Tenant, idOrUpn: string): SimUser | undefined {
    const k = idOrUpn.toLowerCase();
    const u = t.users.get(k) ?? t.usersByUpn.get(k);
    return u && !u.deleted ? u : undefined;
  }

  /** The mailbox store of a user (created lazily). */
  mailbox(t: Tenant, userId: string): Mailbox {
    let mb = t.mailboxes.get(userId);
    if (!mb) t.mailboxes.set(userId, (mb = emptyMailbox(userId, t.contactPool)));
    return mb;
  }

  stat(op: string): OpStat {
    let s = this.ops.get(op);
    if (!s) this.ops.set(op, (s = { count: 0, throttled: 0, errors: 0 }));
    return s;
  }

  /** The service time of one operation: its configured time plus seeded jitter (0 stays 0). */
  serviceTime(op: string): number {
    const base =
      this.opts.serviceTimeMs[op] ??
      this.opts.serviceTimeMs[op.split('.')[0] + '.*'] ??
      this.opts.serviceTimeMs['*'] ??
      0;
    if (base <= 0) return 0;
    const j = this.opts.serviceTimeJitterMs;
    return j > 0 ? base + Math.round(this.jitter.next() * j) : base;
  }
}
