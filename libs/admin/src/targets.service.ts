import {
  CalendarListRepository,
  ContactListRepository,
  TargetEntity,
  TargetRepository,
  UnitOfWork,
  type ListKind,
} from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import { ListsOfKind } from './lists-of-kind';
import { createTargetSchema, type CreateTargetInput, type UpdateTargetInput } from './schemas';
import { NotFound, parseInput } from './validation';

export interface TargetView {
  id: string;
  listId: string;
  kind: TargetEntity['kind'];
  mode: TargetEntity['mode'];
  objectId: string | null;
  filter: unknown;
  createdAt: Date;
}

function targetView(t: TargetEntity): TargetView {
  return {
    id: t.id,
    listId: t.listId,
    kind: t.kind,
    mode: t.mode,
    objectId: t.kind === 'group' || t.kind === 'user' ? t.value : null,
    filter: t.kind === 'filter' && t.value ? (JSON.parse(t.value) as unknown) : null,
    createdAt: t.createdAt,
  };
}

function valueOf(input: CreateTargetInput): string | null {
  return input.kind === 'filter'
    ? JSON.stringify(input.filter)
    : input.kind === 'all'
      ? null
      : input.id!.toLowerCase();
}

/**
 * Who receives a list (contact or calendar list, by `kind`): everyone, groups, users or a
 * filter, each included or excluded.
 */
@Injectable()
export class TargetsService {
  private readonly lists: ListsOfKind;

  constructor(
    @Inject(TargetRepository) private readonly targets: TargetRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ContactListRepository) contactLists: ContactListRepository,
    @Inject(CalendarListRepository) calendarLists: CalendarListRepository,
  ) {
    this.lists = new ListsOfKind(contactLists, calendarLists);
  }

  async list(tenantId: string, listId: string, kind: ListKind = 'contacts'): Promise<TargetView[]> {
    const list = await this.lists.get(tenantId, listId, kind);
    return (await this.targets.listForList(tenantId, list.id)).map(targetView);
  }

  async add(
    actor: Actor,
    listId: string,
    input: CreateTargetInput,
    kind: ListKind = 'contacts',
  ): Promise<TargetView> {
    const list = await this.lists.get(actor.tenantId, listId, kind);
    return this.unitOfWork.run(async (tx) => {
      const target = Object.assign(new TargetEntity(), {
        tenantId: actor.tenantId,
        listKind: kind,
        listId: list.id,
        kind: input.kind,
        mode: input.mode,
        value: valueOf(input),
      });
      await tx.targets.insert(target);
      await tx.audit.record(
        actor,
        'target.add',
        { type: 'target', id: target.id },
        {
          listId: list.id,
          kind: target.kind,
          mode: target.mode,
        },
      );
      return targetView(target);
    });
  }

  /**
   * Changes a target in place (kind, mode, group or user, filter); the next run targets
   * accordingly, and a mailbox no longer targeted is cleaned up as after a removal.
   */
  async update(
    actor: Actor,
    listId: string,
    targetId: string,
    input: UpdateTargetInput,
    kind: ListKind = 'contacts',
  ): Promise<TargetView> {
    const list = await this.lists.get(actor.tenantId, listId, kind);
    return this.unitOfWork.run(async (tx) => {
      const target = await tx.targets.findInList(actor.tenantId, list.id, targetId.toLowerCase());
      if (!target) throw new NotFound('target');
      const current = targetView(target);
      const kind = input.kind ?? current.kind;
      const sameKind = kind === current.kind;
      const merged = parseInput(createTargetSchema, {
        kind,
        mode: input.mode ?? current.mode,
        ...(input.id !== undefined
          ? { id: input.id }
          : sameKind && current.objectId
            ? { id: current.objectId }
            : {}),
        ...(input.filter !== undefined
          ? { filter: input.filter }
          : sameKind && current.filter
            ? { filter: current.filter }
            : {}),
      });
      const changes = { kind: merged.kind, mode: merged.mode, value: valueOf(merged) };
      await tx.targets.update(actor.tenantId, target.id, changes);
      await tx.audit.record(
        actor,
        'target.update',
        { type: 'target', id: target.id },
        { listId: list.id, kind: changes.kind, mode: changes.mode, changed: Object.keys(input) },
      );
      return targetView(Object.assign(target, changes));
    });
  }

  async remove(
    actor: Actor,
    listId: string,
    targetId: string,
    kind: ListKind = 'contacts',
  ): Promise<void> {
    const list = await this.lists.get(actor.tenantId, listId, kind);
    await this.unitOfWork.run(async (tx) => {
      const target = await tx.targets.findInList(actor.tenantId, list.id, targetId.toLowerCase());
      if (!target) throw new NotFound('target');
      await tx.targets.deleteInTenant(actor.tenantId, target.id);
      await tx.audit.record(
        actor,
        'target.remove',
        { type: 'target', id: target.id },
        {
          listId: list.id,
        },
      );
    });
  }
}
