import { BlindIndex } from '@app/crypto';
import { parseDefaultPhoneRegion } from '@app/domain';
import { ListEntryRepository, UnitOfWork, type OpenedEntry } from '@app/persistence';
import { checkEntryRecord, csvSourceKey, unknownEntryFields } from '@app/sync';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import { ContactListsService } from './contact-lists.service';
import type { CreateEntryInput, EntriesQueryInput, UpdateEntryInput } from './schemas';
import { Conflict, NotFound, ValidationFailed, type FieldProblem } from './validation';

export interface ListEntryView {
  id: string;
  listId: string;
  /** The contact fields as given (the key is stored only as a blind index and never shown). */
  fields: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

function entryView(listId: string, entry: OpenedEntry): ListEntryView {
  return {
    id: entry.id,
    listId,
    fields: entry.data,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

/** `fields.x` for a contact field, `key` for the key. */
function fieldPath(field: string): string {
  return field === 'key' ? 'key' : `fields.${field}`;
}

/**
 * A list's manual entries one at a time (the CSV import replaces or merges many): checked as
 * the sync reads them, stored sealed, searchable only through blind indexes (an exact e-mail
 * address or key). Entries are those of the list's current generation, keyed like CSV rows,
 * so a later CSV merge with the same key or e-mail updates the same entry.
 */
@Injectable()
export class ListEntriesService {
  constructor(
    @Inject(ListEntryRepository) private readonly entries: ListEntryRepository,
    @Inject(ContactListsService) private readonly lists: ContactListsService,
    @Inject(BlindIndex) private readonly blindIndex: BlindIndex,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
  ) {}

  async list(
    tenantId: string,
    listId: string,
    query: EntriesQueryInput,
  ): Promise<{ items: ListEntryView[]; total: number }> {
    const list = await this.lists.get(tenantId, listId);
    const where: { emailBlindIndex?: string; sourceKey?: string } = {};
    if (query.email)
      where.emailBlindIndex = this.blindIndex.compute(tenantId, query.email.toLowerCase());
    if (query.key)
      where.sourceKey = csvSourceKey(this.blindIndex, tenantId, query.key.toLowerCase());
    const page = await this.entries.pageCurrent(tenantId, list.id, query, where);
    return { items: page.items.map((e) => entryView(list.id, e)), total: page.total };
  }

  async get(tenantId: string, listId: string, entryId: string): Promise<ListEntryView> {
    const list = await this.lists.get(tenantId, listId);
    const entry = await this.entries.findCurrent(tenantId, list.id, entryId.toLowerCase());
    if (!entry) throw new NotFound('entry');
    return entryView(list.id, entry);
  }

  async add(actor: Actor, listId: string, input: CreateEntryInput): Promise<ListEntryView> {
    const list = await this.lists.get(actor.tenantId, listId);
    if ('key' in input.fields)
      throw new ValidationFailed([
        { field: 'fields.key', message: 'not a contact field: send the key as `key`' },
      ]);
    const record = { ...input.fields, ...(input.key !== undefined ? { key: input.key } : {}) };
    const checked = this.check(record, list.defaultRegion);
    const added = await this.entries.addCurrent(
      actor.tenantId,
      list.id,
      {
        sourceKey: csvSourceKey(this.blindIndex, actor.tenantId, checked.key),
        emailBlindIndex: checked.email
          ? this.blindIndex.compute(actor.tenantId, checked.email)
          : null,
        data: JSON.stringify(checked.fields),
      },
      new Date(),
    );
    if (added === 'no_list') throw new NotFound('list');
    if (added === 'duplicate')
      throw new Conflict('an entry with this key exists in the list', [
        {
          field: input.key !== undefined ? 'key' : 'fields.emailAddresses',
          message:
            'another entry of the list has this key (or first e-mail address, when no key is given)',
        },
      ]);
    await this.audit(actor, 'entry.add', list.id, added.id);
    return entryView(list.id, added);
  }

  async update(
    actor: Actor,
    listId: string,
    entryId: string,
    input: UpdateEntryInput,
  ): Promise<ListEntryView> {
    const list = await this.lists.get(actor.tenantId, listId);
    const unknown = unknownEntryFields(input.fields).concat(
      Object.keys(input.fields).filter((f) => f === 'key'),
    );
    if (unknown.length)
      throw new ValidationFailed(
        unknown.map((f) => ({
          field: `fields.${f}`,
          message: f === 'key' ? 'the key of an entry never changes' : 'not a contact field',
        })),
      );
    const updated = await this.entries.updateCurrent(
      actor.tenantId,
      list.id,
      entryId.toLowerCase(),
      (entry) => {
        const fields: Record<string, string> = {};
        for (const [k, v] of Object.entries({ ...entry.data, ...input.fields }))
          if (typeof v === 'string' && v !== '') fields[k] = v;
        // The key stays what it was; a placeholder satisfies the check's key rule.
        const checked = this.check({ ...fields, key: 'kept' }, list.defaultRegion);
        return {
          data: JSON.stringify(checked.fields),
          emailBlindIndex: checked.email
            ? this.blindIndex.compute(actor.tenantId, checked.email)
            : null,
        };
      },
      new Date(),
    );
    if (!updated) throw new NotFound('entry');
    await this.audit(actor, 'entry.update', list.id, updated.id);
    return entryView(list.id, updated);
  }

  async remove(actor: Actor, listId: string, entryId: string): Promise<void> {
    const list = await this.lists.get(actor.tenantId, listId);
    const id = entryId.toLowerCase();
    if (!(await this.entries.deleteCurrent(actor.tenantId, list.id, id)))
      throw new NotFound('entry');
    await this.audit(actor, 'entry.delete', list.id, id);
  }

  /** Checks an entry as the sync reads it; 400 naming every bad field. */
  private check(record: Record<string, string>, defaultRegion: string) {
    const unknown = new Set(unknownEntryFields(record));
    const problems: FieldProblem[] = [...unknown].map((f) => ({
      field: `fields.${f}`,
      message: 'not a contact field',
    }));
    // The known fields are checked too, so one answer names every bad field.
    const known = Object.fromEntries(Object.entries(record).filter(([f]) => !unknown.has(f)));
    const checked = checkEntryRecord(known, parseDefaultPhoneRegion(defaultRegion));
    problems.push(
      ...checked.problems.map((p) => ({ field: fieldPath(p.field), message: p.message })),
    );
    if (problems.length || !checked.entry) throw new ValidationFailed(problems);
    return checked.entry;
  }

  /** The event names the entry and its list, never its contents. */
  private async audit(
    actor: Actor,
    action: string,
    listId: string,
    entryId: string,
  ): Promise<void> {
    await this.unitOfWork.run((tx) =>
      tx.audit.record(actor, action, { type: 'list_entry', id: entryId }, { listId }),
    );
  }
}
