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
});
