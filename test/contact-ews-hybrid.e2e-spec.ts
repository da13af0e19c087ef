import { Contact, FolderId, WellKnownFolderName } from 'ews-javascript-api';
import { Fleet, tag, type SimStats, type SimUser } from './support/fleet';

// A hybrid tenant through the whole product: cloud mailboxes through Graph, on-premises ones
// (Graph answers MailboxNotEnabledForRESTAPI) through the tenant's EWS connection to the
// simulator's EWS endpoint (Basic: the simulator's sign-in today; NTLM is the product default).
describe('contact sync on a hybrid tenant (Graph and EWS)', () => {
  let fleet: Fleet;
  let listId: string;
  let onPrem: SimUser[];
  let cloud: SimUser[];
  const account = () => fleet.sim.info.ewsAccounts[0];

  const setConnection = (password: string) =>
    fleet.setEwsConnection({ password, impersonationAddress: null, addressListId: null });
  const ewsWrites = (stats: SimStats) =>
    ['ews.CreateItem', 'ews.UpdateItem', 'ews.DeleteItem'].reduce(
      (n, op) => n + (stats.ops[op]?.count ?? 0),
      0,
    );
  const ours = async (userId: string) =>
    (await fleet.contacts(userId)).filter((c) => tag(c, 'CsListId') === listId);

  beforeAll(async () => {
    fleet = await Fleet.start();
    const users = await fleet.users();
    const isUser = (u: SimUser) => (u.purpose ?? 'user') === 'user' && u.licensed !== false;
    onPrem = users.filter((u) => u.mailbox === 'onprem' && isUser(u));
    cloud = users.filter((u) => u.mailbox === 'cloud' && isUser(u));
    expect(onPrem.length).toBeGreaterThan(0);
    await setConnection(account().password);
    listId = await fleet.createList(
      'Hybrid directory',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'all', mode: 'include', value: null }],
    );
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('one run: cloud mailboxes through Graph, on-premises ones through EWS, one outcome each, every mailbox holds the list', async () => {
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    const cloudItems = await ours(cloud[0].id);
    expect(cloudItems.length).toBeGreaterThan(10);
    const keys = cloudItems.map((c) => tag(c, 'CsSourceKey')).sort();
    for (const u of onPrem) {
      const items = await ours(u.id);
      expect([u.id, items.map((c) => tag(c, 'CsSourceKey')).sort()]).toEqual([u.id, keys]);
    }
    const stats = await fleet.stats();
    expect(stats.ops['ews.CreateItem']?.count ?? 0).toBeGreaterThanOrEqual(onPrem.length);
    const byMailbox = await fleet.mailboxStates(listId);
    for (const u of onPrem) expect([u.id, byMailbox.get(u.id)?.status]).toEqual([u.id, 'in_sync']);
    expect(byMailbox.get(cloud[0].id)?.status).toBe('in_sync');
  });

  it('a resync with nothing changed writes nothing through either transport', async () => {
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsUpdated: 0,
      itemsDeleted: 0,
    });
    const stats = await fleet.stats();
    expect(ewsWrites(stats)).toBe(0);
    // One SyncFolderItems per on-premises mailbox (the folder's sync state), nothing else.
    expect(stats.ops['ews.SyncFolderItems']?.count ?? 0).toBe(onPrem.length);
    expect(stats.ops['ews.FindItem']?.count ?? 0).toBe(0);
    expect((stats as unknown as { ews: { operations: number } }).ews.operations).toBe(
      onPrem.length,
    );
  });

  it('one changed contact is one update per mailbox (amplification 1.00), one UpdateItem per on-premises mailbox', async () => {
    const changed = cloud[1];
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${changed.id}`, {
      method: 'PATCH',
      body: { jobTitle: 'Chief Hybrid Officer' },
    });
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({ status: 'succeeded', itemsCreated: 0, itemsDeleted: 0 });
    expect(run.itemsUpdated / run.mailboxesTotal).toBe(1);
    const stats = await fleet.stats();
    expect(stats.ops['ews.UpdateItem']?.count ?? 0).toBe(onPrem.length);
    expect(stats.ops['ews.CreateItem']?.count ?? 0).toBe(0);
  });

  it('a wrong password is its own code and sentence per on-premises mailbox, cloud ones unaffected; the password is in no message', async () => {
    const wrong = 'Wrong-Passw0rd-Never-Logged';
    await setConnection(wrong);
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${cloud[1].id}`, {
      method: 'PATCH',
      body: { jobTitle: 'Back in the cloud' },
    });
    const run = await fleet.runNow(listId);
    expect(run.mailboxesFailed).toBe(onPrem.length);
    const byMailbox = await fleet.mailboxStates(listId);
    for (const u of onPrem)
      expect(byMailbox.get(u.id)).toMatchObject({
        last_error_code: 'EWS_SIGN_IN_FAILED',
        last_error_message: expect.stringMatching(/password/),
      });
    for (const u of cloud.filter((c) => byMailbox.has(c.id)))
      expect(byMailbox.get(u.id)?.status).toBe('in_sync');
    for (const s of byMailbox.values()) {
      expect(s.last_error_message ?? '').not.toContain(wrong);
      expect(s.last_error_message ?? '').not.toContain(account().password);
    }
    await setConnection(account().password);
  });

  it("un-targeting an on-premises mailbox deletes exactly our items there; the user's own contact stays", async () => {
    const user = onPrem[0];
    const view = user as unknown as { mail?: string; userPrincipalName?: string };
    const address = (view.mail ?? view.userPrincipalName)!;
    const asUser = fleet.ewsAs(address);
    const own = new Contact(asUser.service);
    own.DisplayName = 'My own plumber';
    await own.Save(new FolderId(WellKnownFolderName.Contacts));
    asUser.close();
    const before = await ours(user.id);
    expect(before.length).toBeGreaterThan(10);

    await fleet.setTargets(listId, [
      { kind: 'all', mode: 'include', value: null },
      { kind: 'user', mode: 'exclude', value: user.id },
    ]);
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run.status).toBe('succeeded');
    expect(run.itemsDeleted).toBe(before.length);
    expect(await ours(user.id)).toEqual([]);
    const left = await fleet.contacts(user.id);
    expect(left.map((c) => c.displayName)).toContain('My own plumber');
    expect((await fleet.stats()).ops['ews.DeleteItem']?.count ?? 0).toBeGreaterThan(0);
  });

  it('a mailbox that moves on-premises keeps one copy of each contact: the Graph ids stored for it are not sent to EWS; back in the cloud, nothing doubles', async () => {
    // Graph and EWS ids of one item are different strings (the simulator, like Exchange): the
    // ids stored while the mailbox was reached through one API mean nothing to the other
    const moving = cloud[2];
    const before = (await ours(moving.id)).map((c) => tag(c, 'CsSourceKey')).sort();
    expect(before.length).toBeGreaterThan(10);
    const move = (mailbox: 'onprem' | 'cloud') =>
      fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${moving.id}`, {
        method: 'PATCH',
        body: { mailbox },
      });
    const changeAndRun = async (jobTitle: string) => {
      await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${cloud[3].id}`, {
        method: 'PATCH',
        body: { jobTitle },
      });
      await fleet.resetStats();
      const run = await fleet.runNow(listId);
      // nothing was created: the run says so (it counted every re-found item as created before)
      expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0, itemsCreated: 0 });
      expect(run.itemsUpdated).toBe(run.mailboxesTotal);
      const items = await ours(moving.id);
      expect(items.map((c) => tag(c, 'CsSourceKey')).sort()).toEqual(before);
      // the change reached the item already there, through the ids of the API now in use
      const changed = items.filter((c) => c.jobTitle === jobTitle);
      expect(changed).toHaveLength(1);
      return fleet.stats();
    };
    await move('onprem');
    try {
      // now through EWS: our items found again by their tags, the change written with EWS ids
      const onPremStats = await changeAndRun('Moved on-premises');
      // the on-premises mailboxes still targeted (the previous test left one out), and this one
      expect(onPremStats.ops['ews.UpdateItem']?.count ?? 0).toBe(onPrem.length - 1 + 1);
      expect(onPremStats.ops['ews.FindItem']?.count ?? 0).toBeGreaterThan(0);
      expect(onPremStats.ops['ews.CreateItem']?.count ?? 0).toBe(0);
    } finally {
      await move('cloud');
    }
    const backStats = await changeAndRun('Returned to the cloud');
    expect(backStats.ops['ews.CreateItem']?.count ?? 0).toBe(0);
    expect(backStats.ops['contacts.create']?.count ?? 0).toBe(0);
  });
});
