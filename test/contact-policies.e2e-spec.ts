import { Fleet, tag, type SimContact, type SimUser } from './support/fleet';

/** Acceptance 9 of the contact engine: each list policy, end to end. */
describe('list policies', () => {
  let fleet: Fleet;
  let people: Array<SimUser & { displayName: string }>;
  let mailbox: string;

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 12, seed: 61 } });
    const users = (await fleet.users()).filter(
      (u) => u.mailbox === 'cloud' && u.licensed !== false && u.purpose === 'user',
    ) as Array<SimUser & { displayName: string }>;
    people = users.slice(0, 3);
    mailbox = users[3].id;
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  /** A list of the three people, pushed to one mailbox. */
  async function list(name: string, settings: Record<string, unknown>): Promise<string> {
    const filter = {
      include: [
        {
          when: [{ type: 'attribute', path: 'id', operator: 'in', value: people.map((p) => p.id) }],
        },
      ],
    };
    return fleet.createList(
      name,
      { sources: [{ id: 'dir', kind: 'directory', filter }], ...settings },
      [{ kind: 'user', mode: 'include', value: mailbox }],
    );
  }
  const ours = async (listId: string) =>
    (await fleet.contacts(mailbox)).filter((c) => tag(c, 'CsListId') === listId);
  const contactOf = async (listId: string, person: SimUser) =>
    (await ours(listId)).find((c) => tag(c, 'CsSourceKey') === `user:${person.id}`);
  const editAsUser = (contact: SimContact, body: Record<string, unknown>) =>
    fleet.graph('PATCH', `/users/${mailbox}/contacts/${contact.id}`, body);
  const changeUser = (person: SimUser, body: Record<string, unknown>) =>
    fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${person.id}`, {
      method: 'PATCH',
      body,
    });

  it('default folder with the list category, or a dedicated folder', async () => {
    const inDefault = await list('Default folder list', {});
    const dedicated = await list('Dedicated list', {
      folder: { mode: 'dedicated', name: 'Company' },
    });
    await fleet.runNow(inDefault);
    await fleet.runNow(dedicated);
    const a = await ours(inDefault);
    const b = await ours(dedicated);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(3);
    expect(new Set(a.map((c) => c.folderName))).toEqual(new Set(['Contacts']));
    expect(a.every((c) => c.categories?.includes('Default folder list'))).toBe(true);
    expect(new Set(b.map((c) => c.folderName))).toEqual(new Set(['Company']));
    expect(b.every((c) => (c.categories ?? []).length === 0)).toBe(true);
  });

  it('overwrites a user edit by default, keeps it with keepUserEdits', async () => {
    const overwrite = await list('Overwrite edits', {
      folder: { mode: 'dedicated', name: 'Overwrite edits' },
    });
    const keep = await list('Keep edits', {
      folder: { mode: 'dedicated', name: 'Keep edits' },
      policy: { keepUserEdits: true },
    });
    await fleet.runNow(overwrite);
    await fleet.runNow(keep);
    await editAsUser((await contactOf(overwrite, people[0]))!, { jobTitle: 'My own title' });
    await editAsUser((await contactOf(keep, people[0]))!, { jobTitle: 'My own title' });
    await fleet.runNow(overwrite);
    await fleet.runNow(keep);
    expect((await contactOf(overwrite, people[0]))!.jobTitle).toBe(
      people[0].user?.jobTitle ?? (await sourceJobTitle(people[0])),
    );
    expect((await contactOf(keep, people[0]))!.jobTitle).toBe('My own title');
  });

  async function sourceJobTitle(person: SimUser): Promise<string> {
    const full = await fleet.simFetch<{ user: { jobTitle: string } }>(
      `/_sim/tenants/${fleet.simTenantId}/users/${person.id}`,
    );
    return full.user.jobTitle;
  }

  it('CLEAR empties a field the source emptied; OVERWRITE keeps it; WRITE fills only empty fields', async () => {
    const clear = await list('Clear policy', {
      folder: { mode: 'dedicated', name: 'Clear policy' },
      policy: { defaultFieldPolicy: 'clear' },
    });
    const overwrite = await list('Overwrite policy', {
      folder: { mode: 'dedicated', name: 'Overwrite policy' },
      policy: { defaultFieldPolicy: 'overwrite' },
    });
    const write = await list('Write policy', {
      folder: { mode: 'dedicated', name: 'Write policy' },
      policy: { defaultFieldPolicy: 'write' },
    });
    for (const l of [clear, overwrite, write]) await fleet.runNow(l);
    const person = people[1];
    const before = (await contactOf(clear, person))!;
    expect(before.department).toBeTruthy();

    // The user types their own office into the WRITE list's copy; the source drops the department.
    await editAsUser((await contactOf(write, person))!, { officeLocation: 'Desk 42' });
    await changeUser(person, { department: null, officeLocation: 'Building 7' });
    for (const l of [clear, overwrite, write]) await fleet.runNow(l);

    expect((await contactOf(clear, person))!.department ?? null).toBeNull();
    expect((await contactOf(overwrite, person))!.department).toBe(before.department);
    expect((await contactOf(overwrite, person))!.officeLocation).toBe('Building 7');
    const written = (await contactOf(write, person))!;
    expect(written.officeLocation).toBe('Desk 42');
    expect(written.department).toBe(before.department);
  });

  it('re-creates a contact the user deleted, or leaves it deleted', async () => {
    const recreate = await list('Recreate', {
      folder: { mode: 'dedicated', name: 'Recreate' },
      recreateDeleted: true,
    });
    const leave = await list('Leave deleted', {
      folder: { mode: 'dedicated', name: 'Leave deleted' },
      recreateDeleted: false,
    });
    await fleet.runNow(recreate);
    await fleet.runNow(leave);
    for (const l of [recreate, leave]) {
      const victim = (await contactOf(l, people[2]))!;
      expect((await fleet.graph('DELETE', `/users/${mailbox}/contacts/${victim.id}`)).status).toBe(
        204,
      );
    }
    await fleet.runNow(recreate);
    await fleet.runNow(leave);
    expect(await contactOf(recreate, people[2])).toBeDefined();
    expect(await contactOf(leave, people[2])).toBeUndefined();
    expect(await ours(leave)).toHaveLength(2);
    // Still left alone on the next run, and the others are kept in step.
    await changeUser(people[0], { jobTitle: 'Changed again' });
    await fleet.runNow(leave);
    expect(await contactOf(leave, people[2])).toBeUndefined();
    expect((await contactOf(leave, people[0]))!.jobTitle).toBe('Changed again');
  });

  it('photos: directory photos reach the contacts once, and a resync uploads nothing', async () => {
    const everyone = (await fleet.users()) as Array<
      SimUser & { hasPhoto?: boolean; displayName: string }
    >;
    const withPhoto = everyone.filter((u) => u.hasPhoto);
    expect(withPhoto.length).toBeGreaterThan(0);
    const filter = {
      include: [
        {
          when: [
            {
              type: 'attribute',
              path: 'id',
              operator: 'in',
              value: [...people.map((p) => p.id), ...withPhoto.map((u) => u.id)],
            },
          ],
        },
      ],
    };
    const listId = await fleet.createList(
      'Photos',
      {
        sources: [{ id: 'dir', kind: 'directory', filter }],
        folder: { mode: 'dedicated', name: 'Photos' },
        photos: true,
      },
      [{ kind: 'user', mode: 'include', value: mailbox }],
    );
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run.status).toBe('succeeded');
    const contacts = (await ours(listId)) as Array<SimContact & { hasPhoto: boolean }>;
    const expectedWithPhoto = new Set(withPhoto.map((u) => `user:${u.id}`));
    for (const c of contacts)
      expect({ key: tag(c, 'CsSourceKey'), hasPhoto: c.hasPhoto }).toEqual({
        key: tag(c, 'CsSourceKey'),
        hasPhoto: expectedWithPhoto.has(tag(c, 'CsSourceKey')!),
      });
    expect(contacts.every((c) => tag(c, 'CsContentHash') !== 'photo-pending')).toBe(true);
    expect((await fleet.stats()).ops['contacts.photo.put'].count).toBe(withPhoto.length);

    await fleet.resetStats();
    const again = await fleet.runNow(listId);
    expect(again).toMatchObject({ status: 'succeeded', itemsCreated: 0, itemsUpdated: 0 });
    const stats = await fleet.stats();
    expect(stats.ops['contacts.photo.put']?.count ?? 0).toBe(0);
    expect(stats.ops['users.photo']?.count ?? 0).toBe(0);
  });

  it('a preview (dry run) reports the plan and writes nothing', async () => {
    const preview = await list('Preview', { folder: { mode: 'dedicated', name: 'Preview' } });
    await fleet.resetStats();
    const run = await fleet.runNow(preview, 'dry_run');
    expect(run).toMatchObject({ status: 'succeeded', mode: 'dry_run', itemsCreated: 3 });
    const stats = await fleet.stats();
    expect(
      ['contacts.create', 'contacts.update', 'contacts.delete', 'contactFolders.create'].map(
        (op) => stats.ops[op]?.count ?? 0,
      ),
    ).toEqual([0, 0, 0, 0]);
    expect(await ours(preview)).toEqual([]);
  });
});
