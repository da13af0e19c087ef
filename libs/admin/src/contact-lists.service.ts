import { ContactListEntity, ContactListRepository, UnitOfWork } from '@app/persistence';
import { ListSettingsError, parseContactListSettings, SyncQueues } from '@app/sync';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import { afterListRetired, retireListInTransaction } from './retire-list';
import type { CreateListInput, PageInput, UpdateListInput } from './schemas';
import { Conflict, NotFound, ValidationFailed } from './validation';

export interface ContactListView {
  id: string;
  name: string;
  description: string | null;
  defaultRegion: string;
  enabled: boolean;
  settings: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export function listView(list: ContactListEntity): ContactListView {
  return {
    id: list.id,
    name: list.name,
    description: list.description,
    defaultRegion: list.defaultRegion,
    enabled: list.enabled,
    settings: JSON.parse(list.settings) as unknown,
    createdAt: list.createdAt,
    updatedAt: list.updatedAt,
  };
}

function checkSettings(settings: unknown): void {
  try {
    parseContactListSettings(settings);
  } catch (error) {
    if (error instanceof ListSettingsError)
      throw new ValidationFailed(
        error.problems.map((p) => ({
          field: p.field === '(settings)' ? 'settings' : `settings.${p.field}`,
          message: p.message,
        })),
      );
    throw error;
  }
}

/** Contact lists of one tenant; every query takes the caller's tenant. */
@Injectable()
export class ContactListsService {
  constructor(
    @Inject(ContactListRepository) private readonly lists: ContactListRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
  ) {}

  async list(
    tenantId: string,
    page: PageInput,
  ): Promise<{ items: ContactListView[]; total: number }> {
    const [rows, total] = await this.lists.page(tenantId, page);
    return { items: rows.map(listView), total };
  }

  async get(tenantId: string, id: string): Promise<ContactListEntity> {
    const list = await this.lists.findInTenant(tenantId, id.toLowerCase());
    if (!list) throw new NotFound('list');
    return list;
  }

  async create(actor: Actor, input: CreateListInput): Promise<ContactListView> {
    checkSettings(input.settings);
    const nameKey = input.name.trim().toLowerCase();
    return this.unitOfWork.run(async (tx) => {
      if (await tx.contactLists.findByNameKey(actor.tenantId, nameKey))
        throw new Conflict('a list with this name exists', [
          { field: 'name', message: 'already used by another list (names ignore case)' },
        ]);
      const list = Object.assign(new ContactListEntity(), {
        tenantId: actor.tenantId,
        name: input.name.trim(),
        nameKey,
        description: input.description ?? null,
        defaultRegion: input.defaultRegion ?? 'US',
        enabled: input.enabled ?? true,
        settings: JSON.stringify(input.settings),
      });
      await tx.contactLists.insert(list);
      await tx.audit.record(
        actor,
        'list.create',
        { type: 'contact_list', id: list.id },
        {
          name: list.name,
        },
      );
      return listView(list);
    });
  }

  async update(actor: Actor, id: string, input: UpdateListInput): Promise<ContactListView> {
    if (input.settings !== undefined) checkSettings(input.settings);
    return this.unitOfWork.run(async (tx) => {
      const list = await tx.contactLists.findInTenant(actor.tenantId, id.toLowerCase());
      if (!list) throw new NotFound('list');
      if (input.name !== undefined) {
        const nameKey = input.name.trim().toLowerCase();
        const other = await tx.contactLists.findByNameKey(actor.tenantId, nameKey);
        if (other && other.id !== list.id)
          throw new Conflict('a list with this name exists', [
            { field: 'name', message: 'already used by another list (names ignore case)' },
          ]);
        list.name = input.name.trim();
        list.nameKey = nameKey;
      }
      if (input.description !== undefined) list.description = input.description;
      if (input.defaultRegion !== undefined) list.defaultRegion = input.defaultRegion;
      if (input.enabled !== undefined) list.enabled = input.enabled;
      if (input.settings !== undefined) list.settings = JSON.stringify(input.settings);
      await tx.contactLists.save(list);
      await tx.audit.record(
        actor,
        'list.update',
        { type: 'contact_list', id: list.id },
        {
          fields: Object.keys(input),
        },
      );
      return listView(list);
    });
  }

  async recordCsvImport(
    actor: Actor,
    listId: string,
    result: Record<string, string | number>,
  ): Promise<void> {
    await this.unitOfWork.run((tx) =>
      tx.audit.record(
        actor,
        'entries.import_csv',
        { type: 'contact_list', id: listId },
        { ...result },
      ),
    );
  }

  /**
   * Deletes the list with its targets and schedule (and the schedule's BullMQ job scheduler),
   * leaving a tombstone: the worker then removes exactly our items from every mailbox the list
   * wrote to (GET /api/list-cleanups/:id shows the progress).
   */
  async remove(actor: Actor, id: string): Promise<void> {
    const { scheduleIds, listId } = await this.unitOfWork.run(async (tx) => {
      const list = await tx.contactLists.findInTenant(actor.tenantId, id.toLowerCase());
      if (!list) throw new NotFound('list');
      const scheduleIds = await retireListInTransaction(tx, {
        tenantId: actor.tenantId,
        id: list.id,
        name: list.name,
        kind: 'contacts',
      });
      await tx.contactLists.deleteInTenant(actor.tenantId, list.id);
      await tx.audit.record(
        actor,
        'list.delete',
        { type: 'contact_list', id: list.id },
        {
          name: list.name,
        },
      );
      return { scheduleIds, listId: list.id };
    });
    await afterListRetired(this.queues, actor.tenantId, listId, scheduleIds);
  }
}
