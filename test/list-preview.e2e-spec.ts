import { RunPreviewService, type RunPreviewView } from '@app/admin';
import { LOG_STORE } from '@app/logstore';
import { SyncRunRepository, type SyncRunEntity } from '@app/persistence';
import { QueueName } from '@app/queue';
import { Fleet, tag, type SimContact, type SimUser } from './support/fleet';

/** Issue #19, acceptance 4: a preview says what the next run does, item by item. */
describe('a preview lists the changes the next run makes', () => {
  let fleet: Fleet;
  let listId: string;
  let people: SimUser[];
  let single: string;
  let groupMailboxes: string[];
  let previews: RunPreviewService;

  const ours = async (mailboxId: string) =>
    (await fleet.contacts(mailboxId)).filter((c) => tag(c, 'CsListId') === listId);
  const snapshot = async (mailboxes: string[]) => {
    const out = new Map<string, SimContact[]>();
    for (const m of mailboxes) out.set(m, await ours(m));
    return out;
  };

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 30, seed: 23 } });
    const users = (await fleet.users()).filter(
      (u) => u.mailbox === 'cloud' && u.licensed !== false && u.purpose === 'user',
    );
    people = users.slice(0, 3);
    single = users[3].id;
    const groups = await fleet.simFetch<Array<{ id: string; memberUserIds: string[] }>>(
      `/_sim/tenants/${fleet.simTenantId}/groups`,
    );
    const group = groups.find((g) => {
      const members = users.filter((u) => g.memberUserIds.includes(u.id) && u.id !== single);
      return members.length >= 2 && members.length <= 6 && !g.memberUserIds.includes(single);
    })!;
    expect(group).toBeDefined();
    groupMailboxes = users
      .filter((u) => group.memberUserIds.includes(u.id))
      .map((u) => u.id)
      .sort();
    listId = await fleet.createList(
      'Preview',
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
      },
      [
        { kind: 'user', mode: 'include', value: single },
        { kind: 'group', mode: 'include', value: group.id },
      ],
    );
    const first = await fleet.runNow(listId);
    expect(first.status).toBe('succeeded');
    for (const m of [single, ...groupMailboxes]) expect(await ours(m)).toHaveLength(3);
    previews = new RunPreviewService(
      fleet.worker!.get(SyncRunRepository),
      fleet.worker!.get(LOG_STORE),
    );
  }, 120_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('un-targeting a group and changing one field: the preview names each deletion and the field; the run does exactly that', async () => {
    await fleet.setTargets(listId, [{ kind: 'user', mode: 'include', value: single }]);
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users/${people[1].id}`, {
      method: 'PATCH',
      body: { jobTitle: 'Preview Cartographer' },
    });
    const before = await snapshot([single, ...groupMailboxes]);
    await fleet.resetStats();
    const dry = await fleet.runNow(listId, 'dry_run');
    expect(dry.status).toBe('succeeded');
    const stats = await fleet.stats();
    for (const op of ['contacts.create', 'contacts.update', 'contacts.delete'])
      expect([op, stats.ops[op]?.count ?? 0]).toEqual([op, 0]);
    const preview: RunPreviewView = await previews.get(fleet.tenantId, dry.id, {
      limit: 200,
      offset: 0,
    });
    expect(preview.finished).toBe(true);
    const byMailbox = new Map(preview.mailboxes.items.map((m) => [m.mailboxId, m]));
    expect([...byMailbox.keys()].sort()).toEqual([single, ...groupMailboxes].sort());

    // The group's mailboxes: every item of ours goes, each named.
    for (const m of groupMailboxes) {
      const p = byMailbox.get(m)!;
      expect(p.counts).toEqual({ created: 0, updated: 0, deleted: 3 });
      expect(p.truncated).toBe(false);
      expect(
        p.changes
          .map((c) => ({ action: c.action, reason: c.reason, itemId: c.itemId, name: c.name }))
          .sort((a, b) => (a.itemId! < b.itemId! ? -1 : 1)),
      ).toEqual(
        before
          .get(m)!
          .map((c) => ({
            action: 'delete',
            reason: 'not-targeted',
            itemId: c.id,
            name: c.displayName,
          }))
          .sort((a, b) => (a.itemId < b.itemId ? -1 : 1)),
      );
    }
    // The mailbox still targeted: one update of one field on one contact.
    const kept = byMailbox.get(single)!;
    const changedItem = before
      .get(single)!
      .find((c) => tag(c, 'CsSourceKey') === `user:${people[1].id}`)!;
    expect(kept.counts).toEqual({ created: 0, updated: 1, deleted: 0 });
    expect(kept.changes).toEqual([
      {
        action: 'update',
        sourceKey: `user:${people[1].id}`,
        itemId: changedItem.id,
        name: changedItem.displayName,
        fields: ['jobTitle'],
      },
    ]);

    // The run that follows does exactly that, item by item.
    const run = await fleet.runNow(listId);
    expect(run).toMatchObject({
      status: 'succeeded',
      itemsCreated: preview.items.created,
      itemsUpdated: preview.items.updated,
      itemsDeleted: preview.items.deleted,
    });
    const after = await snapshot([single, ...groupMailboxes]);
    for (const m of groupMailboxes) expect(after.get(m)).toEqual([]);
    const changedFields = (a: SimContact, b: SimContact) =>
      (
        [
          'displayName',
          'jobTitle',
          'department',
          'companyName',
          'mobilePhone',
          'officeLocation',
        ] as const
      ).filter((f) => JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null));
    const afterSingle = after.get(single)!;
    expect(afterSingle.map((c) => c.id).sort()).toEqual(
      before
        .get(single)!
        .map((c) => c.id)
        .sort(),
    );
    for (const c of afterSingle) {
      const old = before.get(single)!.find((o) => o.id === c.id)!;
      expect([c.id, changedFields(old, c)]).toEqual([
        c.id,
        c.id === changedItem.id ? ['jobTitle'] : [],
      ]);
    }
    expect(afterSingle.find((c) => c.id === changedItem.id)!.jobTitle).toBe('Preview Cartographer');
  });

  it("a sync's mailbox job delivered again after a preview counted the mailbox: nothing counts twice, fails, or reads the mailbox", async () => {
    const sync = await fleet.runNow(listId);
    const preview = await fleet.runNow(listId, 'dry_run');
    expect([sync.status, preview.status]).toEqual(['succeeded', 'succeeded']);
    await fleet.resetStats();
    // A worker died after the mailbox's report committed, before the queue learned its job
    // completed: the job runs again, the sync's after the preview's report of the mailbox.
    const again = async (run: SyncRunEntity) => {
      const job = await fleet.queues.syncMailbox.add(
        QueueName.SyncMailbox,
        { tenantId: fleet.tenantId, listId, runId: run.id, mailboxId: single, mode: run.mode },
        { jobId: `again-${run.id}-${single}`, attempts: 1 },
      );
      for (const until = Date.now() + 60_000; ;) {
        const state = await job.getState();
        if (state === 'completed' || state === 'failed') {
          const done = (await fleet.queues.syncMailbox.getJob(job.id!))!;
          return [state, done.returnvalue ?? done.failedReason];
        }
        if (Date.now() > until) throw new Error(`the job is still ${state}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    expect(await again(sync)).toEqual(['completed', { outcome: 'already-counted' }]);
    expect(await again(preview)).toEqual(['completed', { outcome: 'already-counted' }]);
    expect((await fleet.stats()).total).toBe(0);
    const runs = fleet.worker!.get(SyncRunRepository);
    for (const run of [sync, preview])
      expect(await runs.get(fleet.tenantId, run.id)).toMatchObject({
        status: 'succeeded',
        mailboxesSucceeded: run.mailboxesSucceeded,
        mailboxesFailed: 0,
        itemsCreated: run.itemsCreated,
        itemsUpdated: run.itemsUpdated,
        itemsDeleted: run.itemsDeleted,
      });
  });
});
