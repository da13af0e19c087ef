import { Fleet, tag, type SimUser } from './support/fleet';

const WRITE_OPS = ['contacts.create', 'contacts.update', 'contacts.delete'];

/** Acceptance 3 and 7 of the contact engine: incremental changes, un-targeting, lost caches. */
describe('changes at the source reach every mailbox exactly', () => {
  let fleet: Fleet;
  let listId: string;
  let groupId: string;
  let members: SimUser[];
  let groupMembers: SimUser[] = [];
  let mailboxes: string[];

  const writes = async () => {
    const stats = await fleet.stats();
    return Object.fromEntries(WRITE_OPS.map((op) => [op, stats.ops[op]?.count ?? 0]));
  };
  const ours = async (mailboxId: string) =>
    (await fleet.contacts(mailboxId)).filter((c) => tag(c, 'CsListId') === listId);
  const syncedMailboxes = async () =>
    (
      (await fleet.dataSource.query(
        `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
      )) as Array<{ mailbox_id: string }>
    )
      .map((r) => r.mailbox_id)
      .sort();

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 40, seed: 21 } });
    const users = (await fleet.users()).filter(
      (u) => u.mailbox === 'cloud' && u.licensed !== false && u.purpose === 'user',
    );
    members = users.slice(0, 3);
    // A seeded group with members that have mailboxes, for the un-targeting step.
    const groups = await fleet.graph<{ value: Array<{ id: string; displayName: string }> }>(
      'GET',
      '/groups?$select=id,displayName',
    );
    for (const group of groups.body.value) {
      // an OData cast on members is an advanced query (ConsistencyLevel + $count=true)
      const inGroup = await fleet.graph<{ value: Array<{ id: string }> }>(
        'GET',
        `/groups/${group.id}/transitiveMembers/microsoft.graph.user?$select=id&$top=999&$count=true`,
        undefined,
        { ConsistencyLevel: 'eventual' },
      );
      const withMailbox = users.filter(
        (u) => inGroup.body.value.some((m) => m.id === u.id) && !members.includes(u),
      );
      if (withMailbox.length >= 2 && withMailbox.length < users.length - 5) {
        groupId = group.id;
        groupMembers = withMailbox;
        break;
      }
    }
    listId = await fleet.createList('Directory', { sources: [{ id: 'dir', kind: 'directory' }] }, [
      { kind: 'all', mode: 'include', value: null },
    ]);
    await fleet.runNow(listId);
    mailboxes = await syncedMailboxes();
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('changing one directory user changes exactly one contact in each mailbox', async () => {
    const someone = members[0];
    const before = await ours(mailboxes[0]);
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${someone.id}`, {
      method: 'PATCH',
      body: { jobTitle: 'Chief Cartographer' },
    });
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsDeleted: 0,
      itemsUpdated: mailboxes.length,
    });
    expect(await writes()).toEqual({
      'contacts.create': 0,
      'contacts.update': mailboxes.length,
      'contacts.delete': 0,
    });
    // The map knows our notes section is unchanged: no item is read before it is updated.
    expect((await fleet.stats()).ops['contacts.get']?.count ?? 0).toBe(0);
    for (const mailboxId of mailboxes) {
      const contact = (await ours(mailboxId)).find(
        (c) => tag(c, 'CsSourceKey') === `user:${someone.id}`,
      );
      expect(contact?.jobTitle).toBe('Chief Cartographer');
    }
    const after = await ours(mailboxes[0]);
    const changed = after.filter(
      (c) => before.find((b) => b.id === c.id)?.changeKey !== c.changeKey,
    );
    expect(changed.map((c) => c.displayName)).toEqual([
      (someone as SimUser & { displayName: string }).displayName,
    ]);
  });

  it('deleting one user deletes their contact everywhere (and their own mailbox leaves the run)', async () => {
    const leaver = members[1];
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${leaver.id}`, {
      method: 'DELETE',
    });
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run.status).toBe('succeeded');
    const remaining = mailboxes.filter((m) => m !== leaver.id);
    expect((await writes())['contacts.delete']).toBe(remaining.length);
    for (const mailboxId of remaining) {
      expect(
        (await ours(mailboxId)).some((c) => tag(c, 'CsSourceKey') === `user:${leaver.id}`),
      ).toBe(false);
    }
    mailboxes = await syncedMailboxes();
    expect(mailboxes).not.toContain(leaver.id);
  });

  it('a user losing the licence loses exactly our contacts, and keeps their own', async () => {
    const unlicensed = members[2];
    const own = await fleet.graph<{ id: string }>('POST', `/users/${unlicensed.id}/contacts`, {
      displayName: 'My dentist',
      businessPhones: ['+1 425 555 0177'],
    });
    expect(own.status).toBe(201);
    const theirs = (await fleet.contacts(unlicensed.id)).filter(
      (c) => tag(c, 'CsListId') === undefined,
    );
    expect((await ours(unlicensed.id)).length).toBeGreaterThan(0);
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${unlicensed.id}`, {
      method: 'PATCH',
      body: { assignedLicenses: [] },
    });
    const run = await fleet.runNow(listId);
    expect(run.status).toBe('succeeded');
    expect((await ours(unlicensed.id)).map((c) => [c.displayName, tag(c, 'CsSourceKey')])).toEqual(
      [],
    );
    const left = await fleet.contacts(unlicensed.id);
    expect(left).toEqual(theirs);
    expect(left.map((c) => c.id)).toContain(own.body.id);
    expect(await syncedMailboxes()).not.toContain(unlicensed.id);
  });

  it('un-targeting a group removes exactly our contacts from its members', async () => {
    expect(groupId).toBeTruthy();
    const remaining = groupMembers;
    await fleet.setTargets(listId, [
      { kind: 'all', mode: 'include', value: null },
      { kind: 'group', mode: 'exclude', value: groupId },
    ]);
    const run = await fleet.runNow(listId);
    expect(run.status).toBe('succeeded');
    for (const member of remaining) expect(await ours(member.id)).toEqual([]);
    const stillTargeted = (await syncedMailboxes()).filter(
      (m) => !remaining.some((r) => r.id === m),
    );
    expect(stillTargeted.length).toBeGreaterThan(0);
    for (const mailboxId of stillTargeted.slice(0, 3))
      expect((await ours(mailboxId)).length).toBeGreaterThan(0);
    mailboxes = await syncedMailboxes();
  });

  it('after the cache is wiped the next sync rebuilds from the mailboxes’ tags and writes nothing', async () => {
    await fleet.dataSource.query(`UPDATE mailbox_state SET delta_link = NULL`);
    const store = fleet.worker!.get((await import('@app/logstore')).LOG_STORE);
    for (const mailboxId of mailboxes) await store.deleteMap(fleet.tenantId, listId, mailboxId);
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsUpdated: 0,
      itemsDeleted: 0,
    });
    expect(Object.values(await writes())).toEqual([0, 0, 0]);
  });

  it('after only the map cache is lost (delta links kept) the next sync counts nothing as created', async () => {
    const store = fleet.worker!.get((await import('@app/logstore')).LOG_STORE);
    for (const mailboxId of mailboxes) await store.deleteMap(fleet.tenantId, listId, mailboxId);
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    // Every item is found by its tags; none is taken for one an earlier attempt left uncounted.
    expect(run).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsUpdated: 0,
      itemsDeleted: 0,
    });
    expect(Object.values(await writes())).toEqual([0, 0, 0]);
  });

  it('after the delta links expire the next sync rebuilds and writes nothing, then costs one request again', async () => {
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/expire-delta`, { method: 'POST' });
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsUpdated: 0,
      itemsDeleted: 0,
    });
    expect(Object.values(await writes())).toEqual([0, 0, 0]);
    await fleet.resetStats();
    await fleet.runNow(listId);
    const stats = await fleet.stats();
    // One delta request per mailbox, plus the tenant's directory reads (users delta, group members).
    expect(stats.ops['contacts.delta'].count).toBe(mailboxes.length);
    const perTenant =
      (stats.ops['users.delta']?.count ?? 0) + (stats.ops['groups.transitiveMembers']?.count ?? 0);
    expect(perTenant).toBeLessThanOrEqual(2);
    expect(stats.total).toBe(mailboxes.length + perTenant);
  });
});
