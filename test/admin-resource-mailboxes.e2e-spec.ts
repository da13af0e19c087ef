import { AdminHarness, type Browser } from './support/admin-harness';
import {
  ourItems,
  runOutcomes,
  simContacts,
  waitRun,
  type RunMailboxOutcome,
} from './support/admin-sim';

interface Run {
  status: string;
  mailboxOutcomes: RunMailboxOutcome[];
}

/**
 * Issue #19: room and equipment mailboxes (no licence in Exchange Online, sign-in blocked) and
 * shared mailboxes receive a list when the admin says so (`includeResourceMailboxes`,
 * `includeSharedMailboxes`), and lose our items again when the admin takes that back.
 */
describe('Room, equipment and shared mailboxes as targets', () => {
  let h: AdminHarness;
  let admin: Browser;
  let tid: string;
  let listId: string;
  let room: string;
  let equipment: string;
  let shared: string;
  let regular: string;

  beforeAll(async () => {
    h = await AdminHarness.start({ worker: true });
    const t = h.tenant(0);
    tid = t.id;
    admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    const users = [...h.sim.state.tenants[0].users.values()].filter((u) => !u.deleted);
    room = users.find((u) => u.purpose === 'room' && u.mailbox === 'cloud')!.user.id;
    shared = users.find((u) => u.purpose === 'shared' && u.mailbox === 'cloud')!.user.id;
    regular = users.find(
      (u) =>
        u.purpose === 'user' &&
        u.mailbox === 'cloud' &&
        u.user.accountEnabled !== false &&
        (u.user.assignedLicenses ?? []).length > 0,
    )!.user.id;
    // An equipment mailbox as Exchange Online makes one: sign-in blocked, no licence.
    const projector = await h
      .browser()
      .request<{ id: string }>('POST', `${h.sim.baseUrl}/_sim/tenants/${tid}/users`, {
        body: {
          displayName: 'Projector 3',
          mailNickname: 'projector3',
          accountEnabled: false,
          assignedLicenses: [],
          purpose: 'equipment',
        },
      });
    expect(projector.status).toBe(201);
    equipment = projector.body.id;
    for (const id of [room, shared, equipment])
      expect(h.sim.state.tenants[0].users.get(id)!.user.assignedLicenses).toEqual([]);

    listId = (
      await admin.request<{ id: string }>('POST', '/api/lists', {
        body: { name: 'Reception', settings: { sources: [{ id: 'm', kind: 'manual' }] } },
      })
    ).body.id;
    for (const [name, email] of [
      ['Front Desk', 'desk@contoso.example'],
      ['Facilities', 'facilities@contoso.example'],
    ])
      expect(
        (
          await admin.request('POST', `/api/lists/${listId}/entries`, {
            body: { fields: { displayName: name, emailAddresses: email } },
          })
        ).status,
      ).toBe(201);
    expect(
      (await admin.request('POST', `/api/lists/${listId}/targets`, { body: { kind: 'all' } }))
        .status,
    ).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  const settings = async (changes: Record<string, boolean>) => {
    const list = await admin.request<{ settings: Record<string, unknown> }>(
      'GET',
      `/api/lists/${listId}`,
    );
    const res = await admin.request('PATCH', `/api/lists/${listId}`, {
      body: { settings: { ...list.body.settings, ...changes } },
    });
    expect(res.status).toBe(200);
  };
  const sync = async () => {
    const started = await admin.request<{ runId: string }>('POST', `/api/lists/${listId}/sync`);
    expect(started.status).toBe(202);
    const run = await waitRun<{ status: string }>(admin, started.body.runId, 120_000);
    return { ...run, mailboxOutcomes: await runOutcomes(admin, started.body.runId) };
  };
  const held = async (mailboxId: string) =>
    ourItems(await simContacts(h, tid, mailboxId))
      .map((c) => c.displayName)
      .sort();
  const outcome = (run: Run, mailboxId: string) =>
    run.mailboxOutcomes.find((o) => o.mailboxId === mailboxId);
  const LIST = ['Facilities', 'Front Desk'];

  it('by default, only user mailboxes receive the list', async () => {
    const run = await sync();
    expect(run.status).toBe('succeeded');
    expect(await held(regular)).toEqual(LIST);
    for (const id of [room, equipment, shared]) {
      expect([id, await held(id)]).toEqual([id, []]);
      expect(outcome(run, id)).toBeUndefined();
    }
  });

  it('with includeResourceMailboxes, rooms and equipment receive it; shared mailboxes still do not', async () => {
    await settings({ includeResourceMailboxes: true });
    const run = await sync();
    expect(run.status).toBe('succeeded');
    expect(await held(room)).toEqual(LIST);
    expect(await held(equipment)).toEqual(LIST);
    expect(await held(shared)).toEqual([]);
    expect(outcome(run, shared)).toMatchObject({ code: 'SHARED_MAILBOX_EXCLUDED' });
    expect(await held(regular)).toEqual(LIST);
  });

  it('with includeSharedMailboxes, shared mailboxes receive it too', async () => {
    await settings({ includeSharedMailboxes: true });
    const run = await sync();
    expect(run.status).toBe('succeeded');
    for (const id of [room, equipment, shared, regular])
      expect([id, await held(id)]).toEqual([id, LIST]);
  });

  it('taking resource mailboxes back out removes our items from them, and only from them', async () => {
    await settings({ includeResourceMailboxes: false });
    const run = await sync();
    expect(run.status).toBe('succeeded');
    expect(await held(room)).toEqual([]);
    expect(await held(equipment)).toEqual([]);
    expect(outcome(run, room)).toMatchObject({ code: 'RESOURCE_MAILBOX' });
    expect(await held(shared)).toEqual(LIST);
    expect(await held(regular)).toEqual(LIST);
    // The next run leaves them alone (no clean-up again, nothing written).
    const again = await sync();
    expect(again.status).toBe('succeeded');
    expect(await held(room)).toEqual([]);
    expect(outcome(again, room)).toMatchObject({ code: 'RESOURCE_MAILBOX' });
  });
});
