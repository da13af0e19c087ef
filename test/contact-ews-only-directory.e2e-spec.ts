import { ewsDirectoryId } from '@app/microsoft';
import { Fleet, tag, type SimUser } from './support/fleet';

// An EWS-only organisation's directory (the GAL through FindPeople, ADR 0047) for what the
// acceptance body does not cover: a filter target on a field the GAL gives, the GAL's mail
// contacts as the organisational-contact source, and group targets through ExpandDL.
describe('EWS-only organisation: targets and sources from the Global Address List', () => {
  let fleet: Fleet;
  let plant: SimUser[];

  const errorOf = async (runId: string) =>
    (
      (await fleet.dataSource.query(
        `SELECT status, error_code, error_message FROM sync_run WHERE id = '${runId}'`,
      )) as Array<{ status: string; error_code: string | null; error_message: string | null }>
    )[0];

  beforeAll(async () => {
    fleet = await Fleet.start({ ewsOnly: true });
    for (const name of ['Ola Plant', 'Per Plant'])
      await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users`, {
        method: 'POST',
        body: {
          displayName: name,
          mail: `${name.toLowerCase().replace(' ', '.')}@fabrikam.example`,
          department: 'Plant Operations',
        },
      });
    plant = (await fleet.users()).filter((u) => u.mail?.endsWith('@fabrikam.example'));
    expect(plant.map((u) => u.mailbox)).toEqual(['onprem', 'onprem']);
  }, 120_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('a filter target on department reaches exactly the GAL mailboxes of that department', async () => {
    const listId = await fleet.createList(
      'Plant directory',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [
        {
          kind: 'filter',
          mode: 'include',
          value: JSON.stringify({
            include: [
              {
                when: [
                  {
                    type: 'attribute',
                    path: 'department',
                    operator: 'equals',
                    value: 'Plant Operations',
                  },
                ],
              },
            ],
          }),
        },
      ],
    );
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesTotal: 2, mailboxesFailed: 0 });
    const states = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    )) as Array<{ mailbox_id: string }>;
    expect(states.map((s) => s.mailbox_id).sort()).toEqual(
      plant.map((u) => ewsDirectoryId(u.mail!)).sort(),
    );
    const items = (await fleet.contacts(plant[0].id)).filter((c) => tag(c, 'CsListId') === listId);
    expect(items.map((c) => c.displayName)).toEqual(expect.arrayContaining(['Per Plant']));
  });

  it("the GAL's mail contacts are the organisational-contact source", async () => {
    const listId = await fleet.createList(
      'Partners',
      { sources: [{ id: 'org', kind: 'org-contact' }] },
      [{ kind: 'user', mode: 'include', value: ewsDirectoryId(plant[0].mail!) }],
    );
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesTotal: 1 });
    expect(run.itemsCreated).toBeGreaterThan(0);
  });

  it('a group target reaches the mailboxes of a GAL distribution group, nested ones included', async () => {
    const groups = await fleet.simFetch<
      Array<{
        id: string;
        mail: string;
        memberUserIds: string[];
        memberGroupIds: string[];
      }>
    >(`/_sim/tenants/${fleet.simTenantId}/groups`);
    const users = await fleet.users();
    const byId = new Map(groups.map((g) => [g.id, g]));
    const nested = groups.find((g) => g.memberGroupIds.length > 0)!;
    const expected = new Set<string>();
    const walk = (g: (typeof groups)[number], seen: Set<string>) => {
      for (const id of g.memberUserIds) {
        const u = users.find((x) => x.id === id);
        if (u?.mail && u.mailbox !== 'none') expected.add(ewsDirectoryId(u.mail));
      }
      for (const id of g.memberGroupIds) if (!seen.has(id)) walk(byId.get(id)!, seen.add(id));
    };
    walk(nested, new Set([nested.id]));
    const groupId = ewsDirectoryId(nested.mail);
    const listId = await fleet.createList(
      'By group',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'group', mode: 'include', value: groupId }],
    );
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    const states = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}'`,
    )) as Array<{ mailbox_id: string }>;
    expect(states.map((s) => s.mailbox_id).sort()).toEqual([...expected].sort());
  });

  it('a group the GAL does not hold fails the run at once with EWS_DIRECTORY_UNSUPPORTED and a sentence; nothing is written', async () => {
    const listId = await fleet.createList(
      'By a lost group',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'group', mode: 'include', value: '11111111-2222-4333-8444-555555555555' }],
    );
    await fleet.resetStats();
    const run = await fleet.runNow(listId);
    expect(await errorOf(run.id)).toMatchObject({
      status: 'failed',
      error_code: 'EWS_DIRECTORY_UNSUPPORTED',
      error_message: expect.stringMatching(/mail-enabled/),
    });
    const stats = (await fleet.stats()) as unknown as { ops: Record<string, { count: number }> };
    expect(stats.ops['ews.CreateItem']?.count ?? 0).toBe(0);
    // One plan, not retried: one read of the GAL for the users, one more to look the group up.
    expect(stats.ops['ews.FindPeople']?.count).toBe(2);
  });
});
