import { Fleet, tag } from './support/fleet';

describe('contact sync against the simulator', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start();
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('pushes the directory to every targeted mailbox, then a resync writes nothing', async () => {
    const listId = await fleet.createList(
      'Company directory',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    expect(run.itemsCreated).toBeGreaterThan(0);

    const users = await fleet.users();
    const target = users.find(
      (u) => u.mailbox === 'cloud' && u.licensed !== false && u.purpose !== 'shared',
    );
    const contacts = await fleet.contacts(target!.id);
    const ours = contacts.filter((c) => tag(c, 'CsListId') === listId);
    expect(ours.length).toBeGreaterThan(10);

    await fleet.resetStats();
    const again = await fleet.runNow(listId);
    expect(again).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsUpdated: 0,
      itemsDeleted: 0,
    });
    const stats = await fleet.stats();
    const writes = ['contacts.create', 'contacts.update', 'contacts.delete'].reduce(
      (n, op) => n + (stats.ops[op]?.count ?? 0),
      0,
    );
    expect(writes).toBe(0);
    const mailboxes = again.mailboxesTotal;
    expect(stats.total / mailboxes).toBeLessThanOrEqual(1.1);
  });

  it('a resync with nothing changed neither reads nor rewrites the mailbox map; a changed list setting does', async () => {
    const listId = await fleet.createList(
      'Fingerprinted directory',
      { sources: [{ id: 'dir', kind: 'directory' }], folder: { mode: 'dedicated', name: 'FP' } },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    await fleet.runNow(listId);
    const store = fleet.worker!.get((await import('@app/logstore')).LOG_STORE);
    const states = async () =>
      (await fleet.dataSource.query(
        `SELECT mailbox_id, applied_fingerprint FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync' ORDER BY mailbox_id`,
      )) as Array<{ mailbox_id: string; applied_fingerprint: string | null }>;
    const first = await states();
    expect(first.length).toBeGreaterThan(3);
    for (const s of first) expect(s.applied_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const mailboxId = first[0].mailbox_id;
    const written = (await store.getMapInfo(fleet.tenantId, listId, mailboxId))!;

    await new Promise((r) => setTimeout(r, 20));
    await fleet.resetStats();
    const noop = await fleet.runNow(listId);
    expect(noop).toMatchObject({ status: 'succeeded', itemsCreated: 0, itemsUpdated: 0 });
    const stats = await fleet.stats();
    expect(stats.ops['contacts.delta'].count).toBe(first.length);
    const after = (await store.getMapInfo(fleet.tenantId, listId, mailboxId))!;
    expect(after.writtenAt.getTime()).toBe(written.writtenAt.getTime()); // not rewritten
    // Used again within a day of its write: not even its last-use time is rewritten (the
    // log store's contract tests cover keeping a map alive across the retention).
    expect(after.lastUsedAt.getTime()).toBe(written.lastUsedAt.getTime());
    expect(after.entryCount).toBe(written.entryCount);
    expect(await states()).toEqual(first);

    // Same snapshot, other settings: the plan may differ, so the map is read and saved again.
    await fleet.updateSettings(listId, {
      sources: [{ id: 'dir', kind: 'directory' }],
      folder: { mode: 'dedicated', name: 'FP' },
      neverDelete: true,
    });
    await fleet.resetStats();
    const changed = await fleet.runNow(listId);
    expect(changed).toMatchObject({ status: 'succeeded', itemsCreated: 0, itemsUpdated: 0 });
    const rewritten = (await store.getMapInfo(fleet.tenantId, listId, mailboxId))!;
    expect(rewritten.writtenAt.getTime()).toBeGreaterThan(written.writtenAt.getTime());
    const second = await states();
    expect(second.map((s) => s.mailbox_id)).toEqual(first.map((s) => s.mailbox_id));
    for (const [i, s] of second.entries()) {
      expect(s.applied_fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(s.applied_fingerprint).not.toBe(first[i].applied_fingerprint);
    }
  });
});
