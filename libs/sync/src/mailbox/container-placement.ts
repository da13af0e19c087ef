import type { ContainerSpec } from '@app/domain';
import type { LogStore } from '@app/logstore';
import type { MailboxStateEntity } from '@app/persistence';
import { deleteTaggedItems, type TaggedDeletion } from './delete-tagged-items';
import type { ItemKindTypes } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import type { MailboxOutcomeRecorder } from './mailbox-outcome-recorder';

/** Where a job writes, and what happened to the container on the way. */
export interface Placement {
  /** undefined only for a preview whose container does not exist yet. */
  containerId: string | undefined;
  /**
   * A preview of a folder change: the container our items would leave (the sync writes them
   * into the new one first, then deletes them here).
   */
  movingFrom?: string;
  /** moved (folder mode change), renamed (in place), recreated (the user had deleted it). */
  change?: 'moved' | 'renamed' | 'recreated';
  /** The container was not looked at this run (checked within the day): trust, but verify. */
  unchecked?: boolean;
}

const DAY_MS = 24 * 3600_000;

/** `default`, or `named:<name>`: what a state's folder id stands for (mailbox_state.folderSpec). */
export function containerKey(spec: ContainerSpec): string {
  return spec.kind === 'default' ? 'default' : `named:${spec.name}`;
}

/**
 * Keeps a list's container where its settings say, for one mailbox. Graph has no move for
 * contacts, so a folder mode change creates the items in the new container (the sync pass,
 * starting from an empty map there) and only then deletes them from the old one (`retire`,
 * after a successful sync): a mailbox never holds neither. A dedicated folder's new name is a
 * rename, nothing re-created. A dedicated folder the user deleted — to Deleted Items (its id
 * still resolves there) or for good — is created again and refilled; then our items left in
 * the deleted one are deleted (the folder itself, and anything else in it, stay the user's).
 */
export class ContainerPlacement<K extends ItemKindTypes> {
  constructor(
    private readonly recorder: MailboxOutcomeRecorder,
    private readonly logStore: LogStore,
  ) {}

  async place(job: MailboxJob<K>): Promise<Placement> {
    const { state, session } = job;
    const folder = job.settings!.folder;
    const wanted: ContainerSpec =
      folder.mode === 'dedicated' ? { kind: 'named', name: folder.name! } : { kind: 'default' };
    const key = containerKey(wanted);
    const preview = job.payload.mode === 'dry_run';
    if (!state.folderId) return this.fresh(job, wanted, 'first');

    const had = state.folderSpec ?? (await this.legacyKey(job, key));
    const hadNamed = had.startsWith('named:');
    if (wanted.kind === 'default' && !hadNamed) return this.keep(job, key);
    if (wanted.kind === 'named' && hadNamed) {
      const checkedToday =
        session.containerCheck === 'daily' &&
        had === key &&
        !!state.folderCheckedAt &&
        Date.now() - state.folderCheckedAt.getTime() < DAY_MS;
      if (checkedToday) return { containerId: state.folderId, unchecked: true };
      // Still where we put it (a top-level folder), under which name?
      const found = await session.inspectContainer(state.folderId);
      if (found && found.name === wanted.name) return this.keep(job, key, { checked: true });
      if (found) {
        if (preview) return { containerId: state.folderId, change: 'renamed' };
        const renamed = await session.renameContainer(state.folderId, wanted.name);
        if (renamed === 'done') {
          await this.recorder.saveState(state, { folderSpec: key });
          return { containerId: state.folderId, change: 'renamed' };
        }
        // Another folder has the name already: our items move into it.
        if (renamed === 'conflict') return this.move(job, wanted);
      }
      return this.fresh(job, wanted, 'recreated');
    }
    return this.move(job, wanted);
  }

  /**
   * After a successful sync into the new container: deletes our items from the one they left.
   * Undefined when there was none.
   */
  async retire(job: MailboxJob<K>): Promise<TaggedDeletion<K['patch']> | undefined> {
    const { state } = job;
    const from = state.retiredFolderId;
    if (!from) return undefined;
    const outcome =
      from === state.folderId
        ? { deleted: 0, failures: [] }
        : await deleteTaggedItems(job.session, from, job.payload.listId);
    if (outcome.failures.length === 0)
      await this.recorder.saveState(state, { retiredFolderId: null });
    return outcome;
  }

  private async keep(
    job: MailboxJob<K>,
    key: string,
    options: { checked?: boolean } = {},
  ): Promise<Placement> {
    if (job.payload.mode !== 'dry_run') {
      const daily = options.checked && job.session.containerCheck === 'daily';
      if (job.state.folderSpec !== key || daily)
        await this.recorder.saveState(job.state, {
          folderSpec: key,
          ...(daily ? { folderCheckedAt: new Date() } : {}),
        });
    }
    return { containerId: job.state.folderId! };
  }

  /** The listing found the container gone although it was not looked at: look next time. */
  async forgetCheck(job: MailboxJob<K>): Promise<void> {
    await this.recorder.saveState(job.state, { folderCheckedAt: null });
  }

  /** A container of the list's spec, the first one or again after the user deleted ours. */
  private async fresh(
    job: MailboxJob<K>,
    wanted: ContainerSpec,
    why: 'first' | 'recreated',
  ): Promise<Placement> {
    const preview = job.payload.mode === 'dry_run';
    const containerId = await job.session.ensureContainer(wanted, { create: !preview });
    if (!containerId || preview) return { containerId };
    if (why === 'first') {
      await this.recorder.saveState(job.state, {
        folderId: containerId,
        folderSpec: containerKey(wanted),
        folderCheckedAt: new Date(),
      });
      return { containerId };
    }
    // Our items in the old folder (in Deleted Items, when the user's delete put it there) are
    // deleted once the new one is filled: no stale copies; the folder itself stays the user's.
    await this.restart(job, {
      folderId: containerId,
      folderSpec: containerKey(wanted),
      retiredFolderId: job.state.folderId,
    });
    return { containerId, change: 'recreated' };
  }

  private async move(job: MailboxJob<K>, wanted: ContainerSpec): Promise<Placement> {
    const { state } = job;
    const from = state.folderId!;
    if (job.payload.mode === 'dry_run') {
      const containerId = await job.session.ensureContainer(wanted, { create: false });
      return containerId === from ? { containerId } : { containerId, movingFrom: from };
    }
    // A move not finished yet (its old container still holds items): emptied first, so no
    // container of ours is ever forgotten.
    if (state.retiredFolderId && state.retiredFolderId !== from) {
      const earlier = await this.retire(job);
      if (earlier && earlier.failures.length > 0)
        throw new Error(
          `our items could not be deleted from an earlier folder: ${earlier.failures[0].error?.message}`,
        );
    }
    const containerId = (await job.session.ensureContainer(wanted, { create: true }))!;
    if (containerId === from) return this.keep(job, containerKey(wanted));
    await this.restart(job, {
      folderId: containerId,
      folderSpec: containerKey(wanted),
      retiredFolderId: from,
    });
    return { containerId, change: 'moved' };
  }

  /** A new container: its sync starts from an empty map and no change token. */
  private async restart(job: MailboxJob<K>, changes: Partial<MailboxStateEntity>): Promise<void> {
    // The state first: a crash after it leaves a map the next sync rebuilds (no token).
    await this.recorder.saveState(job.state, {
      ...changes,
      folderCheckedAt: new Date(),
      deltaLink: null,
      appliedFingerprint: null,
      itemCount: 0,
    });
    const { tenantId, listId, mailboxId } = job.payload;
    await this.logStore.deleteMap(tenantId, listId, mailboxId);
  }

  /**
   * A state from before folder specs were kept: its folder is the default one, or a named one
   * (its name is read by `inspectContainer`). One request, once per such state.
   */
  private async legacyKey(job: MailboxJob<K>, wantedKey: string): Promise<string> {
    const defaultId = await job.session.ensureContainer({ kind: 'default' }, { create: false });
    if (defaultId === job.state.folderId) return 'default';
    return wantedKey.startsWith('named:') ? wantedKey : 'named:';
  }
}
