import { createHash, randomBytes } from 'node:crypto';
import { Fleet, tag, type SimContact, type SimUser } from './support/fleet';

type PhotoContact = SimContact & {
  hasPhoto: boolean;
  photoContentType?: string;
  photoSha256?: string;
};

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Bytes that are a JPEG, a PNG, a GIF by their signature (the rest is noise). */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(64)]);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(64)]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), randomBytes(64)]);

/** Issue #19, acceptance 3: a source user's photo is added, changed and removed in every mailbox. */
describe('photos follow the source', () => {
  let fleet: Fleet;
  let listId: string;
  let people: SimUser[];
  let mailboxes: string[];

  const setPhoto = (userId: string, bytes: Buffer | null, contentType = '') =>
    fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${userId}/photo`, {
      method: bytes ? 'PUT' : 'DELETE',
      body: bytes ? { base64: bytes.toString('base64'), contentType } : undefined,
    });
  const ours = async (mailboxId: string) =>
    ((await fleet.contacts(mailboxId)) as PhotoContact[]).filter(
      (c) => tag(c, 'CsListId') === listId,
    );
  /** Per mailbox, the contacts of `person` (there must be exactly one). */
  const copiesOf = async (person: SimUser) => {
    const out: PhotoContact[] = [];
    for (const m of mailboxes) {
      const copies = (await ours(m)).filter((c) => tag(c, 'CsSourceKey') === `user:${person.id}`);
      expect({ mailbox: m, copies: copies.length }).toEqual({ mailbox: m, copies: 1 });
      out.push(copies[0]);
    }
    return out;
  };
  const photoOf = (c: PhotoContact) => ({
    hasPhoto: c.hasPhoto,
    type: c.photoContentType,
    sha: c.photoSha256,
  });

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 24, seed: 19 } });
    const users = (await fleet.users()).filter(
      (u) => u.mailbox === 'cloud' && u.licensed !== false && u.purpose === 'user',
    );
    people = users.slice(0, 3);
    mailboxes = users.slice(3, 6).map((u) => u.id);
    await setPhoto(people[0].id, JPEG, 'image/jpeg');
    await setPhoto(people[1].id, null);
    await setPhoto(people[2].id, PNG, 'image/png');
    listId = await fleet.createList(
      'Photos',
      {
        sources: [
          {
            id: 'dir',
            kind: 'directory',
            filter: {
              include: [
                {
                  when: [
                    {
                      type: 'attribute',
                      path: 'id',
                      operator: 'in',
                      value: people.map((p) => p.id),
                    },
                  ],
                },
              ],
            },
          },
        ],
        folder: { mode: 'dedicated', name: 'Photos' },
        photos: true,
      },
      mailboxes.map((m) => ({ kind: 'user', mode: 'include', value: m })),
    );
    const first = await fleet.runNow(listId);
    expect(first).toMatchObject({ status: 'succeeded', itemsCreated: 3 * mailboxes.length });
  }, 120_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('the first run puts each photo with the type its bytes are', async () => {
    for (const c of await copiesOf(people[0]))
      expect(photoOf(c)).toEqual({ hasPhoto: true, type: 'image/jpeg', sha: sha(JPEG) });
    for (const c of await copiesOf(people[1])) expect(c.hasPhoto).toBe(false);
    for (const c of await copiesOf(people[2]))
      expect(photoOf(c)).toEqual({ hasPhoto: true, type: 'image/png', sha: sha(PNG) });
  });

  it('an added photo and a changed photo reach every mailbox in one run, on the same contacts', async () => {
    const before0 = (await copiesOf(people[0])).map((c) => c.id);
    const before1 = (await copiesOf(people[1])).map((c) => c.id);
    await setPhoto(people[1].id, GIF, 'image/gif');
    // The new photo is a PNG where a JPEG was, and the directory still calls it a JPEG: the
    // type sent follows the bytes, not what the source says.
    const changed = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(80)]);
    await setPhoto(people[0].id, changed, 'image/jpeg');
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsDeleted: 0,
      itemsUpdated: 2 * mailboxes.length,
    });
    const copies1 = await copiesOf(people[1]);
    for (const c of copies1)
      expect(photoOf(c)).toEqual({ hasPhoto: true, type: 'image/gif', sha: sha(GIF) });
    const copies0 = await copiesOf(people[0]);
    for (const c of copies0)
      expect(photoOf(c)).toEqual({ hasPhoto: true, type: 'image/png', sha: sha(changed) });
    expect(copies0.map((c) => c.id)).toEqual(before0);
    expect(copies1.map((c) => c.id)).toEqual(before1);
    const stats = await fleet.stats();
    expect(stats.ops['contacts.photo.put']?.count).toBe(2 * mailboxes.length);
    expect(stats.ops['contacts.create']?.count ?? 0).toBe(0);
  });

  it('a removed photo: each contact is re-created without it, once, and the map follows', async () => {
    const before = await copiesOf(people[2]);
    const others = async () =>
      (await Promise.all(mailboxes.map(ours)))
        .flat()
        .filter((c) => tag(c, 'CsSourceKey') !== `user:${people[2].id}`)
        .map((c) => c.id)
        .sort();
    const othersBefore = await others();
    await setPhoto(people[2].id, null);
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    // One update per mailbox to the admin; underneath, a create then a delete.
    expect(run).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsDeleted: 0,
      itemsUpdated: mailboxes.length,
    });
    const after = await copiesOf(people[2]);
    for (const [i, c] of after.entries()) {
      expect(c.hasPhoto).toBe(false);
      expect(c.id).not.toBe(before[i].id);
      expect(c.displayName).toBe(before[i].displayName);
      expect(tag(c, 'CsContentHash')).not.toBe(tag(before[i], 'CsContentHash'));
    }
    expect(await others()).toEqual(othersBefore);
    const stats = await fleet.stats();
    expect(stats.ops['contacts.create']?.count).toBe(mailboxes.length);
    expect(stats.ops['contacts.delete']?.count).toBe(mailboxes.length);
    expect(stats.ops['contacts.photo.put']?.count ?? 0).toBe(0);

    // The map knows the new items: the next run writes nothing.
    await fleet.resetStats();
    const again = await fleet.runNow(listId);
    expect(again).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsUpdated: 0,
      itemsDeleted: 0,
    });
    const quiet = await fleet.stats();
    for (const op of [
      'contacts.create',
      'contacts.update',
      'contacts.delete',
      'contacts.photo.put',
    ])
      expect([op, quiet.ops[op]?.count ?? 0]).toEqual([op, 0]);
  });

  it('Graph has no delete for a contact photo: the simulator answers 405 as Graph does', async () => {
    const [c] = await copiesOf(people[0]);
    const res = await fleet.graph('DELETE', `/users/${mailboxes[0]}/contacts/${c.id}/photo/$value`);
    expect(res.status).toBe(405);
    expect(photoOf((await copiesOf(people[0]))[0]).hasPhoto).toBe(true);
  });
});
