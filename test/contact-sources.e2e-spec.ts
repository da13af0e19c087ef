import { Fleet, tag, type SimContact } from './support/fleet';

/** The other sources of a list: a source mailbox's contact folder, org contacts, a group. */
describe('list sources', () => {
  let fleet: Fleet;
  let target: string;

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 20, seed: 81 } });
    const users = (await fleet.users()).filter(
      (u) => u.mailbox === 'cloud' && u.licensed !== false && u.purpose === 'user',
    );
    target = users[users.length - 1].id;
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  const ours = async (listId: string) =>
    (await fleet.contacts(target)).filter((c) => tag(c, 'CsListId') === listId);
  const names = (contacts: SimContact[]) => contacts.map((c) => c.displayName).sort();

  it("copies a source mailbox's folder", async () => {
    // The simulator seeds a "Company Directory" folder in the first regular user's mailbox.
    const owners = (await fleet.users()).filter(
      (u) => u.mailbox === 'cloud' && u.purpose === 'user',
    );
    let source: { owner: string; contacts: SimContact[] } | undefined;
    for (const owner of owners) {
      const contacts = (await fleet.contacts(owner.id)).filter(
        (c) => c.folderName === 'Company Directory',
      );
      if (contacts.length > 0) {
        source = { owner: owner.id, contacts };
        break;
      }
    }
    expect(source).toBeDefined();
    const listId = await fleet.createList(
      'From a mailbox',
      {
        sources: [
          {
            id: 'folder',
            kind: 'mailbox-folder',
            mailboxId: source!.owner,
            folderName: 'Company Directory',
          },
        ],
        folder: { mode: 'dedicated', name: 'From a mailbox' },
      },
      [{ kind: 'user', mode: 'include', value: target }],
    );
    const run = await fleet.runNow(listId);
    expect(run.status).toBe('succeeded');
    expect(names(await ours(listId))).toEqual(names(source!.contacts));
  });

  it('copies the organisation contacts', async () => {
    const orgContacts = await fleet.graph<{ value: Array<{ displayName: string }> }>(
      'GET',
      '/contacts?$select=displayName&$top=999',
    );
    expect(orgContacts.body.value.length).toBeGreaterThan(0);
    const listId = await fleet.createList(
      'Org contacts',
      {
        sources: [{ id: 'org', kind: 'org-contact' }],
        folder: { mode: 'dedicated', name: 'Org contacts' },
      },
      [{ kind: 'user', mode: 'include', value: target }],
    );
    expect((await fleet.runNow(listId)).status).toBe('succeeded');
    expect(names(await ours(listId))).toEqual(
      orgContacts.body.value.map((c) => c.displayName).sort(),
    );
  });

  it("copies a group's members, nested groups included", async () => {
    const groups = await fleet.graph<{ value: Array<{ id: string }> }>('GET', '/groups?$select=id');
    let chosen: { id: string; members: string[] } | undefined;
    for (const group of groups.body.value) {
      // an OData cast on members is an advanced query (ConsistencyLevel + $count=true)
      const members = await fleet.graph<{ value: Array<{ displayName: string }> }>(
        'GET',
        `/groups/${group.id}/transitiveMembers/microsoft.graph.user?$select=displayName&$top=999&$count=true`,
        undefined,
        { ConsistencyLevel: 'eventual' },
      );
      if (members.body.value.length >= 2) {
        chosen = { id: group.id, members: members.body.value.map((m) => m.displayName) };
        break;
      }
    }
    expect(chosen).toBeDefined();
    const listId = await fleet.createList(
      'Group members',
      {
        sources: [{ id: 'grp', kind: 'group', groupId: chosen!.id }],
        folder: { mode: 'dedicated', name: 'Group members' },
      },
      [{ kind: 'user', mode: 'include', value: target }],
    );
    expect((await fleet.runNow(listId)).status).toBe('succeeded');
    expect(names(await ours(listId))).toEqual(
      chosen!.members.map((n) => n.trim().replace(/\s+/g, ' ')).sort(),
    );
  });
});
