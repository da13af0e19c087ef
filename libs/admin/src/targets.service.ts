import { TargetEntity, TargetRepository, UnitOfWork } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import { ContactListsService } from './contact-lists.service';
import type { CreateTargetInput } from './schemas';
import { NotFound } from './validation';

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

/** Who receives a list: everyone, groups, users or a filter, each included or excluded. */
@Injectable()
export class TargetsService {
  constructor(
    @Inject(TargetRepository) private readonly targets: TargetRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ContactListsService) private readonly lists: ContactListsService,
  ) {}

  async list(tenantId: string, listId: string): Promise<TargetView[]> {
    const list = await this.lists.get(tenantId, listId);
    return (await this.targets.listForList(tenantId, list.id)).map(targetView);
  }

  async add(actor: Actor, listId: string, input: CreateTargetInput): Promise<TargetView> {
    const list = await this.lists.get(actor.tenantId, listId);
    return this.unitOfWork.run(async (tx) => {
      const target = Object.assign(new TargetEntity(), {
        tenantId: actor.tenantId,
        listKind: 'contacts' as const,
        listId: list.id,
        kind: input.kind,
        mode: input.mode,
        value:
          input.kind === 'filter'
            ? JSON.stringify(input.filter)
            : input.kind === 'all'
              ? null
              : input.id!.toLowerCase(),
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

  async remove(actor: Actor, listId: string, targetId: string): Promise<void> {
    const list = await this.lists.get(actor.tenantId, listId);
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
