import { ewsDirectoryId } from '@app/microsoft';
import { ListEntryEntity } from '@app/persistence';
import { Contact, FolderId, WellKnownFolderName } from 'ews-javascript-api';
import { checkEwsResponses, type RecordedResponse } from '../../apps/m365-sim/test/ews-schema';
import { Fleet, tag, type SimContact, type SimUser } from './fleet';

/** What a run cost on the wire, in the transport's own unit. */
export interface WireCost {
  /** Write operations sent (Graph: create/update/delete requests; EWS: CreateItem/UpdateItem/DeleteItem). */
  writes: number;
  /** Operations of the mailbox syncs (Graph requests; EWS SOAP operations). */
  operations: number;
  /** Directory reads of the plan (Graph: /users delta; EWS: FindPeople pages), beside them. */
  directory: number;
  /** EWS: NTLM handshake requests (the 401 CHALLENGE legs), reported beside the SOAP operations. */
  handshakes: number;
}

/** How one transport's tenant is set up and observed; the test body is the same for each. */
export interface ContactTransport {
  name: string;
  start(): Promise<Fleet>;
  /** Our id of a simulated user's mailbox (Graph: the directory object id; EWS-only: from its address). */
  mailboxIdOf(user: SimUser): string;
  /** The mailboxes a list targeting everyone reaches: user mailboxes this transport syncs. */
  reached(users: SimUser[]): SimUser[];
  cost(fleet: Fleet): Promise<WireCost>;
  /** A contact the user makes themselves, without our tags. */
  addOwnContact(fleet: Fleet, user: SimUser, displayName: string): Promise<void>;
  /** The transport's own check over everything the tests above sent (EWS: the schema). */
  finalCheck?: { name: string; run(fleet: Fleet): Promise<void> };
}

const isUser = (u: SimUser) => (u.purpose ?? 'user') === 'user' && !!u.mail;

export const GRAPH_TRANSPORT: ContactTransport = {
  name: 'Graph (Microsoft 365)',
  start: () => Fleet.start(),
  mailboxIdOf: (u) => u.id,
  // Entra ID users who can have a mailbox (enabled, licensed) with a cloud one.
  reached: (users) =>
    users.filter(
      (u) =>
        u.mailbox === 'cloud' && u.licensed !== false && u.accountEnabled !== false && isUser(u),
    ),
  async cost(fleet) {
    const stats = await fleet.stats();
    const count = (op: string) => stats.ops[op]?.count ?? 0;
    const directory = count('users.delta') + count('users.list');
    return {
      writes: count('contacts.create') + count('contacts.update') + count('contacts.delete'),
      operations: stats.total - directory,
      directory,
      handshakes: 0,
    };
  },
  async addOwnContact(fleet, user, displayName) {
    const res = await fleet.graph('POST', `/users/${user.id}/contacts`, { displayName });
    expect(res.status).toBe(201);
  },
};

interface EwsSimStats {
  operations: number;
  handshakeRequests: number;
}

export const EWS_ONLY_TRANSPORT: ContactTransport = {
  name: 'EWS only (Exchange Server, no Microsoft 365)',
  start: () => Fleet.start({ ewsOnly: true, sim: { ewsRecordResponses: true } }),
  finalCheck: {
    name: "every EWS response the simulator sent validates against Microsoft's schema (xmllint)",
    async run(fleet) {
      const { responses } = await fleet.simFetch<{ responses: RecordedResponse[] }>(
        '/_sim/ews/responses',
      );
      expect(responses.filter((r) => r.operation === 'FindPeople').length).toBeGreaterThan(3);
      const report = await checkEwsResponses(responses);
      expect(report.failures).toEqual([]);
      expect(report.validated).toBeGreaterThan(100);
    },
  },
  mailboxIdOf: (u) => ewsDirectoryId(u.mail!),
  // The GAL does not tell shared and resource mailboxes from users' (FindPeople's Persona has
  // no recipient type): every mailbox in it is reached.
  reached: (users) => users.filter((u) => u.mailbox === 'onprem' && !!u.mail),
  async cost(fleet) {
    const stats = (await fleet.stats()) as unknown as {
      ops: Record<string, { count: number }>;
      ews: EwsSimStats;
    };
    const count = (op: string) => stats.ops[op]?.count ?? 0;
    const directory = count('ews.FindPeople');
    return {
      writes: count('ews.CreateItem') + count('ews.UpdateItem') + count('ews.DeleteItem'),
      operations: stats.ews.operations - directory,
      directory,
      handshakes: stats.ews.handshakeRequests,
    };
  },
  async addOwnContact(fleet, user, displayName) {
    const asUser = fleet.ewsAs(user.mail!);
    try {
      const own = new Contact(asUser.service);
      own.DisplayName = displayName;
      await own.Save(new FolderId(WellKnownFolderName.Contacts));
    } finally {
      asUser.close();
    }
  },
};

/** Figures a transport's file prints beside its results (the README and the report quote them). */
export const measured: Record<string, Record<string, number>> = {};

/**
 * Acceptance 1 of issue #21 for contacts, one body for every transport: first push, no-op (0
 * writes, at most 1.1 operations per mailbox), one change (write amplification 1.00), a deleted
 * source contact deleted everywhere, un-targeting deletes exactly our items there, users' own
 * contacts untouched throughout.
 */
export function contactAcceptance(transport: ContactTransport): void {
  describe(`contact engine acceptance over ${transport.name}`, () => {
    let fleet: Fleet;
    let listId: string;
    let reached: SimUser[];
    const figures: Record<string, number> = {};
    const OWN = 'My own plumber';

    const ours = async (u: SimUser): Promise<SimContact[]> =>
      (await fleet.contacts(u.id)).filter((c) => tag(c, 'CsListId') === listId);
    const keysOf = (items: SimContact[]) => items.map((c) => tag(c, 'CsSourceKey')).sort();

    beforeAll(async () => {
      fleet = await transport.start();
      reached = transport.reached(await fleet.users());
      expect(reached.length).toBeGreaterThan(10);
      for (const u of reached.slice(0, 3)) await transport.addOwnContact(fleet, u, OWN);
      listId = await fleet.createList(
        'Acceptance directory',
        {
          sources: [
            { id: 'dir', kind: 'directory' },
            { id: 'manual', kind: 'manual' },
          ],
        },
        [{ kind: 'all', mode: 'include', value: null }],
      );
      await fleet.addManualEntries(listId, [
        { key: 'plumber', displayName: 'Acme Plumbing', businessPhones: '+1 425 555 0199' },
        { key: 'taxi', displayName: 'City Taxi', businessPhones: '+1 425 555 0198' },
      ]);
    }, 120_000);
    afterAll(async () => {
      measured[transport.name] = figures;
      await fleet?.stop();
    });

    it('first push: every reached mailbox holds exactly the list', async () => {
      await fleet.resetStats();
      const run = await fleet.runNow(listId);
      expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
      const first = await ours(reached[0]);
      expect(first.length).toBeGreaterThan(10);
      const keys = keysOf(first);
      expect(keys).toContain('manual:manual:plumber');
      for (const u of reached) expect([u.mail, keysOf(await ours(u))]).toEqual([u.mail, keys]);
      const states = (await fleet.dataSource.query(
        `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
      )) as Array<{ mailbox_id: string }>;
      expect(states.map((s) => s.mailbox_id).sort()).toEqual(
        reached.map((u) => transport.mailboxIdOf(u)).sort(),
      );
      const cost = await transport.cost(fleet);
      figures.mailboxes = reached.length;
      figures.pushWrites = cost.writes;
      figures.pushItems = run.itemsCreated;
    });

    it('no-op: 0 writes and at most 1.1 operations per mailbox (the directory read beside)', async () => {
      await fleet.resetStats();
      const run = await fleet.runNow(listId);
      expect(run).toMatchObject({
        status: 'succeeded',
        itemsCreated: 0,
        itemsUpdated: 0,
        itemsDeleted: 0,
      });
      const cost = await transport.cost(fleet);
      expect(cost.writes).toBe(0);
      // Per mailbox that holds the list (a hybrid tenant's on-premises ones without a connection are skipped).
      const perMailbox = cost.operations / reached.length;
      expect(perMailbox).toBeLessThanOrEqual(1.1);
      figures.noopOperationsPerMailbox = perMailbox;
      figures.noopDirectoryReads = cost.directory;
      // The plan's directory read counted in too: still within the bound.
      const withDirectory = (cost.operations + cost.directory) / reached.length;
      figures.noopOperationsPerMailboxWithDirectory = withDirectory;
      figures.noopHandshakesPerMailbox = cost.handshakes / reached.length;
    });

    it('one changed source contact: one update per mailbox (write amplification 1.00)', async () => {
      const changed = reached[1];
      await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${changed.id}`, {
        method: 'PATCH',
        body: { jobTitle: 'Chief Acceptance Officer' },
      });
      await fleet.resetStats();
      const run = await fleet.runNow(listId);
      expect(run).toMatchObject({ status: 'succeeded', itemsCreated: 0, itemsDeleted: 0 });
      expect(run.itemsUpdated / reached.length).toBe(1);
      const copy = (await ours(reached[4])).find(
        (c) => c.displayName === (changed as unknown as { displayName: string }).displayName,
      );
      expect(copy?.jobTitle).toBe('Chief Acceptance Officer');
      const cost = await transport.cost(fleet);
      figures.changeAmplification = run.itemsUpdated / reached.length;
      figures.changeWrites = cost.writes;
      figures.changeOperationsPerMailbox = cost.operations / reached.length;
    });

    it('a source contact removed is deleted from every mailbox', async () => {
      await fleet.dataSource
        .getRepository(ListEntryEntity)
        .delete({ listId, sourceKey: 'manual:taxi' });
      await fleet.resetStats();
      const run = await fleet.runNow(listId);
      expect(run).toMatchObject({ status: 'succeeded', itemsCreated: 0, itemsUpdated: 0 });
      expect(run.itemsDeleted).toBe(reached.length);
      for (const u of reached) expect(keysOf(await ours(u))).not.toContain('manual:manual:taxi');
    });

    it("un-targeting a mailbox deletes exactly our items there; the user's own contact stays", async () => {
      const user = reached[0];
      const before = await ours(user);
      await fleet.setTargets(listId, [
        { kind: 'all', mode: 'include', value: null },
        { kind: 'user', mode: 'exclude', value: transport.mailboxIdOf(user) },
      ]);
      await fleet.resetStats();
      const run = await fleet.runNow(listId);
      expect(run.status).toBe('succeeded');
      expect(run.itemsDeleted).toBe(before.length);
      expect(await ours(user)).toEqual([]);
      expect((await ours(reached[1])).length).toBe(before.length);
    });

    it("users' own contacts were never touched", async () => {
      for (const u of reached.slice(0, 3)) {
        const own = (await fleet.contacts(u.id)).filter((c) => c.displayName === OWN);
        expect([u.mail, own.length, own.every((c) => !tag(c, 'CsListId'))]).toEqual([
          u.mail,
          1,
          true,
        ]);
      }
    });

    if (transport.finalCheck) {
      const check = transport.finalCheck;
      it(check.name, () => check.run(fleet), 60_000);
    }
  });
}
