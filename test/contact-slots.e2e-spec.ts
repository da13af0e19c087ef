import { DIRECTORY_USER_MAPPING } from '@app/domain';
import { Fleet, tag } from './support/fleet';

/**
 * Outlook's fixed contact slots (3 e-mail addresses, 2 business phones, 2 home phones): Graph
 * answers 400 to more, and so does the simulator. A source user with more still syncs, capped.
 */
interface SimUserRow {
  id: string;
  mailbox: string;
  purpose: string;
  licensed: boolean;
  accountEnabled?: boolean;
  userPrincipalName: string;
  mail: string;
  displayName: string;
}

describe('contact slots', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 20, seed: 83 } });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('a source user with 5 e-mail addresses and 4 phones syncs end to end, capped to the slots', async () => {
    // /_sim/…/users answers flat rows (see the simulator's README)
    const users = ((await fleet.users()) as unknown as SimUserRow[]).filter(
      (u) =>
        u.mailbox === 'cloud' && u.licensed && u.purpose === 'user' && u.accountEnabled !== false,
    );
    const [source, target] = [users[1], users[users.length - 1]];
    const domain = source.userPrincipalName.split('@')[1];
    const otherMails = [1, 2, 3, 4].map((i) => `alias${i}@${domain}`);
    const phones = ['+1 425 555 0101', '+1 425 555 0102', '+1 425 555 0103', '+1 425 555 0104'];
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${source.id}`, {
      method: 'PATCH',
      body: { otherMails, businessPhones: phones },
    });
    // the simulator refuses what Graph refuses
    const refused = await fleet.graph<{ error: { message: string } }>(
      'POST',
      `/users/${target.id}/contacts`,
      { givenName: 'Too many', businessPhones: phones },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      'BusinessPhones has 4 entries, that exceeds the max allowed value of 2',
    );

    const listId = await fleet.createList(
      'Many addresses',
      {
        sources: [
          {
            id: 'dir',
            kind: 'directory',
            mapping: {
              ...DIRECTORY_USER_MAPPING,
              fields: {
                ...DIRECTORY_USER_MAPPING.fields,
                emailAddresses: ['mail', 'otherMails'],
              },
            },
          },
          { id: 'csv', kind: 'manual' },
        ],
        folder: { mode: 'dedicated', name: 'Many addresses' },
      },
      [{ kind: 'user', mode: 'include', value: target.id }],
    );
    // a manual row with more of everything, home phones included (directory users have none)
    const homePhones = ['+1 206 555 0111', '+1 206 555 0112', '+1 206 555 0113', '+1 206 555 0114'];
    await fleet.addManualEntries(listId, [
      {
        key: 'many',
        displayName: 'Many Slots',
        emailAddresses: [1, 2, 3, 4, 5].map((i) => `many${i}@slots.example`).join('; '),
        businessPhones: ['+1 312 555 0121', '+1 312 555 0122', '+1 312 555 0123'].join('; '),
        homePhones: homePhones.join('; '),
      },
    ]);
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    const stats = await fleet.stats();
    expect(stats.ops['contacts.create']?.errors ?? 0).toBe(0);
    expect(stats.ops['batch']?.errors ?? 0).toBe(0);

    const pushed = (await fleet.contacts(target.id)).find(
      (c) => tag(c, 'CsListId') === listId && c.displayName === source.displayName,
    );
    expect(pushed).toBeDefined();
    expect(pushed!.emailAddresses).toHaveLength(3);
    expect(pushed!.emailAddresses!.map((e) => e.address.toLowerCase())).toEqual(
      [source.mail, ...otherMails.slice(0, 2)].map((a) => a.toLowerCase()),
    );
    expect(pushed!.businessPhones).toHaveLength(2);
    const manual = (await fleet.contacts(target.id)).find(
      (c) => tag(c, 'CsListId') === listId && c.displayName === 'Many Slots',
    );
    expect(manual!.emailAddresses).toHaveLength(3);
    expect(manual!.businessPhones).toHaveLength(2);
    expect(manual!.homePhones).toEqual(['+12065550111', '+12065550112']);

    // nothing changed: the capped values read back equal, so a resync writes nothing
    const again = await fleet.runNow(listId);
    expect(again).toMatchObject({ status: 'succeeded', itemsCreated: 0, itemsUpdated: 0 });
  });
});
