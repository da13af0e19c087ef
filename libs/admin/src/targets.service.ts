import { TargetEntity, withTransaction } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { audit, type Actor } from './actor';
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
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ContactListsService) private readonly lists: ContactListsService,
  ) {}

  async list(tenantId: string, listId: string): Promise<TargetView[]> {
    const list = await this.lists.get(tenantId, listId);
    const rows = await this.dataSource
      .getRepository(TargetEntity)
      .find({ where: { tenantId, listId: list.id }, order: { createdAt: 'ASC' } });
    return rows.map(targetView);
  }

  async add(actor: Actor, listId: string, input: CreateTargetInput): Promise<TargetView> {
    const list = await this.lists.get(actor.tenantId, listId);
    return withTransaction(this.dataSource, async (manager) => {
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
      await manager.getRepository(TargetEntity).insert(target);
      await audit(
        manager,
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
    await withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(TargetEntity);
      const target = await repo.findOne({
        where: { id: targetId.toLowerCase(), tenantId: actor.tenantId, listId: list.id },
      });
      if (!target) throw new NotFound('target');
      await repo.delete({ id: target.id, tenantId: actor.tenantId });
      await audit(
        manager,
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
