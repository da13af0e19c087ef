import {
  BasePropertySet,
  ConflictResolutionMode,
  Contact,
  FolderId,
  ItemView,
  PropertySet,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { Fleet, type SimUser } from './support/fleet';

/** The simulator's EWS counters (GET /_sim/stats → ews) this test reads. */
interface EwsCounters {
  operations: number;
  handshakeRequests: number;
}

/**
 * Issue #21 / ADR 0049: what change detection costs on EWS, counted by the simulator in SOAP
 * operations per on-premises mailbox, through the whole product (NTLM, impersonation): a no-op,
 * one changed source contact, and a user's own edits in the folder (a contact of their own
 * created, one of ours edited). The same scenario measured the FindItem fingerprint the adapter
 * used before (ADR 0044); the figures of both are in ADR 0049.
 */
describe('EWS change detection cost (SyncFolderItems sync state)', () => {
  let fleet: Fleet;
  let listId: string;
  let onPrem: SimUser[];
  const figures: Record<string, Record<string, number>> = {};

  const ewsOps = async (): Promise<Record<string, number>> => {
    const stats = (await fleet.stats()) as unknown as {
      ops: Record<string, { count: number }>;
      ews: EwsCounters;
    };
    const out: Record<string, number> = {};
    for (const [op, s] of Object.entries(stats.ops))
      if (op.startsWith('ews.')) out[op.slice(4)] = s.count / onPrem.length;
    delete out.request; // HTTP requests, handshakes included: reported as `handshakes`
    out.total = stats.ews.operations / onPrem.length;
    out.handshakes = stats.ews.handshakeRequests / onPrem.length;
    // Bytes of the SOAP responses (recorded by the simulator), per mailbox.
    const { responses } = await fleet.simFetch<{
      responses: Array<{ operation?: string; body: string }>;
    }>('/_sim/ews/responses');
    const bytes = responses
      .filter((r) => r.operation)
      .reduce((n, r) => n + Buffer.byteLength(r.body), 0);
    out.responseKb = Math.round(bytes / onPrem.length / 102.4) / 10;
    return out;
  };
  const measure = async (name: string) => {
    await fleet.resetStats();
    await fleet.simFetch('/_sim/ews/responses', { method: 'DELETE' });
    const run = await fleet.runNow(listId);
    expect([name, run.status, run.mailboxesFailed]).toEqual([name, 'succeeded', 0]);
    figures[name] = {
      ...(await ewsOps()),
      written: run.itemsCreated + run.itemsUpdated + run.itemsDeleted,
    };
    return figures[name];
  };

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { ewsRecordResponses: true } });
    const users = await fleet.users();
    onPrem = users.filter(
      (u) => u.mailbox === 'onprem' && (u.purpose ?? 'user') === 'user' && u.licensed !== false,
    );
    expect(onPrem.length).toBeGreaterThan(0);
    await fleet.setEwsConnection({ impersonationAddress: null, addressListId: null });
    listId = await fleet.createList(
      'EWS change detection',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      onPrem.map((u) => ({ kind: 'user' as const, mode: 'include' as const, value: u.id })),
    );
    await measure('initial');
  }, 120_000);
  afterAll(async () => {
    console.log(`EWS change detection, SOAP operations per mailbox: ${JSON.stringify(figures)}`);
    await fleet?.stop();
  });

  it('a no-op costs one SyncFolderItems per mailbox and writes nothing', async () => {
    const f = await measure('noop');
    expect(f).toMatchObject({ total: 1, SyncFolderItems: 1, written: 0 });
  });

  it('one changed contact: SyncFolderItems, one UpdateItem, SyncFolderItems past our own write', async () => {
    const source = (await fleet.users()).find(
      (u) => u.mailbox === 'cloud' && (u.purpose ?? 'user') === 'user',
    )!;
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${source.id}`, {
      method: 'PATCH',
      body: { jobTitle: 'Changed for the EWS measurement' },
    });
    const f = await measure('oneChange');
    expect(f).toMatchObject({ total: 3, SyncFolderItems: 2, UpdateItem: 1 });
    expect(f.written).toBe(onPrem.length);
    expect(f.FindItem).toBeUndefined();
    // The next no-op is one operation again: the token moved past our own write.
    expect(await measure('noopAfterChange')).toMatchObject({ total: 1, written: 0 });
  });

  it("a user's own edits: the changed items are read, nothing is listed, the user's own contact is untouched", async () => {
    for (const u of onPrem) {
      const asUser = fleet.ewsAs((u.mail ?? (u.user.userPrincipalName as string))!);
      const own = new Contact(asUser.service);
      own.DisplayName = 'My own plumber';
      await own.Save(new FolderId(WellKnownFolderName.Contacts));
      const view = new ItemView(10);
      view.PropertySet = new PropertySet(BasePropertySet.IdOnly);
      const found = await asUser.service.FindItems(
        new FolderId(WellKnownFolderName.Contacts),
        view,
      );
      const ours = found.Items.find((i) => i.Id.UniqueId !== own.Id.UniqueId) as Contact;
      ours.JobTitle = 'Edited by the user';
      await ours.Update(ConflictResolutionMode.AlwaysOverwrite);
      asUser.close();
    }
    const f = await measure('userEdits');
    // SyncFolderItems reports the two items, GetItem reads them (the user's own is left
    // alone, ours is put back as the list has it), SyncFolderItems moves past our write.
    expect(f).toMatchObject({ total: 4, SyncFolderItems: 2, GetItem: 1, UpdateItem: 1 });
    expect(f.written).toBe(onPrem.length);
    expect(f.FindItem).toBeUndefined();
    for (const u of onPrem)
      expect((await fleet.contacts(u.id)).map((c) => c.displayName)).toContain('My own plumber');
    expect(await measure('noopAfterUserEdits')).toMatchObject({ total: 1, written: 0 });
  });
});
