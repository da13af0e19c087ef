import {
  mailboxFailureOf,
  type ChangeSet,
  type ContainerSpec,
  type ItemKind,
  type ItemPhotos,
  type ItemWrite,
  type ItemWriteResult,
  type MailboxItemStore,
  type MailboxPurpose,
  type MailboxRef,
  type MailboxSession,
  type StoredItem,
} from '@app/domain';
import { MicrosoftError } from '../microsoft-error';
import type { EwsConnectionSource } from './ews-connection';
import type { MailboxRoutes, MailboxTransport } from './mailbox-routes';

/** EWS ids, container ids and tokens carry this prefix, so an id of the other transport is told apart. */
const EWS = 'ews:';

/**
 * Items of one kind (contacts, calendar items) routed per mailbox: Graph for cloud mailboxes; a mailbox Graph answers
 * MAILBOX_ON_PREMISES for goes through the tenant's EWS connection when there is one (and says
 * "on-premises, no EWS connection" otherwise). A tenant with no Graph tenant id is EWS-only.
 * The route is remembered (MailboxRoutes); a mailbox that moved (Graph says on-premises, or EWS
 * says no such mailbox while Graph reaches it) switches transport. Ids of the old transport
 * then mean nothing: a foreign token is 'expired' (the engine re-finds our items by their
 * tags, which both transports share), a foreign container is gone for `inspectContainer` (a
 * named folder is found again by name) and stands for the default container elsewhere (the
 * engine uses a kept container id unchecked only for the default one), a foreign item is gone.
 */
export class RoutingMailboxStore<TPatch, TValues> implements MailboxItemStore<TPatch, TValues> {
  readonly itemKind: ItemKind;
  readonly transport = 'graph+ews';
  /** On-premises mailboxes are reached (through EWS), so the engine asks again for them. */
  readonly reachesOnPremises = true;

  constructor(
    private readonly graph: MailboxItemStore<TPatch, TValues>,
    private readonly ews: MailboxItemStore<TPatch, TValues>,
    private readonly connections: EwsConnectionSource,
    private readonly routes: MailboxRoutes,
  ) {
    if (graph.itemKind !== ews.itemKind)
      throw new Error(`routing ${graph.itemKind} through Graph but ${ews.itemKind} through EWS`);
    this.itemKind = graph.itemKind;
  }

  open(mailbox: MailboxRef): RoutingMailboxSession<TPatch, TValues> {
    return new RoutingMailboxSession(mailbox, this.graph, this.ews, this.connections, this.routes);
  }
}

export class RoutingMailboxSession<TPatch, TValues> implements MailboxSession<TPatch, TValues> {
  private current?: {
    transport: MailboxTransport;
    session: MailboxSession<TPatch, TValues>;
    purpose?: MailboxPurpose;
  };
  private routing?: Promise<void>;
  private readonly sessions = new Map<MailboxTransport, MailboxSession<TPatch, TValues>>();

  constructor(
    private readonly mailbox: MailboxRef,
    private readonly graph: MailboxItemStore<TPatch, TValues>,
    private readonly ews: MailboxItemStore<TPatch, TValues>,
    private readonly connections: EwsConnectionSource,
    private readonly routes: MailboxRoutes,
  ) {}

  /** The transport this session uses once routed (undefined before the first call). */
  get transport(): MailboxTransport | undefined {
    return this.current?.transport;
  }

  /** The kind's container check (the same on both transports; read before any routing). */
  get containerCheck(): 'every-run' | 'daily' | undefined {
    return (this.current?.session ?? this.session('graph')).containerCheck;
  }

  get changeTracking(): 'feed' | 'none' {
    return this.current?.session.changeTracking ?? 'feed';
  }

  /** The routed transport's photos (Graph has them; EWS contacts do not yet), ids mapped. */
  get photos(): ItemPhotos | undefined {
    const photos = this.current?.session.photos;
    if (!photos) return undefined;
    const own = (itemId: string) => this.in(itemId);
    return {
      put: async (itemId, photo, contentType) => {
        const id = own(itemId);
        return id === undefined ? 'gone' : photos.put(id, photo, contentType);
      },
      ...(photos.remove
        ? {
            remove: async (itemId: string) => {
              const id = own(itemId);
              return id === undefined ? ('gone' as const) : photos.remove!(id);
            },
          }
        : {}),
    };
  }

  get retries(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.retries;
    return n;
  }

  async probe(): Promise<MailboxPurpose> {
    await this.route();
    if (this.current!.purpose) return this.current!.purpose;
    return this.run((s) => s.probe());
  }

  async ensureContainer(
    spec: ContainerSpec,
    options: { create: boolean },
  ): Promise<string | undefined> {
    const id = await this.run((s) => s.ensureContainer(spec, options));
    return id === undefined ? undefined : this.out(id);
  }

  async inspectContainer(containerId: string): Promise<{ name: string } | null> {
    await this.route();
    const id = this.in(containerId);
    return id === undefined ? null : this.run((s) => s.inspectContainer(id));
  }

  async renameContainer(containerId: string, name: string): Promise<'done' | 'conflict' | 'gone'> {
    await this.route();
    const id = this.in(containerId);
    return id === undefined ? 'gone' : this.run((s) => s.renameContainer(id, name));
  }

  async readChanges(
    containerId: string,
    token: string | undefined,
  ): Promise<ChangeSet | 'expired'> {
    await this.route();
    const t = token === undefined ? undefined : this.in(token);
    if (token !== undefined && t === undefined) return 'expired';
    const folder = await this.container(containerId);
    const read = await this.run((s) => s.readChanges(folder, t));
    if (read === 'expired') return read;
    return {
      token: this.out(read.token),
      changes: read.changes.map((c) => ({ ...c, id: this.out(c.id) })),
    };
  }

  async *listTagged(containerId: string, listId: string): AsyncIterable<StoredItem<TValues>[]> {
    await this.route();
    const folder = await this.container(containerId);
    for await (const page of this.current!.session.listTagged(folder, listId))
      yield page.map((i) => ({ ...i, itemId: this.out(i.itemId) }));
  }

  async readItems(
    itemIds: readonly string[],
    options: { withValues: boolean },
  ): Promise<Map<string, StoredItem<TValues> | null>> {
    await this.route();
    const found = new Map<string, StoredItem<TValues> | null>();
    const own: string[] = [];
    for (const id of itemIds) {
      const mine = this.in(id);
      if (mine === undefined) found.set(id, null);
      else own.push(mine);
    }
    if (own.length) {
      const read = await this.run((s) => s.readItems(own, options));
      for (const [id, item] of read)
        found.set(this.out(id), item && { ...item, itemId: this.out(item.itemId) });
    }
    return found;
  }

  async write(
    containerId: string,
    listId: string,
    writes: readonly ItemWrite<TPatch>[],
    onBatch: (results: ItemWriteResult<TPatch>[]) => Promise<void>,
  ): Promise<void> {
    await this.route();
    const folder = await this.container(containerId);
    const foreign: ItemWriteResult<TPatch>[] = [];
    const own: ItemWrite<TPatch>[] = [];
    const original = new Map<ItemWrite<TPatch>, ItemWrite<TPatch>>();
    for (const w of writes) {
      if (w.kind === 'create') {
        own.push(w);
        original.set(w, w);
        continue;
      }
      const id = this.in(w.itemId);
      if (id === undefined) foreign.push({ write: w, outcome: 'gone' });
      else {
        const mapped = { ...w, itemId: id };
        own.push(mapped);
        original.set(mapped, w);
      }
    }
    if (foreign.length) await onBatch(foreign);
    if (!own.length) return;
    await this.current!.session.write(folder, listId, own, (results) =>
      onBatch(
        results.map((r) => ({
          ...r,
          write: original.get(r.write) ?? r.write,
          ...(r.itemId ? { itemId: this.out(r.itemId) } : {}),
        })),
      ),
    );
  }

  /**
   * Closes every session this one opened (Graph's and EWS's): all are closed, then the first
   * failure, if any, is thrown.
   */
  async close(): Promise<void> {
    const closed = await Promise.allSettled([...this.sessions.values()].map((s) => s.close?.()));
    const failed = closed.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Picks the transport: the remembered route, else Graph's answer, and the tenant's EWS connection. */
  private route(): Promise<void> {
    this.routing ??= (async () => {
      const { tenant, mailboxId } = this.mailbox;
      const remembered = await this.routes.get(tenant.id, mailboxId);
      if (remembered === 'graph' || (remembered === 'ews' && (await this.hasEws()))) {
        this.use(remembered);
        return;
      }
      if (!tenant.azureTenantId && (await this.hasEws())) {
        await this.switchTo('ews'); // EWS-only organisation: no Microsoft 365 tenant
        return;
      }
      this.use('graph');
      try {
        this.current!.purpose = await this.current!.session.probe();
        await this.routes.set(tenant.id, mailboxId, 'graph');
      } catch (error) {
        if (mailboxFailureOf(error)?.code !== 'MAILBOX_ON_PREMISES') throw error;
        await this.toEwsOrExplain(error);
      }
    })();
    return this.routing;
  }

  /** Runs an operation on the routed session; a mailbox that moved switches transport once. */
  private async run<T>(op: (s: MailboxSession<TPatch, TValues>) => Promise<T>): Promise<T> {
    await this.route();
    try {
      return await op(this.current!.session);
    } catch (error) {
      const code = mailboxFailureOf(error)?.code;
      if (this.current!.transport === 'graph' && code === 'MAILBOX_ON_PREMISES') {
        await this.toEwsOrExplain(error);
        throw new MicrosoftError(
          'TRANSIENT',
          'the mailbox moved on-premises during the job; the next attempt goes through EWS',
        );
      }
      if (
        this.current!.transport === 'ews' &&
        code === 'MAILBOX_NOT_FOUND' &&
        this.mailbox.tenant.azureTenantId
      ) {
        // Moved to Exchange Online? Graph reaching it says so.
        const graph = this.session('graph');
        const purpose = await graph.probe().catch(() => undefined);
        if (purpose) {
          await this.switchTo('graph');
          this.current!.purpose = purpose;
          throw new MicrosoftError(
            'TRANSIENT',
            'the mailbox moved to Exchange Online during the job; the next attempt goes through Graph',
          );
        }
      }
      throw error;
    }
  }

  private async toEwsOrExplain(error: unknown): Promise<void> {
    if (!(await this.hasEws()))
      throw new MicrosoftError(
        'MAILBOX_ON_PREMISES',
        `on-premises, no EWS connection: ${(error as Error).message}. Add the Exchange server's EWS connection to sync this mailbox`,
        { graphCode: 'MailboxNotEnabledForRESTAPI' },
      );
    await this.switchTo('ews');
  }

  private async switchTo(transport: MailboxTransport): Promise<void> {
    this.use(transport);
    await this.routes.set(this.mailbox.tenant.id, this.mailbox.mailboxId, transport);
  }

  private use(transport: MailboxTransport): void {
    this.current = { transport, session: this.session(transport) };
  }

  private session(transport: MailboxTransport): MailboxSession<TPatch, TValues> {
    let s = this.sessions.get(transport);
    if (!s) {
      s = (transport === 'ews' ? this.ews : this.graph).open(this.mailbox);
      this.sessions.set(transport, s);
    }
    return s;
  }

  private async hasEws(): Promise<boolean> {
    return (await this.connections.forTenant(this.mailbox.tenant.id)) !== null;
  }

  /** An id of ours for the current transport, or undefined when it belongs to the other one. */
  private in(id: string): string | undefined {
    const ews = id.startsWith(EWS);
    if (this.current!.transport === 'ews') return ews ? id.slice(EWS.length) : undefined;
    return ews ? undefined : id;
  }

  private out(id: string): string {
    return this.current!.transport === 'ews' ? `${EWS}${id}` : id;
  }

  /** A container id for the current transport; a foreign one stands for the default container. */
  private async container(containerId: string): Promise<string> {
    const own = this.in(containerId);
    if (own !== undefined) return own;
    const id = await this.current!.session.ensureContainer({ kind: 'default' }, { create: false });
    return id!;
  }
}
