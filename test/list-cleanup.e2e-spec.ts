import { LOG_STORE, type LogStore } from '@app/logstore';
import { AdminHarness, type Browser } from './support/admin-harness';
import {
  DIRECTORY_SETTINGS,
  graphAsApp,
  ourItems,
  simContacts,
  simControl,
  waitRun,
  type SimContact,
} from './support/admin-sim';

interface ListCleanup {
  listId: string;
  name: string;
  state: 'requested' | 'cleaning' | 'failed' | 'done';
  attempt: number;
  runId: string | null;
  runStatus: string | null;
  mailboxes: { total: number; cleaned: number; remaining: number; failed: number };
  itemsDeleted: number;
  error: { code: string; message: string } | null;
}

const MAILBOXES = 20;

/** Our items of one list in a mailbox (by the CsListId tag's value). */
function itemsOf(contacts: SimContact[], listId: string): SimContact[] {
  return contacts.filter((c) =>
    (c.singleValueExtendedProperties ?? []).some(
      (p) => /Name CsListId$/i.test(p.id) && p.value === listId,
    ),
  );
}

/** Polls a deleted list's clean-up through the API until `until` accepts its state. */
async function waitListCleanup(
  b: Browser,
  listId: string,
  until: (state: string) => boolean = (s) => s === 'done' || s === 'failed',
  timeoutMs = 60_000,
): Promise<ListCleanup> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await b.request<ListCleanup>('GET', `/api/list-cleanups/${listId}`);
    expect(r.status).toBe(200);
    if (until(r.body.state)) return r.body;
    if (Date.now() > deadline) throw new Error(`clean-up stayed ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('deleting a list removes exactly its items from every mailbox it wrote to', () => {
  let h: AdminHarness;

  beforeAll(async () => {
    h = await AdminHarness.start({ worker: true, sim: { tenants: 3, usersPerTenant: 32 } });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  /** 20 users of the tenant with a cloud user mailbox, licensed and enabled. */
  function mailboxUsers(index: number): string[] {
    const users = [...h.sim.state.tenants[index].users.values()].filter(
      (u) =>
        u.mailbox === 'cloud' &&
        u.purpose === 'user' &&
        !u.deleted &&
        u.user.accountEnabled === true &&
        (u.user.assignedLicenses ?? []).length > 0,
    );
    expect(users.length).toBeGreaterThanOrEqual(MAILBOXES);
    return users.slice(0, MAILBOXES).map((u) => u.user.id);
  }

  async function onboard(index: number) {
    const t = h.tenant(index);
    const admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    const rows = (await h.dataSource.query('SELECT id FROM tenant WHERE azure_tenant_id = ?', [
      t.id,
    ])) as Array<{ id: string }>;
    return { t, admin, tenantId: rows[0].id, mailboxes: mailboxUsers(index) };
  }

  /** A directory list pushed to the mailboxes (one user target each); its run succeeded. */
  async function pushList(admin: Browser, name: string, mailboxes: string[]): Promise<string> {
    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: { name, settings: DIRECTORY_SETTINGS },
    });
    expect(list.status).toBe(201);
    for (const id of mailboxes)
      expect(
        (
          await admin.request('POST', `/api/lists/${list.body.id}/targets`, {
            body: { kind: 'user', id },
          })
        ).status,
      ).toBe(201);
    const sync = await admin.request<{ runId: string }>('POST', `/api/lists/${list.body.id}/sync`);
    expect(sync.status).toBe(202);
    const run = await waitRun<{ status: string; mailboxes: { succeeded: number } }>(
      admin,
      sync.body.runId,
    );
    expect(run).toMatchObject({ status: 'succeeded', mailboxes: { succeeded: mailboxes.length } });
    return list.body.id;
  }

  /** One contact of the user's own in each mailbox, as Outlook would create it. */
  async function addOwnContacts(tid: string, mailboxes: string[]): Promise<void> {
    for (const id of mailboxes) {
      const own = await graphAsApp(h, tid, 'POST', `/users/${id}/contacts`, {
        displayName: `Own contact of ${id.slice(0, 8)}`,
        emailAddresses: [{ address: `own-${id.slice(0, 8)}@example.com` }],
      });
      expect(own.status).toBe(201);
    }
  }

  /** Every mailbox's contacts that are not ours (the user's own), by mailbox. */
  async function usersOwn(tid: string, mailboxes: string[]): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const id of mailboxes) {
      const contacts = await simContacts(h, tid, id);
      const ours = new Set(ourItems(contacts).map((c) => c.id));
      out[id] = contacts
        .filter((c) => !ours.has(c.id))
        .map((c) => c.id)
        .sort();
    }
    return out;
  }

  async function countOf(tid: string, mailboxes: string[], listId: string): Promise<number[]> {
    const counts: number[] = [];
    for (const id of mailboxes) counts.push(itemsOf(await simContacts(h, tid, id), listId).length);
    return counts;
  }

  async function deleteList(admin: Browser, listId: string): Promise<void> {
    expect((await admin.request('DELETE', `/api/lists/${listId}`)).status).toBe(204);
    // Gone from the admin's view at once; its clean-up is what remains to see.
    expect((await admin.request('GET', `/api/lists/${listId}`)).status).toBe(404);
    const lists = await admin.request<{ items: Array<{ id: string }> }>('GET', '/api/lists');
    expect(lists.body.items.map((l) => l.id)).not.toContain(listId);
  }

  it('every mailbox loses the list’s items and keeps the users’ own and another list’s; the same with the map cache wiped, and for a removed target', async () => {
    const { t, admin, tenantId, mailboxes } = await onboard(0);
    await addOwnContacts(t.id, mailboxes);
    const first = await pushList(admin, 'Company', mailboxes);
    const second = await pushList(admin, 'Partners', mailboxes);
    const own = await usersOwn(t.id, mailboxes);
    expect(Object.values(own).every((ids) => ids.length >= 1)).toBe(true);
    const firstCounts = await countOf(t.id, mailboxes, first);
    const secondCounts = await countOf(t.id, mailboxes, second);
    expect(firstCounts.every((n) => n > 0)).toBe(true);
    expect(secondCounts.every((n) => n > 0)).toBe(true);

    await deleteList(admin, first);
    const done = await waitListCleanup(admin, first);
    expect(done).toMatchObject({
      name: 'Company',
      state: 'done',
      attempt: 1,
      runStatus: 'succeeded',
      mailboxes: { total: MAILBOXES, cleaned: MAILBOXES, remaining: 0, failed: 0 },
      itemsDeleted: firstCounts.reduce((a, b) => a + b, 0),
      error: null,
    });
    expect(await countOf(t.id, mailboxes, first)).toEqual(mailboxes.map(() => 0));
    expect(await countOf(t.id, mailboxes, second)).toEqual(secondCounts);
    expect(await usersOwn(t.id, mailboxes)).toEqual(own);
    const listed = await admin.request<{ items: ListCleanup[]; total: number }>(
      'GET',
      '/api/list-cleanups',
    );
    expect(listed.body.items.map((c) => [c.listId, c.state])).toEqual([[first, 'done']]);

    // The second list's map cache is lost: its items are still found by their tags.
    const logStore = h.app.get<LogStore>(LOG_STORE);
    for (const id of mailboxes) expect(await logStore.deleteMap(tenantId, second, id)).toBe(true);
    // Removing a target: at the next run that mailbox loses the list's items, the others keep theirs.
    const targets = await admin.request<Array<{ id: string; objectId: string | null }>>(
      'GET',
      `/api/lists/${second}/targets`,
    );
    const dropped = targets.body.find((x) => x.objectId === mailboxes[0])!;
    expect(
      (await admin.request('DELETE', `/api/lists/${second}/targets/${dropped.id}`)).status,
    ).toBe(204);
    const resync = await admin.request<{ runId: string }>('POST', `/api/lists/${second}/sync`);
    const untargeted = await waitRun<{
      status: string;
      items: { created: number; deleted: number };
    }>(admin, resync.body.runId);
    expect(untargeted).toMatchObject({
      status: 'succeeded',
      items: { created: 0, deleted: secondCounts[0] },
    });
    expect(await countOf(t.id, mailboxes, second)).toEqual([0, ...secondCounts.slice(1)]);
    expect(await usersOwn(t.id, mailboxes)).toEqual(own);
    // That run rebuilt the map of the mailboxes still targeted; wiped again, the list's
    // deletion must find its items by their tags alone.
    for (const id of mailboxes.slice(1))
      expect([id, await logStore.deleteMap(tenantId, second, id)]).toEqual([id, true]);
    expect(await logStore.deleteMap(tenantId, second, mailboxes[0])).toBe(false);
    await deleteList(admin, second);
    const again = await waitListCleanup(admin, second);
    expect(again).toMatchObject({
      state: 'done',
      mailboxes: { total: MAILBOXES - 1, cleaned: MAILBOXES - 1, remaining: 0, failed: 0 },
      itemsDeleted: secondCounts.slice(1).reduce((a, b) => a + b, 0),
    });
    for (const id of mailboxes)
      expect([id, ourItems(await simContacts(h, t.id, id)).length]).toEqual([id, 0]);
    expect(await usersOwn(t.id, mailboxes)).toEqual(own);
    // The tombstones kept the mailboxes until they were clean: no state of either list is left.
    expect(
      (await h.dataSource.query('SELECT COUNT(*) AS n FROM mailbox_state WHERE list_id IN (?, ?)', [
        first,
        second,
      ])) as Array<{ n: number }>,
    ).toEqual([{ n: 0 }]);
  }, 180_000);

  it('a clean-up that fails shows which mailboxes remain, and a retry finishes it', async () => {
    const { t, admin, mailboxes } = await onboard(1);
    await addOwnContacts(t.id, mailboxes);
    const listId = await pushList(admin, 'Company', mailboxes);
    const own = await usersOwn(t.id, mailboxes);
    // One delete in one mailbox fails for good (500 inside the $batch).
    await simControl(h, 'PUT', '/faults', {
      subRequestBurst: { status: 500, count: 1, pathPrefix: `/users/${mailboxes[0]}/contacts/` },
    });
    try {
      await deleteList(admin, listId);
      const failed = await waitListCleanup(admin, listId);
      expect(failed).toMatchObject({
        state: 'failed',
        attempt: 1,
        mailboxes: { total: MAILBOXES, cleaned: MAILBOXES - 1, remaining: 1, failed: 1 },
        error: { code: 'CLEANUP_RUN_FAILED' },
      });
      // The other mailboxes were cleaned: the run is partial, not failed.
      expect(failed.runStatus).toBe('partial');
      expect((await countOf(t.id, mailboxes, listId))[0]).toBe(1);
      expect((await countOf(t.id, mailboxes, listId)).slice(1)).toEqual(
        mailboxes.slice(1).map(() => 0),
      );
    } finally {
      await simControl(h, 'DELETE', '/faults');
    }
    const viewer = h.browser();
    await viewer.signIn(t.viewerUpn);
    expect((await viewer.request('POST', `/api/list-cleanups/${listId}/retry`)).status).toBe(403);
    expect((await viewer.request('GET', `/api/list-cleanups/${listId}`)).status).toBe(200);

    const retried = await admin.request<ListCleanup>('POST', `/api/list-cleanups/${listId}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body.attempt).toBe(2);
    const done = await waitListCleanup(admin, listId);
    expect(done).toMatchObject({
      state: 'done',
      attempt: 2,
      mailboxes: { remaining: 0, failed: 0 },
      itemsDeleted: 1,
      error: null,
    });
    expect(await countOf(t.id, mailboxes, listId)).toEqual(mailboxes.map(() => 0));
    expect(await usersOwn(t.id, mailboxes)).toEqual(own);
    // Only a failed clean-up can be retried.
    expect((await admin.request('POST', `/api/list-cleanups/${listId}/retry`)).status).toBe(409);
  }, 180_000);

  it('revoking the tenant after lists were deleted removes their items too', async () => {
    const { t, admin, tenantId, mailboxes } = await onboard(2);
    await addOwnContacts(t.id, mailboxes);
    const failedList = await pushList(admin, 'Company', mailboxes);
    const racingList = await pushList(admin, 'Partners', mailboxes);
    const own = await usersOwn(t.id, mailboxes);
    // The first deletion's own clean-up fails (one delete refused), so only the revocation can
    // finish it; the second list is deleted just before the revocation.
    await simControl(h, 'PUT', '/faults', {
      subRequestBurst: { status: 500, count: 1, pathPrefix: `/users/${mailboxes[3]}/contacts/` },
    });
    try {
      await deleteList(admin, failedList);
      expect((await waitListCleanup(admin, failedList)).state).toBe('failed');
    } finally {
      await simControl(h, 'DELETE', '/faults');
    }
    expect((await countOf(t.id, mailboxes, failedList))[3]).toBe(1);
    await deleteList(admin, racingList);

    const started = await admin.request<{
      lists: Array<{ listId: string; listName: string; status: string }>;
    }>('POST', '/api/tenant/cleanup');
    expect(started.status).toBe(202);
    const pending = started.body.lists.find((l) => l.listId === failedList)!;
    expect(pending.listName).toBe('Company (deleted list)');
    // Not yet cleaned: waiting for its run, or the worker was quick and the run has begun.
    expect(['waiting', 'queued', 'running']).toContain(pending.status);
    expect(started.body.lists.map((l) => l.listId).sort()).toEqual([failedList, racingList].sort());
    const deadline = Date.now() + 90_000;
    for (;;) {
      const rows = (await h.dataSource.query(
        'SELECT state FROM tenant_cleanup WHERE tenant_id = ?',
        [tenantId],
      )) as Array<{ state: string }>;
      if (rows[0] && ['revoked', 'failed'].includes(rows[0].state)) {
        expect(rows[0].state).toBe('revoked');
        break;
      }
      if (Date.now() > deadline) throw new Error(`clean-up stayed ${rows[0]?.state}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    for (const id of mailboxes)
      expect([id, ourItems(await simContacts(h, t.id, id)).length]).toEqual([id, 0]);
    expect(await usersOwn(t.id, mailboxes)).toEqual(own);
    for (const table of ['list_tombstone', 'mailbox_state'])
      expect(
        (await h.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`, [
          tenantId,
        ])) as Array<{ n: number }>,
      ).toEqual([{ n: 0 }]);
  }, 180_000);
});
