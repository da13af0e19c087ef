import { AdminHarness, type Browser } from './support/admin-harness';
import { DIRECTORY_SETTINGS, graphAsApp, ourItems, simControl, waitRun } from './support/admin-sim';

interface SimMailbox {
  defaultContactFolderId: string;
  contactFolders: Array<{ id: string; displayName: string; parentFolderId: string }>;
  contacts: Array<{
    id: string;
    folderId: string;
    categories?: string[];
    singleValueExtendedProperties?: Array<{ id: string; value: string }>;
  }>;
}

interface RunView {
  status: string;
  items: { created: number; updated: number; deleted: number };
  mailboxes: { total: number; succeeded: number; failed: number };
}

interface MailboxPlan {
  mailboxId: string;
  counts: { created: number; updated: number; deleted: number } | null;
  changes: Array<{ action: string; sourceKey: string; itemId?: string; reason?: string }>;
  truncated: boolean;
}

const MAILBOXES = 6;

describe('a list’s folder follows its settings in every mailbox', () => {
  let h: AdminHarness;

  beforeAll(async () => {
    h = await AdminHarness.start({ worker: true, sim: { tenants: 1, usersPerTenant: 16 } });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  async function mailbox(tid: string, userId: string): Promise<SimMailbox> {
    const res = await h
      .browser()
      .request<SimMailbox>('GET', `${h.sim.baseUrl}/_sim/tenants/${tid}/users/${userId}/mailbox`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function sync(admin: Browser, listId: string): Promise<RunView> {
    const started = await admin.request<{ runId: string }>('POST', `/api/lists/${listId}/sync`);
    expect(started.status).toBe(202);
    const run = await waitRun<RunView>(admin, started.body.runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      mailboxes: { total: MAILBOXES, succeeded: MAILBOXES, failed: 0 },
    });
    return run;
  }

  async function preview(
    admin: Browser,
    listId: string,
  ): Promise<
    RunView & { mailboxOutcomes: Array<{ lastMessage: string }>; plan: Map<string, MailboxPlan> }
  > {
    const started = await admin.request<{ runId: string }>('POST', `/api/lists/${listId}/preview`);
    expect(started.status).toBe(202);
    const run = await waitRun<RunView>(admin, started.body.runId);
    expect(run).toMatchObject({ status: 'succeeded', mailboxes: { succeeded: MAILBOXES } });
    // Per-mailbox outcomes come paged from their own route.
    const page = await admin.request<{ items: Array<{ message: string | null }> }>(
      'GET',
      `/api/runs/${started.body.runId}/mailboxes?limit=100`,
    );
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(MAILBOXES);
    // And what the admin reads as the plan: per mailbox, which items are created and deleted.
    const plan = await admin.request<{ mailboxes: { items: MailboxPlan[]; total: number } }>(
      'GET',
      `/api/runs/${started.body.runId}/preview?limit=100`,
    );
    expect(plan.status).toBe(200);
    expect(plan.body.mailboxes.total).toBe(MAILBOXES);
    return {
      ...run,
      mailboxOutcomes: page.body.items.map((o) => ({ lastMessage: o.message ?? '' })),
      plan: new Map(plan.body.mailboxes.items.map((m) => [m.mailboxId, m])),
    };
  }

  async function setFolder(admin: Browser, listId: string, folder: Record<string, string>) {
    const res = await admin.request('PATCH', `/api/lists/${listId}`, {
      body: { settings: { ...DIRECTORY_SETTINGS, folder } },
    });
    expect(res.status).toBe(200);
  }

  /** Where our items are in a mailbox: folder id → our item ids (sorted), and their categories. */
  function placement(mb: SimMailbox) {
    const byFolder: Record<string, string[]> = {};
    const ours = ourItems(mb.contacts) as SimMailbox['contacts'];
    for (const c of ours) (byFolder[c.folderId] ??= []).push(c.id);
    for (const ids of Object.values(byFolder)) ids.sort();
    return { byFolder, categories: new Set(ours.flatMap((c) => c.categories ?? [])) };
  }

  /** The top-level folder of that name under the default Contacts folder (where ours live). */
  function folderNamed(mb: SimMailbox, name: string) {
    return mb.contactFolders.find(
      (f) => f.displayName === name && f.parentFolderId === mb.defaultContactFolderId,
    );
  }

  it('moves from default + category to a dedicated folder, renames it in place, and re-creates a folder the user deleted', async () => {
    const t = h.tenant(0);
    const admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    const users = [...h.sim.state.tenants[0].users.values()]
      .filter(
        (u) =>
          u.mailbox === 'cloud' &&
          u.purpose === 'user' &&
          !u.deleted &&
          u.user.accountEnabled === true &&
          (u.user.assignedLicenses ?? []).length > 0,
      )
      .slice(0, MAILBOXES)
      .map((u) => u.user.id);
    expect(users).toHaveLength(MAILBOXES);

    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: {
        name: 'Company',
        settings: { ...DIRECTORY_SETTINGS, folder: { mode: 'default', category: 'Company' } },
      },
    });
    expect(list.status).toBe(201);
    const listId = list.body.id;
    for (const id of users)
      expect(
        (
          await admin.request('POST', `/api/lists/${listId}/targets`, {
            body: { kind: 'user', id },
          })
        ).status,
      ).toBe(201);
    // Each user has a contact of their own in the default folder.
    const own = new Map<string, string>();
    for (const id of users) {
      const res = await graphAsApp<{ id: string }>(h, t.id, 'POST', `/users/${id}/contacts`, {
        displayName: 'My dentist',
      });
      expect(res.status).toBe(201);
      own.set(id, res.body.id);
    }

    const first = await sync(admin, listId);
    const perMailbox = first.items.created / MAILBOXES;
    expect(perMailbox).toBeGreaterThan(0);
    for (const id of users) {
      const mb = await mailbox(t.id, id);
      const p = placement(mb);
      expect(Object.keys(p.byFolder)).toEqual([mb.defaultContactFolderId]);
      expect(p.byFolder[mb.defaultContactFolderId]).toHaveLength(perMailbox);
      expect([...p.categories]).toEqual(['Company']);
    }

    // Default folder + category → a dedicated folder: re-created there, deleted from the default.
    await setFolder(admin, listId, { mode: 'dedicated', name: 'Staff directory' });
    // The preview says so, per mailbox, and writes nothing (no folder either).
    const movePreview = await preview(admin, listId);
    expect(movePreview.items).toEqual({
      created: perMailbox * MAILBOXES,
      updated: 0,
      deleted: perMailbox * MAILBOXES,
    });
    for (const o of movePreview.mailboxOutcomes)
      expect(o.lastMessage).toMatch(/^would move the list to the folder "Staff directory"/);
    expect(folderNamed(await mailbox(t.id, users[0]), 'Staff directory')).toBeUndefined();
    // Item by item: every item of ours in the default folder is deleted, each source key created.
    expect(perMailbox * 2).toBeLessThanOrEqual(50); // the whole plan fits the sample
    const plannedDeletes = new Map<string, string[]>();
    for (const id of users) {
      const mb = await mailbox(t.id, id);
      const planned = movePreview.plan.get(id)!;
      expect(planned).toMatchObject({
        counts: { created: perMailbox, updated: 0, deleted: perMailbox },
        truncated: false,
      });
      const deleted = planned.changes.filter((c) => c.action === 'delete');
      expect(new Set(deleted.map((c) => c.reason))).toEqual(new Set(['moved']));
      const deletes = deleted.map((c) => c.itemId!);
      expect([id, deletes.sort()]).toEqual([id, placement(mb).byFolder[mb.defaultContactFolderId]]);
      const creates = planned.changes.filter((c) => c.action === 'create').map((c) => c.sourceKey);
      expect(new Set(creates).size).toBe(perMailbox);
      plannedDeletes.set(id, deletes);
    }
    const moved = await sync(admin, listId);
    expect(moved.items).toEqual({
      created: perMailbox * MAILBOXES,
      updated: 0,
      deleted: perMailbox * MAILBOXES,
    });
    const folderIds = new Map<string, string>();
    const itemIds = new Map<string, string[]>();
    for (const id of users) {
      const mb = await mailbox(t.id, id);
      const folder = folderNamed(mb, 'Staff directory');
      expect(folder).toBeDefined();
      const p = placement(mb);
      expect(Object.keys(p.byFolder)).toEqual([folder!.id]);
      expect(p.byFolder[folder!.id]).toHaveLength(perMailbox);
      expect(p.categories.size).toBe(0);
      expect(mb.contacts.find((c) => c.id === own.get(id))?.folderId).toBe(
        mb.defaultContactFolderId,
      );
      // The run deleted exactly the items the preview named.
      for (const gone of plannedDeletes.get(id)!)
        expect(mb.contacts.some((c) => c.id === gone)).toBe(false);
      folderIds.set(id, folder!.id);
      itemIds.set(id, p.byFolder[folder!.id]);
    }

    // A new name is a rename of the folder: the same folder and items, nothing re-created.
    await setFolder(admin, listId, { mode: 'dedicated', name: 'Staff and partners' });
    const renamePreview = await preview(admin, listId);
    expect(renamePreview.items).toEqual({ created: 0, updated: 0, deleted: 0 });
    for (const o of renamePreview.mailboxOutcomes)
      expect(o.lastMessage).toMatch(/^would rename the folder to "Staff and partners"/);
    for (const id of users)
      expect(renamePreview.plan.get(id)).toMatchObject({
        counts: { created: 0, updated: 0, deleted: 0 },
        changes: [],
      });
    const renamed = await sync(admin, listId);
    expect(renamed.items).toEqual({ created: 0, updated: 0, deleted: 0 });
    for (const id of users) {
      const mb = await mailbox(t.id, id);
      const folder = folderNamed(mb, 'Staff and partners');
      expect(folder?.id).toBe(folderIds.get(id));
      expect(folderNamed(mb, 'Staff directory')).toBeUndefined();
      expect(placement(mb).byFolder).toEqual({ [folder!.id]: itemIds.get(id) });
    }

    // A sync with nothing to do costs each mailbox one look at its folder and one delta request.
    await simControl(h, 'DELETE', '/stats');
    expect((await sync(admin, listId)).items).toEqual({ created: 0, updated: 0, deleted: 0 });
    const stats = (await simControl(h, 'GET', '/stats')) as {
      total: number;
      ops: Record<string, { count: number }>;
    };
    // The rest is the plan's one directory request (users delta), not per mailbox.
    const perMailboxOps = Object.fromEntries(
      Object.entries(stats.ops)
        .filter(([op]) => op.startsWith('contact'))
        .map(([op, v]) => [op, v.count]),
    );
    expect(perMailboxOps).toEqual({
      'contactFolders.list': MAILBOXES,
      'contacts.delta': MAILBOXES,
    });
    expect(stats.total).toBe(2 * MAILBOXES + 1);

    // Users delete the folder as Outlook does: one to Deleted Items, one for good.
    const [trashed, purged] = users;
    expect(
      (
        await graphAsApp(
          h,
          t.id,
          'DELETE',
          `/users/${trashed}/contactFolders/${folderIds.get(trashed)}`,
        )
      ).status,
    ).toBe(204);
    const inTrash = await graphAsApp<{ parentFolderId: string }>(
      h,
      t.id,
      'GET',
      `/users/${trashed}/contactFolders/${folderIds.get(trashed)}`,
    );
    expect(inTrash.status).toBe(200); // its id still resolves, in Deleted Items
    expect(inTrash.body.parentFolderId).not.toBe(
      (await mailbox(t.id, trashed)).defaultContactFolderId,
    );
    expect(
      (
        await graphAsApp(
          h,
          t.id,
          'POST',
          `/users/${purged}/contactFolders/${folderIds.get(purged)}/permanentDelete`,
        )
      ).status,
    ).toBe(204);
    expect(
      (await graphAsApp(h, t.id, 'GET', `/users/${purged}/contactFolders/${folderIds.get(purged)}`))
        .status,
    ).toBe(404);

    const refilled = await sync(admin, listId);
    // Created in both; deleted: our items left in the trashed folder (the purged one had none).
    expect(refilled.items).toEqual({ created: perMailbox * 2, updated: 0, deleted: perMailbox });
    for (const id of users) {
      const mb = await mailbox(t.id, id);
      const folder = folderNamed(mb, 'Staff and partners');
      expect(folder).toBeDefined();
      const byFolder = placement(mb).byFolder;
      expect(byFolder[folder!.id]).toHaveLength(perMailbox);
      if (id === trashed || id === purged) {
        expect(folder!.id).not.toBe(folderIds.get(id));
        // Our items left in the deleted folder are gone too; the folder stays in Deleted Items.
        expect(Object.keys(byFolder)).toEqual([folder!.id]);
        if (id === trashed) expect(mb.contactFolders.map((f) => f.id)).toContain(folderIds.get(id));
      } else {
        expect(byFolder).toEqual({ [folder!.id]: itemIds.get(id) });
      }
      expect(mb.contacts.some((c) => c.id === own.get(id))).toBe(true);
    }

    // And back to the default folder with a category: re-created there, the folder emptied —
    // creates first: in a mailbox where one create fails, nothing is deleted from the old folder.
    await setFolder(admin, listId, { mode: 'default', category: 'Colleagues' });
    const unlucky = users[2];
    const unluckyDefault = (await mailbox(t.id, unlucky)).defaultContactFolderId;
    await simControl(h, 'PUT', '/faults', {
      subRequestBurst: {
        status: 500,
        count: 1,
        pathPrefix: `/users/${unlucky}/contactFolders/${unluckyDefault}/contacts`,
      },
    });
    let partial: RunView;
    try {
      const started = await admin.request<{ runId: string }>('POST', `/api/lists/${listId}/sync`);
      partial = await waitRun<RunView>(admin, started.body.runId);
    } finally {
      await simControl(h, 'DELETE', '/faults');
    }
    expect(partial).toMatchObject({
      status: 'partial',
      mailboxes: { succeeded: MAILBOXES - 1, failed: 1 },
    });
    const halfway = placement(await mailbox(t.id, unlucky)).byFolder;
    expect(halfway[unluckyDefault]).toHaveLength(perMailbox - 1);
    expect(halfway[folderIds.get(unlucky)!]).toEqual(itemIds.get(unlucky));
    // The next run finishes the move where it stopped.
    const back = await sync(admin, listId);
    expect(back.items).toEqual({ created: 1, updated: 0, deleted: perMailbox });
    for (const id of users) {
      const mb = await mailbox(t.id, id);
      const p = placement(mb);
      const inDefault = p.byFolder[mb.defaultContactFolderId];
      expect(inDefault).toHaveLength(perMailbox);
      expect(Object.keys(p.byFolder)).toEqual([mb.defaultContactFolderId]);
      expect([...p.categories]).toEqual(['Colleagues']);
      itemIds.set(id, inDefault);
    }

    // A category change in the default folder: the same items get the new category.
    await setFolder(admin, listId, { mode: 'default', category: 'Company people' });
    const recategorised = await sync(admin, listId);
    expect(recategorised.items).toEqual({
      created: 0,
      updated: perMailbox * MAILBOXES,
      deleted: 0,
    });
    for (const id of users) {
      const mb = await mailbox(t.id, id);
      const p = placement(mb);
      expect(p.byFolder).toEqual({ [mb.defaultContactFolderId]: itemIds.get(id) });
      expect([...p.categories]).toEqual(['Company people']);
    }
  }, 180_000);
});
